"""What a first week of real use found, checked in Chromium as each role meets it
(issue 15, items 2-9; the chart, the PDF, Korean input and the public page have tests
of their own)."""

import datetime as dt
import re

from django.conf import settings
from playwright.sync_api import expect

from plans import services
from plans.models import KeyTask, StatusUpdate
from tests.browser.deferred import reach_the_history
from tests.browser.test_mayors_office import a_session
from tests.factories import IndicatorFactory, KeyTaskFactory, MeasurementFactory

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def visible_text(page) -> str:
    return page.locator("main").inner_text()


def use_english(page, live_server):
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )


# --- item 2: one way to write a figure and its unit ---------------------------------


def test_item_2_a_figure_reads_the_same_with_its_unit_on_every_page(
    page, live_server, city, sign_in
):
    task = city.welfare_task  # public
    people = IndicatorFactory(
        sector=task.sector, task=task, code="BDIA-EMPLOYED", name_ko="BDIA 수료생 취업 연계",
        unit_ko="명", target=2200, is_public=True,
    )  # fmt: skip
    MeasurementFactory(indicator=people, value=2431)
    money = IndicatorFactory(
        sector=task.sector, code="INVEST", name_ko="민간투자 유치액", unit_ko="조 원",
        target=5, is_public=True,
    )  # fmt: skip
    MeasurementFactory(indicator=money, value=6)
    rate = IndicatorFactory(
        sector=task.sector, code="EMP-RATE", name_ko="청년 고용률", unit_ko="%",
        baseline=40, target=45, is_public=True,
    )  # fmt: skip
    MeasurementFactory(indicator=rate, value="46.1")

    page.goto(f"{live_server.url}/public/")
    text = visible_text(page)
    for written in ["2,431명", "2,200명", "6조 원", "5조 원", "46.1%", "45%"]:
        assert written in text, written
    for wrong in ["2,431 명", "2,200 명", "5 조 원", "45 %"]:
        assert wrong not in text, wrong

    sign_in(page, city.mayors_office)
    page.goto(f"{live_server.url}/dashboard/")
    page.locator(".indicator-table summary").click()
    table = page.locator(".indicator-table table").inner_text()
    for written in ["2,431명", "2,200명", "6조 원", "5조 원", "46.1%", "45%"]:
        assert written in table, written
    assert "\t6\t" not in table  # an actual always carries its unit

    page.locator(".user-menu button[type=submit]").click()
    sign_in(page, city.welfare_head)
    page.goto(f"{live_server.url}/tasks/mine/")
    expect(page.locator(f"#task-{task.pk} .indicator-latest")).to_contain_text("2,431명")


# --- item 3: dates in the long form everywhere ---------------------------------------


def test_item_3_the_city_wide_list_and_the_briefing_pack_write_dates_in_words(
    page, live_server, city, sign_in
):
    session = a_session(city)
    task = city.finance_task
    task.due_date = dt.date(2026, 6, 30)
    task.save()
    sign_in(page, city.mayors_office)
    page.goto(f"{live_server.url}/dashboard/tasks/?flag=all")
    text = visible_text(page)
    assert "2026년 6월 30일 (화)" in text
    assert not ISO_DATE.search(text), ISO_DATE.search(text)

    page.goto(f"{live_server.url}/sessions/{session.pk}/briefing/")
    text = visible_text(page)
    assert "오전 10:00\u201310:40" in text  # the agenda's slot
    assert not ISO_DATE.search(text), ISO_DATE.search(text)

    # A directive refused for its date says the session's date in words.
    page.goto(f"{live_server.url}/sessions/{session.pk}/")
    form = page.locator("form.directive-form")
    form.locator("textarea[name=text]").fill("지난 일정의 지시")
    form.locator("select[name=bureau]").select_option(str(city.finance.pk))
    form.locator("input[name=due_date]").fill("2024-01-01")
    form.locator("button[type=submit]").click()
    error = page.locator("#directives .field-error")
    expect(error).to_contain_text("2024년 1월 15일 (월)")
    assert "2024-01-15" not in error.inner_text()


# --- item 4: no English left in Korean, and English that reads as English ------------


