"""The year's cycle as each role walks it in Chromium, in one story: next year's plan
opened by the mayor's office, a bureau drafts and submits, the submission is returned
with a comment, resubmitted and accepted; a report session of next year's plan is
scheduled with the bureau presenting, its page and briefing pack show the submission,
a directive is recorded there and assigned, and the sector's next session follows it
up (이행 점검); the plan is adopted and its tasks are in their owners' My tasks. The
bureau's submission is also done by keyboard alone. The cycle's pages pass the axe audit
in both languages at both widths."""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from meetings.models import ReportSession
from planning import services
from planning.models import Submission
from plans import dates
from plans.models import KeyTask, WorkPlan
from tests.browser.cycle_steps import (
    add_to_agenda,
    as_user,
    assign_directive,
    mark_held,
    record_directive,
    schedule,
)
from tests.browser.test_accessibility import LANGUAGES, WIDTHS, page_problems
from tests.browser.test_keyboard import tab_to
from tests.i18n import pages
from tests.i18n.pages import build_walk_city


def open_next_year(page, live_server):
    page.goto(f"{live_server.url}/plans/")
    page.get_by_role("link", name="다음 연도 업무계획 수립").click()
    deadline = dates.today() + dt.timedelta(days=14)
    page.locator("#id_deadline").fill(deadline.isoformat())
    page.locator("#id_sector_2_theme_ko").fill("시민 안전 최우선 도시")
    page.get_by_role("button", name="실국 작성 시작").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("미완료 핵심과제 이월")
    return WorkPlan.objects.get(year=2025)


def shows_the_accepted_submission(page):
    presented = page.locator("#submissions .submission-presented[data-bureau=economy]")
    expect(presented.locator("[data-state]")).to_have_text("확정")
    expect(presented.locator(".draft-task h4")).to_contain_text("부산형 창업 지원 확대")
    indicator = presented.locator(".draft-indicator")
    expect(indicator).to_contain_text("창업 기업")
    expect(indicator).to_contain_text("200")


