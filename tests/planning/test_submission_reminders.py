"""The heads of bureaus that have not submitted are reminded before the deadline, once,
through the reminder outbox."""

import datetime as dt

import pytest
from django.core import mail

from planning import services
from planning.reminders import PREPARATION, send_day
from reminders import outbox
from reminders.models import ReminderLog
from tests.planning.conftest import draft_for

D = dt.date


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.SITE_URL = "https://tracker.busan.example"
    settings.REMINDER_SUBMISSION_LEAD_DAYS = 7


def test_the_reminder_goes_out_lead_days_before_or_the_business_day_before():
    # Deadline Friday 2024-12-20: D-7 is Friday the 13th.
    assert send_day(D(2024, 12, 20), D(2024, 12, 12), 7) is None
    assert send_day(D(2024, 12, 20), D(2024, 12, 13), 7)[0] == D(2024, 12, 13)
    # D-7 on a Sunday goes out on the Friday before.
    assert send_day(D(2024, 12, 22), D(2024, 12, 13), 7)[0] == D(2024, 12, 13)
    assert send_day(D(2024, 12, 20), D(2024, 12, 20), 7) is None


def test_heads_who_have_not_submitted_are_reminded_exactly_once(city, next_year):
    submission, _draft = draft_for(city, next_year)
    services.move_submission(
        by=city.economy_head, submission=submission, move="submit", version=submission.version
    )
    deadline = next_year.preparation.deadline
    day = deadline - dt.timedelta(days=7)
    while day.weekday() >= 5:  # the sweep on a business day
        day -= dt.timedelta(days=1)
    outbox.run_sweep(day)
    outbox.run_sweep(day)
    outbox.run_sweep(day + dt.timedelta(days=1))
    rows = ReminderLog.objects.filter(subject_type=PREPARATION)
    assert [row.recipient for row in rows] == [city.welfare_head]  # economy submitted
    (message,) = [m for m in mail.outbox if m.to == [city.welfare_head.email]]
    assert "2025" in message.subject
    assert "https://tracker.busan.example/plans/2025/bureaus/welfare/" in message.body
    assert not [m for m in mail.outbox if m.to == [city.economy_head.email]]
