"""The presenting bureaus' submissions on a report session's page and briefing pack pass
the axe-core audit in Korean and English on a 320 px phone and a 1280 px screen (the
registry's walk city has no session of a plan in preparation, so they are audited here)."""

import datetime as dt

from django.conf import settings
from django.urls import reverse

from planning import services
from plans import dates
from tests.browser.axe import axe_violations, describe
from tests.factories import AgendaItemFactory, ReportSessionFactory
from tests.planning.conftest import draft_for


def a_session_of_next_years_plan(city):
    plan = services.open_next_year(
        by=city.mayors_office,
        previous=city.plan,
        year=city.plan.year + 1,
        deadline=dates.today() + dt.timedelta(days=10),
        core_goal_ko="글로벌 허브도시 도약",
        goals=[("다시 태어나도 살고 싶은 시민행복도시", "")],
        sectors=[
            services.SectorText(s.number, s.name_ko, s.name_en, s.theme_ko, s.theme_en)
            for s in city.sectors
        ],
    )
    submission, _draft = draft_for(city, plan)
    services.move_submission(
        by=city.economy_head, submission=submission, move="submit", version=submission.version
    )
    starts = dt.datetime(plan.year, 1, 15, 1, 0, tzinfo=dt.UTC)
    session = ReportSessionFactory(
        sector=plan.sectors.get(number=1), starts_at=starts, ends_at=starts + dt.timedelta(hours=3)
    )
    AgendaItemFactory(session=session, order=1, bureau=city.economy)
    AgendaItemFactory(session=session, order=2, bureau=city.finance)
    return session


def test_the_submissions_section_passes_the_audit(
    browser, browser_context_args, live_server, city, sign_in
):
    session = a_session_of_next_years_plan(city)
    context = browser.new_context(**browser_context_args)
    try:
        page = context.new_page()
        sign_in(page, city.mayors_office)
        problems = []
        for language in ("ko", "en"):
            context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language,
                  "url": live_server.url}]
            )  # fmt: skip
            for name in ("meetings:session_detail", "meetings:briefing"):
                path = reverse(name, args=[session.pk])
                for width, height in ((320, 720), (1280, 900)):
                    page.set_viewport_size({"width": width, "height": height})
                    page.goto(live_server.url + path)
                    assert page.locator("#submissions .draft-task").count() == 1
                    overflow = page.evaluate(
                        "document.documentElement.scrollWidth"
                        " - document.documentElement.clientWidth"
                    )
                    if overflow > 0:
                        problems.append(f"{path} {language} {width}: {overflow}px too wide")
                    violations = axe_violations(page)
                    if violations:
                        problems.append(f"{path} {language} {width}:\n{describe(violations)}")
        assert not problems, "\n".join(problems)
    finally:
        context.close()
