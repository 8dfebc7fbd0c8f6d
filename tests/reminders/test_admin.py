"""City IT reads the reminder log in the admin: filter by state, search, see the error."""

import datetime as dt

import pytest
from django.urls import reverse

from reminders.models import ReminderLog
from tests.factories import UserFactory


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