def test_item_4_a_loaded_tasks_history_reads_in_korean_and_english_labels_read_well(
    page, live_server, city, sign_in
):
    loaded = KeyTaskFactory(sector=city.sectors[0], bureau=city.economy, code="1-09",
                            pillar_ko="바운스", pillar_en="Bounce")  # fmt: skip
    services.record_creation(loaded, by=None, origin=StatusUpdate.Origin.PLAN_DATA)
    KeyTaskFactory(sector=city.sectors[0], bureau=city.economy, pillar_ko="이노베이션",
                   pillar_en="Innovation", status="at_risk", progress=20)  # fmt: skip
    sign_in(page, city.mayors_office)
    page.goto(f"{live_server.url}/tasks/{loaded.pk}/")
    history = reach_the_history(page).locator(".timeline")
    expect(history).to_contain_text("업무계획 자료 파일에서 등록")
    assert "Loaded from" not in visible_text(page)

    use_english(page, live_server)
    page.goto(f"{live_server.url}/tasks/{loaded.pk}/")
    expect(reach_the_history(page)).to_contain_text("Loaded from the plan data file")
    page.goto(f"{live_server.url}/dashboard/tasks/?flag=all")
    pillars = page.locator("select[name=pillar] option").all_inner_texts()
    assert pillars == ["All pillars", "Bounce", "Innovation"]
    statuses = page.locator("select[name=status] option").all_inner_texts()
    assert statuses[1:] == ["Not started", "On track", "At risk", "Delayed", "Done", "Dropped"]
    expect(page.locator(".task-table .status-badge").first).to_have_text(re.compile("^[A-Z]"))


# --- item 5: sign in straight to one's work -------------------------------------------


def test_item_5_each_role_lands_on_its_own_work_after_signing_in(page, live_server, city):
    def sign_in_as(user, next_path=""):
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/accounts/login/{next_path}")
        page.locator("input[name=username]").fill(user.username)
        page.locator("input[name=password]").fill("password")
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        return page.url.removeprefix(live_server.url)

    # Everyone lands on their own queue (issue 12): what to update, approve, acknowledge.
    assert sign_in_as(city.economy_head) == "/queue/"
    assert sign_in_as(city.finance_staff) == "/queue/"
    assert sign_in_as(city.mayors_office) == "/queue/"
    assert sign_in_as(city.economy_head, "?next=/sessions/") == "/sessions/"


# --- item 6: lists that say what they are ---------------------------------------------


def test_item_6_lists_say_what_they_hold_and_show_all_of_it(page, live_server, city, sign_in):
    session = a_session(city)
    task = city.economy_task
    services.report_progress(
        task, by=city.economy_head, expected_version=task.version, note="부산시 협의 완료"
    )
    for n in range(30):  # more changes than the dashboard lists at once
        extra = KeyTaskFactory(sector=city.sectors[0], bureau=city.economy, code=f"1-{n + 20}")
        services.record_creation(extra, by=city.economy_head)
    sign_in(page, city.mayors_office)

    page.goto(f"{live_server.url}/sessions/{session.pk}/")
    directives = page.locator("#directives")
    expect(directives).to_contain_text("등록된 시장 지시사항이 없습니다.")
    expect(directives.locator("ol")).to_have_count(0)  # not "1. 없습니다"

    page.goto(f"{live_server.url}/dashboard/tasks/?flag=all")
    expect(page.locator("h1")).to_have_text("전체 핵심과제")
    page.locator("select[name=flag]").select_option("overdue")
    expect(page.locator("h1")).to_have_text("핵심과제: 기한 경과")

    total = StatusUpdate.objects.count()  # 31: the note and 30 new tasks
    page.goto(f"{live_server.url}/dashboard/?since=2000-01-01")
    changes = page.locator("#changes")
    expect(changes.locator(".timeline li")).to_have_count(25)
    older = changes.get_by_role("link", name="이전 변경 더 보기")
    older.click()
    expect(changes.locator(".timeline li")).to_have_count(total - 25)
    expect(page.locator("#changes")).to_contain_text(f"최신순 26~{total}번째 변경입니다.")
    note = page.locator("#changes .timeline li", has_text="부산시 협의 완료")
    expect(note).to_contain_text("메모")
    expect(note.locator("q")).to_have_text("부산시 협의 완료")
    assert "page=2" in page.url
    page.get_by_role("link", name="최근 변경 보기").click()
    expect(page.locator("#changes .timeline li")).to_have_count(25)


# --- item 8: the small things -----------------------------------------------------------

COLUMN_WIDTHS = """() => [...document.querySelectorAll('table.my-tasks')].map(
    table => [...table.querySelectorAll('thead th')].slice(1).map(
        th => Math.round(th.getBoundingClientRect().width)))"""

PLACEHOLDER_FITS = """input => {
    const style = getComputedStyle(input);
    const context = document.createElement('canvas').getContext('2d');
    context.font = `${style.fontSize} ${style.fontFamily}`;
    const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return context.measureText(input.placeholder).width <= room;
}"""


