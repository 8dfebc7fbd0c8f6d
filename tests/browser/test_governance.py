"""Changes the mayor's office can trust, in a real Chromium (issue 12): a staff member's
deadline request approved by the head shows as a slip on the public page; a bureau's
figure is verified and published by the mayor's office; the queue shows and clears each
kind of item, and passes the audit in both languages at both widths."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from plans.models import DeadlineChange, KeyTask, Measurement, Profile
from reminders.models import ReminderLog
from tests.browser.test_accessibility import page_problems
from tests.factories import IndicatorFactory, KeyTaskFactory


@pytest.fixture(autouse=True)
def english(city):
    # The assertions read English; the audit below checks both languages.
    cache.clear()
    Profile.objects.update(language="en")


@pytest.fixture
def fund(city):
    """finance_staff's public task, due 31 Oct 2024, with a public jobs indicator."""
    task = KeyTaskFactory(
        sector=city.sectors[0],
        bureau=city.finance,
        owner=city.finance_staff,
        code="1-50",
        title_en="Start-up fund",
        title_ko="창업 펀드",
        due_date=dt.date(2024, 10, 31),
        is_public=True,
    )
    IndicatorFactory(
        sector=task.sector,
        task=task,
        code="FUND-JOBS",
        name_en="Start-up jobs",
        name_ko="창업 일자리",
        unit_en="jobs",
        target=1200,
        is_public=True,
    )
    return task


def signed_in(browser, browser_context_args, sign_in, user):
    context = browser.new_context(**browser_context_args)
    return sign_in(context.new_page(), user)


def english_visitor(browser, browser_context_args, live_server):
    context = browser.new_context(**browser_context_args)
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    return context.new_page()


def test_a_staff_request_approved_by_the_head_shows_as_a_slip_on_the_public_page(
    browser, browser_context_args, live_server, city, fund, sign_in, output_dir
):
    staff = signed_in(browser, browser_context_args, sign_in, city.finance_staff)
    staff.goto(f"{live_server.url}/tasks/{fund.pk}/")
    staff.locator(f"#task-{fund.pk}-deadline-new_due_date").fill("2024-11-10")
    staff.locator(f"#task-{fund.pk}-deadline-reason").fill("The district permit is late")
    staff.get_by_role("button", name="Ask to move the deadline").click()
    expect(staff.locator(".deadline-state")).to_have_text("Awaiting approval: The bureau head")
    change = DeadlineChange.objects.get()
    assert KeyTask.objects.get(pk=fund.pk).due_date == dt.date(2024, 10, 31)  # not yet

    head = signed_in(browser, browser_context_args, sign_in, city.economy_head)
    assert head.url == f"{live_server.url}/queue/"
    item = head.locator(f"#queue-deadlines-{change.pk}")
    expect(item).to_contain_text("The district permit is late")
    expect(head.locator("#queue-count")).to_be_visible()
    item.get_by_label("Note").fill("Agreed with the district")
    item.get_by_role("button", name="Approve").click()
    expect(head.locator(f"#queue-deadlines-{change.pk}")).to_contain_text("1-50: Approved.")
    head.screenshot(path=output_dir / "governance-queue-approved.png", full_page=True)

    resident = english_visitor(browser, browser_context_args, live_server)
    resident.goto(f"{live_server.url}/public/")
    row = resident.locator("tr", has_text="Start-up fund")
    expect(row).to_contain_text("Sun 10 Nov 2024")
    expect(row.locator(".slip")).to_have_text("slipped from Thu 31 Oct 2024 (moved 1 time)")
    resident.goto(f"{live_server.url}/public/tasks/{fund.pk}/")
    expect(resident.locator(".slip").first).to_be_visible()
    resident.screenshot(path=output_dir / "governance-public-slip.png", full_page=True)


