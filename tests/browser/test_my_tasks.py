"""A bureau head keeps tasks current in a real Chromium: in place, without a page load,
safe against a colleague's change, and still working without JavaScript."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from plans.models import KeyTask, Profile
from tests.browser.deferred import reach_the_history


@pytest.fixture(autouse=True)
def _fresh_row_cache():
    # My tasks caches rows by task id and version, which a fresh test database reuses.
    cache.clear()


@pytest.fixture
def english(city):
    # Assertions below read structure, not words; English keeps screenshots legible to
    # every reviewer. The Korean UI is the default and is exercised by the sign-in story.
    Profile.objects.update(language="en")


def open_my_tasks(page, live_server):
    page.goto(f"{live_server.url}/tasks/mine/")
    expect(page.locator("h1")).to_be_visible()


def open_row_form(page, task):
    page.locator(f"#task-{task.pk} td.update-cell a.btn").click()
    row = page.locator(f"#task-{task.pk}")
    expect(row.locator(f"#task-{task.pk}-status")).to_be_visible()
    return row


def test_bureau_head_changes_a_status_inline_and_sees_it_in_the_history(
    page, live_server, city, sign_in, output_dir, english
):
    task = city.finance_task
    sign_in(page, city.economy_head)
    open_my_tasks(page, live_server)
    expect(page.locator("tr.task-row")).to_have_count(2)
    page.screenshot(path=output_dir / "my-tasks.png", full_page=True)
    page.evaluate("window.__noReload = true")

    row = open_row_form(page, task)
    expect(row.locator(f"#task-{task.pk}-status")).to_be_focused()  # typing starts at once
    row.locator(f"#task-{task.pk}-status").select_option("at_risk")
    row.locator(f"#task-{task.pk}-progress").fill("55")
    note = row.locator(f"#task-{task.pk}-note")
    note.fill("Supplier late")
    note.press("Enter")  # Enter submits

    row = page.locator(f"#task-{task.pk}")
    expect(row.locator(".status-badge.status-at_risk")).to_be_visible()
    expect(row).to_have_class("task-row flash-success")
    expect(row.locator(".progress-label")).to_have_text("55%")
    assert page.evaluate("window.__noReload") is True  # swapped in place, no page load
    task.refresh_from_db()
    assert (task.status, task.progress, task.version) == ("at_risk", 55, 2)

    row.locator("td").first.locator("a").click()
    page.wait_for_url(f"**/tasks/{task.pk}/")
    entry = reach_the_history(page).locator(".timeline li").first
    expect(entry).to_contain_text("Supplier late")
    expect(entry).to_contain_text("economy_head")
    expect(entry.locator("ins").first).to_contain_text("At risk")


def test_a_row_sent_before_htmx_settles_is_still_saved_in_place(
    page, live_server, city, sign_in, english
):
    # htmx takes over swapped-in content when the swap settles; a keyboard as quick as
    # the settle delay is long (here 3 s) must not send the row's form as a page load.
    task = city.finance_task
    sign_in(page, city.economy_head)
    open_my_tasks(page, live_server)
    page.evaluate("htmx.config.defaultSettleDelay = 3000; window.__noReload = true")
    row = open_row_form(page, task)
    expect(row.locator(f"#task-{task.pk}-status")).to_be_focused()
    row.locator(f"#task-{task.pk}-progress").fill("60")
    row.locator(f"#task-{task.pk}-note").press("Enter")

    expect(page.locator(f"#task-{task.pk} .progress-label")).to_have_text("60%")
    assert page.evaluate("window.__noReload") is True  # swapped in place, no page load
    task.refresh_from_db()
    assert task.progress == 60


def test_an_invalid_value_shows_the_error_inline_and_keeps_the_input(
    page, live_server, city, sign_in, english
):
    task = city.economy_task
    sign_in(page, city.economy_head)
    open_my_tasks(page, live_server)
    page.evaluate("window.__noReload = true")
    row = open_row_form(page, task)
    row.locator(f"#task-{task.pk}-progress").fill("150")
    row.locator(f"#task-{task.pk}-note").fill("keep me")
    row.locator("button[type=submit]").click()

    row = page.locator(f"#task-{task.pk}")
    progress = row.locator(f"#task-{task.pk}-progress")
    expect(progress).to_have_attribute("aria-invalid", "true")
    expect(progress).to_have_value("150")
    expect(row.locator(f"#task-{task.pk}-note")).to_have_value("keep me")
    expect(row.locator(".errorlist")).to_be_visible()
    expect(progress).to_be_focused()  # the keyboard user lands on what needs fixing
    assert page.evaluate("window.__noReload") is True
    assert KeyTask.objects.get(pk=task.pk).progress == 40


def test_two_people_editing_one_task_get_the_conflict_and_can_reapply(
    browser, live_server, city, sign_in, output_dir, english
):
    task = city.finance_task
    head_context, staff_context = browser.new_context(), browser.new_context()
    try:
        head, staff = head_context.new_page(), staff_context.new_page()
        sign_in(head, city.economy_head)
        sign_in(staff, city.finance_staff)
        open_my_tasks(head, live_server)
        open_my_tasks(staff, live_server)

        head_row = open_row_form(head, task)
        head_row.locator(f"#task-{task.pk}-progress").fill("45")
        head_row.locator(f"#task-{task.pk}-note").fill("my note")

        staff_row = open_row_form(staff, task)
        staff_row.locator(f"#task-{task.pk}-progress").fill("70")
        staff_row.locator("button[type=submit]").click()
        expect(staff.locator(f"#task-{task.pk} .progress-label")).to_have_text("70%")

        head_row.locator("button[type=submit]").click()
        head_row = head.locator(f"#task-{task.pk}")
        alert = head_row.locator(".alert-warning")
        expect(alert).to_be_visible()
        expect(alert).to_contain_text("finance_staff")
        expect(alert).to_contain_text("40% → 70%")
        expect(head_row.locator(f"#task-{task.pk}-progress")).to_have_value("45")
        expect(head_row.locator(f"#task-{task.pk}-note")).to_have_value("my note")
        expect(head_row.locator(".progress-label")).to_have_text("70%")  # the row is current
        head.screenshot(path=output_dir / "my-tasks-conflict.png", full_page=True)
        assert KeyTask.objects.get(pk=task.pk).progress == 70

        head_row.locator("button[type=submit]").click()  # "apply my change again"
        expect(head.locator(f"#task-{task.pk} .progress-label")).to_have_text("45%")
        task.refresh_from_db()
        assert (task.progress, task.version) == (45, 3)
    finally:
        head_context.close()
        staff_context.close()


def test_staff_see_no_edit_controls_for_another_bureaus_task(page, live_server, city, sign_in):
    sign_in(page, city.finance_staff)
    open_my_tasks(page, live_server)
    expect(page.locator("tr.task-row")).to_have_count(1)
    expect(page.locator(f"#task-{city.welfare_task.pk}")).to_have_count(0)
    page.goto(f"{live_server.url}/tasks/{city.welfare_task.pk}/")
    expect(page.locator("h1")).to_contain_text("4-01")
    expect(page.locator("form[action$='/edit/']")).to_have_count(0)
    expect(page.locator("main button[type=submit]")).to_have_count(0)


def test_my_tasks_fits_a_320px_phone(browser, live_server, city, sign_in, output_dir):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        sign_in(page, city.economy_head)
        open_my_tasks(page, live_server)
        row = open_row_form(page, city.economy_task)
        expect(row.locator("form")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        page.screenshot(path=output_dir / "my-tasks-320.png", full_page=True)
    finally:
        context.close()


def test_without_javascript_the_update_posts_and_comes_back(
    browser, live_server, city, sign_in, english
):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        task = city.economy_task
        sign_in(page, city.economy_head)
        page.goto(f"{live_server.url}/tasks/mine/?sector=1")
        row = open_row_form(page, task)
        row.locator(f"#task-{task.pk}-progress").fill("65")
        row.locator("button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/tasks/mine/?sector=1")
        expect(page.locator(".alert-success")).to_be_visible()
        expect(page.locator(f"#task-{task.pk} .progress-label")).to_have_text("65%")
    finally:
        context.close()


def test_a_milestone_is_ticked_off_in_place_on_the_task_page(
    page, live_server, city, sign_in, output_dir, english
):
    import datetime as dt

    from tests.factories import IndicatorFactory, MeasurementFactory, MilestoneFactory

    task = city.economy_task
    milestone = MilestoneFactory(task=task, title_en="Budget secured")
    indicator = IndicatorFactory(sector=task.sector, task=task, name_en="Jobs", unit_en="jobs")
    MeasurementFactory(indicator=indicator, as_of=dt.date(2024, 6, 30), value=1000)
    sign_in(page, city.economy_head)
    page.goto(f"{live_server.url}/tasks/{task.pk}/")
    page.evaluate("window.__noReload = true")

    page.locator(f"#milestone-{milestone.pk} button[type=submit]").click()

    expect(page.locator(f"#milestone-{milestone.pk}")).to_have_class("milestone is-done")
    expect(reach_the_history(page).locator(".timeline li").first).to_contain_text("Budget secured")
    assert page.evaluate("window.__noReload") is True
    page.screenshot(path=output_dir / "task-detail.png", full_page=True)
    milestone.refresh_from_db()
    assert milestone.done_by == city.economy_head
