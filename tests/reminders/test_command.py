"""``manage.py send_reminders``: by hand, with a dry run that says who and why."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reminders.models import ReminderLog


def run(*args):
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_dry_run_lists_who_would_get_what_and_why_and_sends_nothing(due_task, city, mailoutbox):
    out = run("--dry-run", "--today", "2024-03-23")  # Saturday: D-7 was Thursday
    assert "finance_staff <finance_staff@busan.example>" in out
    assert "before_7" in out
    assert "7 day(s) before the due date 2024-03-28" in out
    assert f"task:{due_task.pk}" in out
    assert mailoutbox == []
    assert not ReminderLog.objects.exists()


def test_dry_run_says_when_a_reminder_was_already_sent(due_task, city):
    run("--today", "2024-03-25")
    out = run("--dry-run", "--today", "2024-03-25")
    assert "[already sent]" in out


def test_a_sweep_by_hand_sends_and_reports(due_task, city, mailoutbox):
    out = run("--today", "2024-03-25")
    assert "sent 2" in out  # the owner's reminder and the mayor's office's weekly digest
    assert {tuple(m.to) for m in mailoutbox} == {
        ("finance_staff@busan.example",),
        ("mayors_office@busan.example",),
    }


def test_a_bad_date_is_refused_clearly(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--today", "28/03/2024")


def test_dry_run_shows_a_holiday_shift(city):
    task = city.finance_task
    task.due_date = dt.date(2024, 9, 19)  # right after Chuseok
    task.save()
    out = run("--dry-run", "--today", "2024-09-13")
    assert "is a day off: moved to Fri 2024-09-13" in out