def test_a_bureaus_figure_is_verified_and_published_by_the_mayors_office(
    browser, browser_context_args, live_server, city, fund, sign_in
):
    staff = signed_in(browser, browser_context_args, sign_in, city.finance_staff)
    staff.goto(f"{live_server.url}/tasks/{fund.pk}/")
    staff.locator(f"#task-{fund.pk}-measurement-as_of").fill("2024-06-30")
    staff.locator(f"#task-{fund.pk}-measurement-value").fill("-10")
    staff.get_by_role("button", name="Record").click()
    expect(staff.locator(".errorlist")).to_contain_text("cannot be negative")
    expect(staff.locator(f"#task-{fund.pk}-measurement-value")).to_have_value("-10")
    staff.locator(f"#task-{fund.pk}-measurement-value").fill("700")
    staff.get_by_role("button", name="Record").click()
    expect(staff.locator(".flash-success")).to_be_visible()
    figure = Measurement.objects.get(indicator__code="FUND-JOBS")
    assert figure.state == "provisional"

    resident = english_visitor(browser, browser_context_args, live_server)
    resident.goto(f"{live_server.url}/public/")
    expect(resident.locator("body")).not_to_contain_text("Start-up jobs: 700")

    office = signed_in(browser, browser_context_args, sign_in, city.mayors_office)
    item = office.locator(f"#queue-figures-{figure.pk}")
    expect(item).to_contain_text("700")
    item.get_by_role("button", name="Verify and publish").click()
    expect(office.locator(f"#queue-figures-{figure.pk}")).to_contain_text("is published")
    assert Measurement.objects.get(pk=figure.pk).state == "verified"

    resident.goto(f"{live_server.url}/public/tasks/{fund.pk}/")
    expect(resident.locator("main")).to_contain_text("700")


def test_the_queue_shows_and_clears_each_kind_of_item(
    browser, browser_context_args, live_server, city, fund, sign_in
):
    KeyTask.objects.filter(pk=city.finance_task.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=40), due_date=dt.date(2030, 1, 1)
    )
    escalation = ReminderLog.objects.create(
        subject_type="task",
        subject_id=fund.pk,
        deadline=fund.due_date,
        kind="escalation_head",
        recipient=city.economy_head,
        send_on=dt.date(2024, 11, 3),
        state="sent",
        sent_at=timezone.now(),
    )
    staff = signed_in(browser, browser_context_args, sign_in, city.finance_staff)
    stale = staff.locator(f"#queue-tasks-{city.finance_task.pk}")
    expect(stale).to_contain_text("Not updated since")
    expect(staff.locator("#queue-count")).to_contain_text("2")  # the stale and the overdue
    stale.get_by_role("button", name="Checked: no change").click()
    expect(staff.locator(f"#queue-tasks-{city.finance_task.pk}")).to_contain_text(
        "recorded as checked"
    )
    expect(staff.locator("#queue-count")).to_contain_text("1")
    staff.reload()
    expect(staff.locator(f"#queue-tasks-{city.finance_task.pk}")).to_have_count(0)

    head = signed_in(browser, browser_context_args, sign_in, city.economy_head)
    item = head.locator(f"#queue-escalations-{escalation.pk}")
    item.get_by_role("button", name="Acknowledge").click()
    expect(head.locator(f"#queue-escalations-{escalation.pk}")).to_contain_text("acknowledged")
    head.reload()
    expect(head.locator(f"#queue-escalations-{escalation.pk}")).to_have_count(0)
    escalation.refresh_from_db()
    assert escalation.acknowledged_by == city.economy_head


def test_the_queue_and_the_deadline_form_pass_the_audit(
    browser, browser_context_args, live_server, city, fund, sign_in
):
    DeadlineChange.objects.create(
        task=fund,
        old_due_date=fund.due_date,
        new_due_date=dt.date(2024, 11, 10),
        reason="Permit late",
        needs="bureau_head",
        awaiting="bureau_head",
        requested_by=city.finance_staff,
    )
    page = signed_in(browser, browser_context_args, sign_in, city.economy_head)
    problems = []
    for language in ("ko", "en"):
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )
        Profile.objects.update(language=language)
        for width, height in ((320, 720), (1280, 900)):
            page.set_viewport_size({"width": width, "height": height})
            for path in ("/queue/", f"/tasks/{fund.pk}/", "/public/"):
                page.goto(f"{live_server.url}{path}")
                problems += [
                    f"{path} {language} {width}: {p}" for p in page_problems(page, language)
                ]
    assert not problems, "\n".join(problems)
