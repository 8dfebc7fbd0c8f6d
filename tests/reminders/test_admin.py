"""City IT reads the reminder log in the admin: filter by state, search, see the error."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reminders import heartbeat
from reminders.models import ReminderLog
from tests.factories import UserFactory
from tests.reminders.conftest import make_tasks


@pytest.fixture
def admin_client_(client, db):
    admin = UserFactory(username="it", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


@pytest.fixture
def log(city):
    common = {
        "subject_type": "task",
        "deadline": dt.date(2024, 3, 28),
        "send_on": dt.date(2024, 3, 25),
    }
    sent = ReminderLog.objects.create(
        subject_id=city.finance_task.pk,
        kind="before_3",
        recipient=city.finance_staff,
        state="sent",
        sent_at=dt.datetime(2024, 3, 25, tzinfo=dt.UTC),
        **common,
    )
    failed = ReminderLog.objects.create(
        subject_id=city.economy_task.pk,
        kind="before_3",
        recipient=city.economy_head,
        state="failed",
        attempts=3,
        last_error="SMTPRecipientsRefused: mailbox unavailable",
        **common,
    )
    return sent, failed


def test_the_log_filters_by_state_and_shows_the_error(admin_client_, log):
    url = reverse("admin:reminders_reminderlog_changelist")
    page = admin_client_.get(url, {"state": "failed"}).content.decode()
    assert "mailbox unavailable" in page
    assert "finance_staff" not in page
    page = admin_client_.get(url, {"state": "sent"}).content.decode()
    assert "finance_staff" in page
    assert "mailbox unavailable" not in page


def test_the_log_is_searchable(admin_client_, log):
    url = reverse("admin:reminders_reminderlog_changelist")
    page = admin_client_.get(url, {"q": "economy_head"}).content.decode()
    assert "mailbox unavailable" in page
    assert "finance_staff" not in page


def test_a_row_shows_its_error_and_cannot_be_edited(admin_client_, log):
    _, failed = log
    url = reverse("admin:reminders_reminderlog_change", args=[failed.pk])
    response = admin_client_.get(url)
    assert response.status_code == 200
    assert "mailbox unavailable" in response.content.decode()
    admin_client_.post(url, {"state": "sent"})
    failed.refresh_from_db()
    assert failed.state == "failed"
    assert admin_client_.get(reverse("admin:reminders_reminderlog_add")).status_code == 403


def test_each_kind_is_named_by_its_subject(admin_client_, city, settings):
    common = {
        "subject_id": 1,
        "deadline": dt.date(2024, 4, 1),
        "send_on": dt.date(2024, 3, 25),
        "recipient": city.economy_head,
    }
    for subject_type, kind in [
        ("agenda", "session_prep"),  # named by meetings' report-session subject
        ("digest", "weekly_digest"),  # named by the reminders app's digest
        ("task", "escalation_head"),  # one of the kinds every deadline has
        ("task", "before_14"),  # an offset the settings added: shown as it is
    ]:
        ReminderLog.objects.create(subject_type=subject_type, kind=kind, **common)
    admin_client_.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = admin_client_.get(reverse("admin:reminders_reminderlog_changelist")).content.decode()
    assert "report session preparation" in page
    assert "weekly digest" in page
    assert "overdue: escalated to the bureau head" in page
    assert "before_14" in page


# --- the heartbeat heading the log (issue 16) ----------------------------------------


def heartbeat_panel(client) -> str:
    page = client.get(reverse("admin:reminders_reminderlog_changelist")).content.decode()
    start = page.index('<section class="reminder-heartbeat')
    return page[start : page.index("</section>", start)]


def test_city_it_sees_that_reminders_are_going_out(admin_client_, log, settings):
    heartbeat.record(heartbeat.Job.DELIVERY, started=True, finished=True)
    heartbeat.record(heartbeat.Job.SWEEP, finished=True, day=dt.date(2024, 3, 25))
    admin_client_.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    panel = heartbeat_panel(admin_client_)
    assert 'class="reminder-heartbeat ok"' in panel
    assert "Yes: the scheduler runs and no reminder has waited too long." in panel
    assert "Delivery last ran" in panel
    assert "0\xa0minutes ago" in panel
    assert "reminders due on Mon 25 Mar 2024" in panel
    assert "none waiting" in panel
    assert "20 min (claim timeout plus one delivery interval)" in panel  # 900 s + 300 s
    assert '<a href="?state=failed">1</a>' in panel  # the failed row of the log fixture


def test_city_it_is_alarmed_in_korean_when_a_reminder_waits_too_long(admin_client_, log):
    heartbeat.record(heartbeat.Job.DELIVERY, started=True, finished=True)
    waiting = ReminderLog.objects.create(
        subject_type="task",
        subject_id=1,
        deadline=dt.date(2024, 4, 1),
        send_on=dt.date(2024, 3, 25),
        kind="before_7",
        recipient=log[0].recipient,
    )
    an_hour_ago = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    ReminderLog.objects.filter(pk=waiting.pk).update(created_at=an_hour_ago)
    panel = heartbeat_panel(admin_client_)
    assert 'class="reminder-heartbeat alarm"' in panel
    assert "경보" in panel
    assert "1시간" in panel  # waiting for an hour, in Korean
    assert "Alarm" not in panel and "waiting" not in panel


def test_city_it_is_told_when_no_delivery_has_ever_run(admin_client_, log, settings):
    admin_client_.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    panel = heartbeat_panel(admin_client_)
    assert 'class="reminder-heartbeat unknown"' in panel
    assert "No delivery run has been recorded yet" in panel


def test_the_log_page_costs_the_same_queries_with_ten_times_the_reminders(admin_client_, city):
    def queries_with(n: int) -> int:
        ReminderLog.objects.all().delete()
        tasks = make_tasks(city, n, dt.date(2024, 3, 28))
        ReminderLog.objects.bulk_create(
            ReminderLog(
                subject_type="task",
                subject_id=task.pk,
                deadline=task.due_date,
                kind="before_3",
                recipient=city.finance_staff,
                send_on=dt.date(2024, 3, 25),
            )
            for task in tasks
        )
        with CaptureQueriesContext(connection) as ctx:
            response = admin_client_.get(reverse("admin:reminders_reminderlog_changelist"))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    assert queries_with(5) == queries_with(50)
