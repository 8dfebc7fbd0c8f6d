"""Steps of the year's cycle as the mayor's office and the bureaus take them in Chromium,
through the Korean pages, shared by the cycle's browser stories (test_annual_cycle.py,
test_report_sessions_cycle.py)."""

from playwright.sync_api import expect

from meetings.models import Directive
from plans.models import Bureau, Sector


def as_user(page, sign_in, user):
    """The same browser page, signed in as someone else."""
    page.context.clear_cookies()
    return sign_in(page, user)


def schedule(page, live_server, sector: Sector, day: str, venue: str):
    """From the plan list, the session list of the sector's plan, then its scheduling
    form: a session of the sector from 10:00 to 12:00. Leaves the page on the session."""
    page.goto(f"{live_server.url}/plans/")
    year = page.get_by_role("row").filter(
        has=page.get_by_role("cell", name=str(sector.plan.year), exact=True)
    )
    year.get_by_role("link", name="업무보고회").click()
    page.get_by_role("link", name="보고회 일정 등록").click()
    expect(page.locator(".page-head")).to_contain_text(f"{sector.plan.year}년 업무계획")
    page.get_by_label("분야").select_option(str(sector.pk))
    page.get_by_label("날짜").fill(day)
    page.get_by_label("시작 시각").fill("10:00")
    page.get_by_label("종료 시각").fill("12:00")
    page.get_by_label("장소 (한국어)").fill(venue)
    page.get_by_label("주제 (한국어)").fill("민생 안정과 경제 활력 제고")
    page.get_by_role("button", name="보고회 일정 등록").click()
    expect(page.locator(".alert-success, .messages").first).to_be_visible()


def add_to_agenda(page, bureau: Bureau, title: str, minutes: int = 30):
    """On a session's page: a presentation by the bureau (HTMX swaps the agenda)."""
    page.get_by_label("보고 실국").select_option(str(bureau.pk))
    page.get_by_label("보고 제목 (한국어)").fill(title)
    page.get_by_label("보고 시간 (분)").fill(str(minutes))
    page.get_by_role("button", name="안건에 추가").click()
    expect(page.locator("#agenda .alert-success")).to_be_visible()


def mark_held(page):
    """On a session's page: the session recorded as held, its agenda frozen."""
    page.get_by_role("button", name="개최 완료로 기록").click()
    expect(page.locator(".session-meta ~ p .status-badge, .card .status-badge").first).to_have_text(
        "개최 완료"
    )
    expect(page.get_by_role("button", name="안건에 추가")).to_have_count(0)


def record_directive(page, text: str, bureau: Bureau, due: str) -> Directive:
    """On a held session's page: a directive of the Mayor, owned by the bureau."""
    directives = page.locator("#directives .directive-list li")
    before = directives.count()
    page.locator("#directives textarea").fill(text)
    page.locator("#directives select").select_option(str(bureau.pk))
    page.locator("#directives input[type=date]").fill(due)
    page.get_by_role("button", name="지시사항 등록").click()
    expect(directives).to_have_count(before + 1)
    return Directive.objects.get(text=text)


def assign_directive(page, directive: Directive, bureau: Bureau, owner, reason: str):
    """From the session's page, the directive's edit form: assigned to a bureau and one
    of its people."""
    page.locator(f"#directive-{directive.pk}").get_by_role("link", name="수정·담당 지정").click()
    page.get_by_label("담당 실국").select_option(str(bureau.pk))
    page.get_by_label("담당자").select_option(str(owner.pk))
    page.get_by_label("변경 사유").fill(reason)
    page.get_by_role("button", name="지시사항 저장").click()
    expect(page.locator(f"#directive-{directive.pk}")).to_contain_text(bureau.name_ko)
    expect(page.locator(f"#directive-{directive.pk}")).to_contain_text(owner.username)
