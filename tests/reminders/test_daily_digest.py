"""Reminders and escalations as one email a day (reminders.daily): at most one escalation
email per person per day listing every task escalated to them; a person's several
reminders of a day in one email, unless they chose one email for each; the choice on
their own settings page."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans import dates
from reminders import daily, outbox
from reminders.models import NotificationPreference, ReminderLog
from reminders.subjects import due_reminders
from tests.conftest import client_for
from tests.reminders.conftest import make_tasks

D = dt.date
SENT = ReminderLog.State.SENT


def mails_to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def escalation_mails_to(user):
    return [
        m
        for m in mails_to(user)
        if ReminderLog.objects.get(pk=m.extra_headers["X-Busan-Reminder"]).is_escalation
    ]


def test_a_persons_reminders_of_one_day_are_one_email(city):
    make_tasks(city, 4, D(2024, 3, 28))
    outbox.run_sweep(D(2024, 3, 25))
    (message,) = mails_to(city.finance_staff)
    assert message.extra_headers["X-Busan-Digest"] == "4"
    assert ReminderLog.objects.filter(recipient=city.finance_staff, state=SENT).count() == 4
    assert message.body.count("/tasks/") == 4
    assert "마감 임박" in message.body
    assert reverse("reminders:notifications") in message.body


def test_one_email_for_each_when_the_person_chose_so(city):
    daily.set_delivery(user=city.finance_staff, delivery="each")
    make_tasks(city, 4, D(2024, 3, 28))
    outbox.run_sweep(D(2024, 3, 25))
    assert len(mails_to(city.finance_staff)) == 4
    assert all("X-Busan-Digest" not in m.extra_headers for m in mail.outbox)


def test_every_task_escalated_to_a_person_is_in_one_email_whatever_their_choice(city):
    daily.set_delivery(user=city.mayors_office, delivery="each")
    make_tasks(city, 25, D(2024, 3, 1))  # overdue: to the head, then the mayor's office
    outbox.run_sweep(D(2024, 3, 25))
    (to_office,) = escalation_mails_to(city.mayors_office)
    assert to_office.extra_headers["X-Busan-Digest"] == "25"
    assert "핵심과제 25건" in to_office.subject  # [기한 경과] 핵심과제 25건 보고
    assert to_office.body.count("/reminders/acknowledge/") == 25
    (to_head,) = mails_to(city.economy_head)
    assert to_head.extra_headers["X-Busan-Digest"] == "25"
    escalations = ReminderLog.objects.filter(kind__in=ReminderLog.ESCALATIONS)
    assert escalations.count() == 50 and set(escalations.values_list("state", flat=True)) == {SENT}


def test_escalations_found_later_the_same_day_wait_for_tomorrows_email(city, settings):
    today = dates.today()
    make_tasks(city, 3, today - dt.timedelta(days=30))
    outbox.run_sweep(today)
    assert len(escalation_mails_to(city.mayors_office)) == 1
    # Later that day (a sweep on an interval) two more tasks are found overdue.
    make_tasks(city, 2, today - dt.timedelta(days=30))
    outbox.run_sweep(today)
    assert len(escalation_mails_to(city.mayors_office)) == 1  # still one email today
    waiting = ReminderLog.objects.filter(
        recipient=city.mayors_office, state=ReminderLog.State.PENDING
    )
    assert waiting.count() == 2
    assert set(waiting.values_list("send_on", flat=True)) == {today + dt.timedelta(days=1)}
    assert set(waiting.values_list("attempts", flat=True)) == {0}
    # Tomorrow's delivery sends them, in one email.
    outbox.deliver_pending(today=today + dt.timedelta(days=1))
    assert len(escalation_mails_to(city.mayors_office)) == 2
    assert escalation_mails_to(city.mayors_office)[-1].extra_headers["X-Busan-Digest"] == "2"


def test_a_digest_that_fails_is_retried_whole(city, settings):
    from tests.reminders.backends import FailingBackend

    settings.EMAIL_BACKEND = "tests.reminders.backends.FailingBackend"
    FailingBackend.failing = {city.finance_staff.email}
    make_tasks(city, 3, D(2024, 3, 28))
    outbox.run_sweep(D(2024, 3, 25))
    rows = ReminderLog.objects.filter(recipient=city.finance_staff)
    assert set(rows.values_list("state", flat=True)) == {ReminderLog.State.FAILED}
    FailingBackend.failing = set()
    rows.update(next_attempt_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    outbox.deliver_pending(today=D(2024, 3, 25))
    assert set(rows.values_list("state", flat=True)) == {SENT}


def test_the_daily_email_costs_the_same_queries_for_3_or_30_reminders(city):
    def queries_for(n, day):
        make_tasks(city, n, day + dt.timedelta(days=1))
        outbox.record_due(due_reminders(day))
        before = len(mail.outbox)
        with CaptureQueriesContext(connection) as ctx:
            outbox.deliver_pending(today=day)
        assert len(mails_to(city.finance_staff)) == (1 if n == 3 else 2)
        return len(ctx.captured_queries), len(mail.outbox) - before

    few, few_emails = queries_for(3, D(2024, 3, 26))
    many, many_emails = queries_for(30, D(2024, 4, 16))
    # One UPDATE per email (the owner's one email, the escalations of the first three
    # to the head and the mayor's office), whatever the number of tasks it lists.
    assert many - few == many_emails - few_emails


# --- the settings page -------------------------------------------------------------

URL = reverse("reminders:notifications")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("finance_staff", 200),
        ("other_staff", 200),
        ("economy_head", 200),
        ("welfare_head", 200),
        ("mayors_office", 200),
    ],
)
def test_everyone_signed_in_has_their_own_settings_page(city, role, status):
    client = Client() if role == "anonymous" else client_for(getattr(city, role))
    assert client.get(URL).status_code == status


def test_a_person_chooses_one_email_for_each(city):
    client = client_for(city.finance_staff)
    page = client.get(URL).content.decode()
    assert (
        'value="daily" checked' in page
        or 'checked value="daily"' in page
        or ('value="daily"' in page and "checked" in page)
    )
    response = client.post(URL, {"delivery": "each"})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=city.finance_staff).delivery == "each"
    assert daily.delivery_of(city.other_staff) == "daily"  # nobody else's changed
    refused = client.post(URL, {"delivery": "hourly"})
    assert refused.status_code == 200
    assert "올바르게 선택해 주세요" in refused.content.decode()
    assert NotificationPreference.objects.get(user=city.finance_staff).delivery == "each"
