"""The mayor's office in a real browser: drill from the dashboard to a task, record a
directive during a session and find it in the owner bureau's list, print the briefing."""

import datetime as dt
import re

from playwright.sync_api import expect

from tests.factories import (
    AgendaItemFactory,
    IndicatorFactory,
    MeasurementFactory,
    ReportSessionFactory,
)

KST = dt.timezone(dt.timedelta(hours=9))


def a_session(city):
    session = ReportSessionFactory(
        sector=city.sectors[0],
        starts_at=dt.datetime(2024, 1, 15, 10, tzinfo=KST),
        ends_at=dt.datetime(2024, 1, 15, 12, tzinfo=KST),
        theme_ko="민생 안정과 경제 활력 제고",
    )
    AgendaItemFactory(
        session=session,
        order=1,
        bureau=city.economy,
        title_ko="바운스: 중소기업 지원",
        starts_at=session.starts_at,
        ends_at=session.starts_at + dt.timedelta(minutes=40),
    )
    indicator = IndicatorFactory(sector=city.sectors[0], code="JOB-FIN", is_public=True)
    MeasurementFactory(
        indicator=indicator, as_of=dt.date(2024, 6, 30), value=80000, state="verified"
    )
    return session


def test_the_mayors_office_drills_from_the_dashboard_to_a_task(
    page, live_server, city, sign_in, output_dir
):
    a_session(city)
    sign_in(page, city.mayors_office)
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.locator(".sector-table tbody tr")).to_have_count(5)
    expect(page.locator(".ichart svg.ichart-bar").first).to_be_visible()
    page.screenshot(path=output_dir / "dashboard.png", full_page=True)

    page.locator(".sector-table a", has_text=city.sectors[0].name).click()
    expect(page.locator("h1")).to_have_text(city.sectors[0].name)
    page.locator(".bureau-table a", has_text=city.finance.name).click()
    expect(page.locator(".task-table tbody tr")).to_have_count(1)
    page.locator(".task-table a", has_text=city.finance_task.title).click()
    expect(page.locator("h1")).to_contain_text(city.finance_task.code)
    assert page.url.endswith(f"/tasks/{city.finance_task.pk}/")


def test_a_directive_added_during_the_session_is_a_task_in_the_owner_bureaus_list(
    page, live_server, city, sign_in, output_dir
):
    session = a_session(city)
    sign_in(page, city.mayors_office)
    page.goto(f"{live_server.url}/sessions/{session.pk}/")
    form = page.locator("form.directive-form")
    form.locator("textarea[name=text]").fill("자갈치시장 상인 지원책 마련")
    form.locator("select[name=bureau]").select_option(str(city.finance.pk))
    form.locator("input[name=due_date]").fill("2024-06-30")
    form.locator("button[type=submit]").click()
    added = page.locator("#directives .alert-success")
    expect(added).to_be_visible()
    expect(page.locator(".directive-list")).to_contain_text("자갈치시장 상인 지원책 마련")
    # The same page, swapped in place: the agenda is still there.
    expect(page.locator(".agenda")).to_be_visible()
    page.screenshot(path=output_dir / "session.png", full_page=True)

    # A bad directive keeps its text and says what is wrong.
    form = page.locator("form.directive-form")
    form.locator("textarea[name=text]").fill("기한 없는 지시")
    form.locator("button[type=submit]").click()
    expect(page.locator("#directives #id_due_date-error")).to_be_visible()
    expect(page.locator("form.directive-form textarea[name=text]")).to_have_value("기한 없는 지시")

    # The owner bureau's head finds it in the bureau's list (sector → bureau drill-down).
    page.locator(".user-menu button[type=submit]").click()
    sign_in(page, city.economy_head)
    page.goto(f"{live_server.url}/dashboard/sectors/1/")
    page.locator(".bureau-table a", has_text=city.finance.name).click()
    row = page.locator(".task-table tbody tr", has_text="자갈치시장 상인 지원책 마련")
    expect(row).to_have_count(1)
    row.locator("a").click()
    expect(page.locator("h1")).to_contain_text("자갈치시장 상인 지원책 마련")


def test_the_briefing_pack_prints_to_an_a4_pdf(page, live_server, city, sign_in, output_dir):
    session = a_session(city)
    sign_in(page, city.mayors_office)
    page.goto(f"{live_server.url}/sessions/{session.pk}/briefing/")
    expect(page.locator("h1")).to_contain_text(city.sectors[0].name)
    page.emulate_media(media="print")
    expect(page.locator(".site-header .nav")).to_be_hidden()
    expect(page.locator(".page-head .actions")).to_be_hidden()
    expect(page.locator(".ichart svg.ichart-bar").first).to_be_visible()
    page.screenshot(path=output_dir / "briefing-pack-print.png", full_page=True)
    path = output_dir / "briefing-pack.pdf"
    page.pdf(path=str(path), format="A4", print_background=True, prefer_css_page_size=True)
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(data) > 10_000
    # A4 is 595 by 842 points.
    box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    assert box and round(float(box[1])) == 595 and round(float(box[2])) == 842


def test_a_resident_reads_the_public_targets_without_signing_in(
    page, live_server, city, output_dir
):
    a_session(city)
    page.goto(f"{live_server.url}/")
    page.locator(".nav a", has_text="Public targets").or_(
        page.locator(".nav a[href='/public/']")
    ).first.click()
    card = page.locator(".public-indicator")
    expect(card).to_have_count(1)
    expect(card.locator(".actual")).to_contain_text("8만")  # 80,000, as Korean reads it
    expect(card.locator(".state")).to_be_visible()
    expect(page.locator(".public-tasks tbody tr")).to_have_count(1)  # the one public task
    page.screenshot(path=output_dir / "public.png", full_page=True)
