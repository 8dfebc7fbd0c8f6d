"""Each bureau presenting at a report session is asked to bring its report up to date."""

import datetime as dt

from django.core import mail

from meetings.reminders import session_day, session_prep_step
from reminders import outbox
from reminders.models import ReminderLog
from tests.factories import AgendaItemFactory, ReportSessionFactory

D = dt.date


def session_at(city, kst_hour, day):
    starts = dt.datetime(day.year, day.month, day.day, kst_hour, tzinfo=dt.UTC) - dt.timedelta(
        hours=9
    )
    session = ReportSessionFactory(
        sector=city.sectors[0], starts_at=starts, ends_at=starts + dt.timedelta(hours=2)
    )
    return AgendaItemFactory(
        session=session,
        bureau=city.finance,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
    )


def test_the_preparation_reminder_goes_out_lead_days_before_the_session():
    # Session Monday 2024-01-15: D-5 is Wednesday the 10th.
    assert session_prep_step(D(2024, 1, 15), D(2024, 1, 9), lead_days=5) is None
    assert session_prep_step(D(2024, 1, 15), D(2024, 1, 10), lead_days=5)[0] == D(2024, 1, 10)
    assert session_prep_step(D(2024, 1, 15), D(2024, 1, 15), lead_days=5) is None


def test_the_presenting_bureaus_head_is_asked_five_business_days_before(city):
    item = session_at(city, 10, D(2024, 1, 15))  # Monday 10:00 KST
    outbox.run_sweep(D(2024, 1, 9))
    assert not ReminderLog.objects.filter(subject_type="agenda").exists()
    outbox.run_sweep(D(2024, 1, 10))  # Wednesday, 5 days before
    (message,) = [m for m in mail.outbox if m.to == [city.economy_head.email]]
    assert "2024년 1월 15일 (월)" in message.subject
    assert city.finance_task.code in message.body
    assert f"https://tracker.busan.example/tasks/{city.finance_task.pk}/" in message.body
    row = ReminderLog.objects.get(subject_type="agenda")
    assert (row.subject_id, row.kind, row.deadline, row.state) == (
        item.pk,
        "session_prep",
        D(2024, 1, 15),
        ReminderLog.State.SENT,
    )
    outbox.run_sweep(D(2024, 1, 11))
    assert len([m for m in mail.outbox if m.to == [city.economy_head.email]]) == 1


def test_an_early_morning_session_counts_by_its_day_in_busan(city):
    item = session_at(city, 8, D(2024, 1, 15))  # 08:00 KST = 23:00 UTC on the 14th
    assert item.session.starts_at.date() == D(2024, 1, 14)
    assert session_day(item) == D(2024, 1, 15)
    outbox.run_sweep(D(2024, 1, 10))
    assert ReminderLog.objects.get(subject_type="agenda").deadline == D(2024, 1, 15)


def test_a_moved_session_re_arms_its_reminder(city):
    item = session_at(city, 10, D(2024, 1, 15))
    outbox.run_sweep(D(2024, 1, 10))
    session = item.session
    session.starts_at += dt.timedelta(days=7)
    session.ends_at += dt.timedelta(days=7)
    session.save()
    outbox.run_sweep(D(2024, 1, 17))
    deadlines = sorted(
        ReminderLog.objects.filter(subject_type="agenda", state="sent").values_list(
            "deadline", flat=True
        )
    )
    assert deadlines == [D(2024, 1, 15), D(2024, 1, 22)]
