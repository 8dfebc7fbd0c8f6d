"""Pages of the annual cycle: plans by year, next year's plan, bureau submissions."""

import datetime as dt

from tests.i18n.entries import Page, not_html, page


def _year(c) -> dict:
    return {"year": c.next_plan.year}


def _bureau(c) -> dict:
    return {"year": c.next_plan.year, "code": c.economy.code}


PAGES: dict[str, Page] = {
    "planning:plan_list": page("finance_staff", "economy_head", "mayors_office"),
    "planning:plan_new": page("mayors_office"),
    "planning:carry_over": page("mayors_office", kwargs=_year),
    "planning:submissions": page("mayors_office", kwargs=_year),
    "planning:submission": page("economy_head", "mayors_office", kwargs=_bureau),
    "planning:draft_new": page("economy_head", kwargs=_bureau),
    "planning:draft_edit": page(
        "economy_head", kwargs=lambda c: {**_bureau(c), "pk": c.next_plan_draft.pk}
    ),
    # Removing a draft from the submission: a confirmation page without JavaScript, the
    # question in the draft's row with HTMX (the POST answers with the submission page).
    "planning:draft_withdraw": page(
        "economy_head",
        fragment=True,
        kwargs=lambda c: {**_bureau(c), "pk": c.next_plan_draft.pk},
    ),
    "planning:plan_stage": not_html(
        "POST only: adopt or close a plan (tests/planning/test_pages.py)"
    ),
    "planning:submission_move": not_html(
        "POST only: submit, return or accept; its form and errors are on the submission "
        "page (tests/planning/test_pages.py)"
    ),
    "planning:delegates": not_html(
        "POST only: its form is on the submission page (tests/planning/test_pages.py)"
    ),
}


def build(city) -> None:
    """The 2025 plan in preparation, the economy office's submission with one draft key
    task (a milestone, an indicator), submitted and returned with a comment (in its
    head's queue), and the welfare bureau's submitted (in the mayor's office's queue)."""
    from planning import services
    from planning.models import DraftIndicator, DraftMilestone, DraftTask
    from plans import dates

    plan = services.open_next_year(
        by=city.mayors_office,
        previous=city.plan,
        year=city.plan.year + 1,
        deadline=dates.today() + dt.timedelta(days=14),
        core_goal_ko="글로벌 허브도시 도약",
        goals=[("다시 태어나도 살고 싶은 시민행복도시", "")],
        sectors=[
            services.SectorText(s.number, s.name_ko, s.name_en, s.theme_ko, s.theme_en)
            for s in city.sectors
        ],
    )
    submission = services.start_drafting(by=city.economy_head, plan=plan, bureau=city.economy)
    draft = services.save_draft_task(
        by=city.economy_head,
        submission=submission,
        draft=DraftTask(
            sector=plan.sectors.get(number=1),
            pillar_ko="혁신",
            title_ko="부산형 창업 지원 확대",
            owner=city.finance_staff,
            start_date=dt.date(plan.year, 1, 1),
            due_date=dt.date(plan.year, 12, 31),
        ),
        milestones=[DraftMilestone(title_ko="공모", due_date=dt.date(plan.year, 3, 31))],
        indicators=[DraftIndicator(name_ko="창업 기업", unit_ko="개", baseline=100, target=150)],
    )
    submission.refresh_from_db()
    services.move_submission(
        by=city.economy_head, submission=submission, move="submit", version=submission.version
    )
    submission.refresh_from_db()
    services.move_submission(
        by=city.mayors_office,
        submission=submission,
        move="return",
        version=submission.version,
        comment="목표를 더 도전적으로",
    )
    welfare = services.start_drafting(by=city.welfare_head, plan=plan, bureau=city.welfare)
    services.save_draft_task(
        by=city.welfare_head,
        submission=welfare,
        draft=DraftTask(
            sector=plan.sectors.get(number=4),
            title_ko="돌봄 안전망 확대",
            start_date=dt.date(plan.year, 1, 1),
            due_date=dt.date(plan.year, 12, 31),
        ),
    )
    welfare.refresh_from_db()
    services.move_submission(
        by=city.welfare_head, submission=welfare, move="submit", version=welfare.version
    )
    city.next_plan = plan
    city.next_plan_draft = draft