def test_the_cycle_from_next_years_plan_through_its_sessions_to_my_tasks(
    page, live_server, city, sign_in
):
    as_user(page, sign_in, city.mayors_office)
    plan = open_next_year(page, live_server)
    assert plan.sectors.get(number=2).theme_ko == "시민 안전 최우선 도시"

    # The economy office's head drafts a key task with its roadmap and an indicator.
    as_user(page, sign_in, city.economy_head)
    page.goto(f"{live_server.url}/plans/")
    page.get_by_role("link", name="경제정책실: 2025년 업무계획").click()
    page.get_by_role("link", name="핵심과제 추가").click()
    page.locator("#id_sector").select_option(label=str(plan.sectors.get(number=1)))
    page.locator("#id_title_ko").fill("부산형 창업 지원 확대")
    page.locator("#id_owner").select_option(value=str(city.finance_staff.pk))
    page.locator("#id_milestones-0-title_ko").fill("공모")
    page.locator("#id_milestones-0-due_date").fill("2025-03-31")
    page.locator("#id_indicators-0-name_ko").fill("창업 기업")
    page.locator("#id_indicators-0-unit_ko").fill("개")
    page.locator("#id_indicators-0-baseline").fill("100")
    page.locator("#id_indicators-0-target").fill("150")
    page.get_by_role("button", name="초안 저장").click()
    expect(page.locator(".draft-task")).to_contain_text("부산형 창업 지원 확대")
    page.get_by_role("button", name="시장실에 제출").click()
    expect(page.locator("[data-state]")).to_have_text("제출됨")

    # The mayor's office returns it with a comment.
    as_user(page, sign_in, city.mayors_office)
    page.goto(f"{live_server.url}/plans/2025/submissions/")
    page.get_by_role("link", name="경제정책실").click()
    page.locator("#id_comment").fill("목표를 더 도전적으로 잡아 주세요.")
    page.get_by_role("button", name="의견과 함께 보완 요청").click()
    expect(page.locator("[data-state]")).to_have_text("보완 요청")

    # The bureau reads the comment, raises the target and submits again.
    as_user(page, sign_in, city.economy_head)
    page.goto(f"{live_server.url}/plans/2025/bureaus/economy/")
    expect(page.locator(".history")).to_contain_text("목표를 더 도전적으로 잡아 주세요.")
    page.get_by_role("link", name="“부산형 창업 지원 확대” 고치기").click()
    page.locator("#id_indicators-0-target").fill("200")
    page.get_by_role("button", name="초안 저장").click()
    page.get_by_role("button", name="시장실에 제출").click()
    expect(page.locator("[data-state]")).to_have_text("제출됨")

    # Accepted.
    as_user(page, sign_in, city.mayors_office)
    page.goto(f"{live_server.url}/plans/2025/bureaus/economy/")
    page.get_by_role("button", name="확정").click()
    expect(page.locator("[data-state]")).to_have_text("확정")

    # A report session of the 2025 plan's first sector, the economy office presenting.
    sector = plan.sectors.get(number=1)
    schedule(page, live_server, sector, "2025-01-15", "부산시청 대회의실")
    session = ReportSession.objects.get()
    assert session.sector == sector and page.url.endswith(f"/sessions/{session.pk}/")
    add_to_agenda(page, city.economy, "2025년 업무계획: 창업 지원")
    expect(page.locator("#agenda table.agenda tbody tr")).to_contain_text(city.economy.name_ko)

    # The session's page and its briefing pack show the bureau's accepted submission:
    # the draft key task, its indicator and the raised target.
    page.reload()  # the section reads the agenda when the page is drawn, not on a swap
    shows_the_accepted_submission(page)
    page.get_by_role("link", name="보고 자료").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(sector.name_ko)
    shows_the_accepted_submission(page)
    crumbs = page.get_by_role("navigation", name="현재 위치")
    crumbs.get_by_role("link", name=f"1. {sector.name_ko}").click()

    # Held; a directive recorded there, then assigned to a bureau and one of its people.
    mark_held(page)
    text = "창업 기업 금융 지원 방안 마련"
    directive = record_directive(page, text, city.economy, "2025-11-30")
    assert directive.key_task.plan == plan and directive.key_task.sector == sector
    assign_directive(page, directive, city.finance, city.other_staff, "금융창업정책관 소관")

    # The sector's next session follows it up (이행 점검), on its page and its pack.
    schedule(page, live_server, sector, "2025-02-17", "벡스코")
    follow_up = page.locator("#agenda table.followup")
    expect(follow_up).to_contain_text(text)
    expect(follow_up).to_contain_text(city.finance.name_ko)
    expect(follow_up).to_contain_text("other_staff")
    expect(page.locator("#follow-up-heading")).to_contain_text("이행 점검")
    page.get_by_role("link", name="보고 자료").first.click()
    expect(page.locator("table.followup")).to_contain_text(text)

    # Before adoption the directive's key task is next year's, not in My tasks yet.
    as_user(page, sign_in, city.other_staff)
    page.goto(f"{live_server.url}{reverse('plans:my_tasks')}")
    expect(page.locator("main")).not_to_contain_text(text)

    # The plan adopted: the accepted draft becomes a tracked key task beside the
    # directive's, which was a key task of the 2025 plan from the start.
    as_user(page, sign_in, city.mayors_office)
    page.goto(f"{live_server.url}/plans/")
    page.get_by_role("button", name="2025년 업무계획 확정").click()
    expect(page.locator("main")).to_contain_text("확정 (추진 중)")
    adopted = KeyTask.objects.get(plan__year=2025, title_ko="부산형 창업 지원 확대")
    assert adopted.indicators.get().target == 200
    assert adopted.owner == city.finance_staff
    followed = KeyTask.objects.get(plan__year=2025, directive=directive)
    assert (followed.bureau, followed.owner) == (city.finance, city.other_staff)
    assert KeyTask.objects.filter(plan__year=2025).count() == 2

    # Each owner finds their task in My tasks.
    as_user(page, sign_in, city.finance_staff)
    page.goto(f"{live_server.url}{reverse('plans:my_tasks')}")
    expect(page.locator("main")).to_contain_text("부산형 창업 지원 확대")
    expect(page.locator("main")).not_to_contain_text(text)
    as_user(page, sign_in, city.other_staff)
    page.goto(f"{live_server.url}{reverse('plans:my_tasks')}")
    expect(page.locator("main")).to_contain_text(text)
    expect(page.locator("main")).not_to_contain_text("부산형 창업 지원 확대")