def test_item_8_the_small_things_a_bureau_head_met(page, live_server, city, sign_in):
    other_sector = KeyTaskFactory(sector=city.sectors[3], bureau=city.economy, code="4-09",
                                  title_ko="짧은 과제")  # fmt: skip
    task = city.finance_task
    indicator = IndicatorFactory(sector=task.sector, task=task, code="FIN-JOBS", unit_ko="개")
    MeasurementFactory(indicator=indicator, as_of=dt.date(2024, 6, 30), value=1000,
                       state="verified")  # fmt: skip
    sign_in(page, city.economy_head)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/tasks/mine/")
    assert other_sector.sector != task.sector  # two sectors, two tables

    # Every sector's table has the same columns at the same widths.
    widths = page.evaluate(COLUMN_WIDTHS)
    assert len(widths) == 2 and widths[0] == widths[1], widths
    # The search box shows its whole hint.
    assert page.locator("#id_q").evaluate(PLACEHOLDER_FITS)

    # Escape closes the in-row form and the keyboard is back on its Update button.
    page.evaluate("window.__noReload = true")
    page.locator(f"#task-{task.pk} td.update-cell a.btn").click()
    status = page.locator(f"#task-{task.pk}-status")
    expect(status).to_be_focused()
    page.keyboard.press("Escape")  # at once, before htmx has settled the new row
    expect(status).to_have_count(0)
    expect(page.locator(f"#task-{task.pk} td.update-cell a.btn")).to_be_focused()
    assert page.evaluate("window.__noReload") is True  # closed in place, no page load

    # A figure for a date already published: one message, beside the field, one red box.
    page.goto(f"{live_server.url}/tasks/{task.pk}/")
    form = page.locator("form", has=page.locator("#measurement-title"))
    form.locator("input[name=as_of]").fill("2024-06-30")
    form.locator("input[name=value]").fill("1200")
    form.locator("button[type=submit]").click()
    error = page.locator("#task-body .field-error .errorlist")
    expect(error).to_contain_text("이미 공표되었습니다")
    expect(page.locator("#task-body .errorlist")).to_have_count(1)
    expect(page.locator("#task-body .errorlist.nonfield")).to_have_count(0)

    # The site has an icon, and the admin says whose it is.
    icon = page.request.get(f"{live_server.url}/favicon.ico")
    assert icon.ok and icon.headers["content-type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    svg = page.locator("link[rel=icon][type='image/svg+xml']").get_attribute("href")
    assert page.request.get(f"{live_server.url}{svg}").ok


def test_item_8_the_admin_is_titled_for_the_city(page, live_server, city, sign_in):
    city.mayors_office.is_staff = city.mayors_office.is_superuser = True
    city.mayors_office.save()
    sign_in(page, city.mayors_office)
    page.goto(f"{live_server.url}/admin/")
    expect(page.locator("#site-name")).to_have_text("부산시 업무계획 관리 · 관리자")
    assert "Django" not in page.title()


# --- item 9: a directive recorded after its session -------------------------------------


def test_item_9_a_directive_recorded_after_the_session_is_not_at_risk_at_once(
    page, live_server, city, sign_in
):
    session = a_session(city)  # 15 January 2024, long past
    due = dt.date.today() + dt.timedelta(days=90)
    sign_in(page, city.mayors_office)
    page.goto(f"{live_server.url}/sessions/{session.pk}/")
    form = page.locator("form.directive-form")
    form.locator("textarea[name=text]").fill("회의록에서 옮겨 적는 지시사항")
    form.locator("select[name=bureau]").select_option(str(city.finance.pk))
    form.locator("input[name=due_date]").fill(due.isoformat())
    form.locator("button[type=submit]").click()
    expect(page.locator("#directives .alert-success")).to_be_visible()

    task = KeyTask.objects.get(title_ko="회의록에서 옮겨 적는 지시사항")
    assert task.start_date > dt.date(2024, 1, 15)
    page.goto(f"{live_server.url}/dashboard/tasks/?flag=all")
    row = page.locator(".task-table tbody tr", has_text="회의록에서 옮겨 적는 지시사항")
    expect(row).to_have_count(1)
    expect(row.locator(".computed-risk")).to_have_count(0)
    page.goto(f"{live_server.url}/tasks/{task.pk}/")
    expect(reach_the_history(page)).to_contain_text(
        "2024년 1월 15일 (월) 업무보고회 시장 지시사항으로 생성"
    )