def test_a_bureau_head_drafts_and_submits_by_keyboard_alone(page, live_server, city, sign_in):
    services.open_next_year(
        by=city.mayors_office,
        previous=city.plan,
        year=2025,
        deadline=dates.today() + dt.timedelta(days=10),
        core_goal_ko="글로벌 허브도시 도약",
        sectors=[services.SectorText(s.number, s.name_ko) for s in city.sectors],
    )
    sign_in(page, city.economy_head)
    page.goto(f"{live_server.url}/plans/2025/bureaus/economy/")
    tab_to(
        page,
        lambda f: (
            f["tag"] == "a"
            and "핵심과제 추가" in page.evaluate("() => document.activeElement.textContent")
        ),
    )
    page.keyboard.press("Enter")
    page.wait_for_url("**/tasks/new/")
    tab_to(page, lambda f: f["name"] == "id_sector")
    page.keyboard.press("ArrowDown")  # the first sector
    tab_to(page, lambda f: f["name"] == "id_title_ko")
    page.keyboard.type("해양 관광 거점 조성")
    tab_to(page, lambda f: f["name"] == "id_milestones-0-title_ko", limit=40)
    page.keyboard.type("기본계획")
    page.keyboard.press("Tab")
    page.keyboard.type("03312025")  # the date field takes the digits in its own order
    tab_to(page, lambda f: f["tag"] == "button", limit=60)
    page.keyboard.press("Enter")
    page.wait_for_url("**/bureaus/economy/")
    expect(page.locator(".draft-task")).to_contain_text("해양 관광 거점 조성")
    tab_to(
        page,
        lambda f: (
            f["tag"] == "button"
            and "제출" in page.evaluate("() => document.activeElement.textContent")
        ),
        limit=40,
    )
    page.keyboard.press("Enter")
    expect(page.locator("[data-state]")).to_have_text("제출됨")
    assert Submission.objects.get(bureau=city.economy).state == Submission.State.SUBMITTED


CYCLE_PAGES = ("planning:",)


def test_the_cycles_pages_pass_the_audit_in_both_languages_at_both_widths(
    browser, browser_context_args, live_server, city, sign_in
):
    walk_city = build_walk_city(city)
    checks = [
        c for c in pages.pages_to_check(walk_city) if c.name.startswith(CYCLE_PAGES) and not c.htmx
    ]
    assert len({c.name for c in checks}) >= 7
    problems = []
    for role in sorted({c.role for c in checks}):
        context = browser.new_context(**browser_context_args)
        try:
            page = context.new_page()
            sign_in(page, pages.user_for(role, walk_city))
            for language in LANGUAGES:
                context.add_cookies(
                    [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language,
                      "url": live_server.url}]
                )  # fmt: skip
                for checked in (c for c in checks if c.role == role):
                    response = page.goto(live_server.url + checked.url)
                    assert response is not None and response.status == checked.status, checked
                    for width, height in WIDTHS.items():
                        page.set_viewport_size({"width": width, "height": height})
                        problems.extend(
                            f"{checked} [{language}, {width}px]: {p}"
                            for p in page_problems(page, language)
                        )
        finally:
            context.close()
    assert not problems, "\n".join(problems)
