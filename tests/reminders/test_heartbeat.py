"""City IT can tell whether reminders are going out: the scheduler's heartbeat, the
longest-waiting reminder, and an alarm when either is late (claim timeout + one
delivery interval)."""

import datetime as dt
import json

import pytest
from django.db.models import F

from plans import dates
from reminders import health, heartbeat, outbox
from reminders.models import ReminderLog, SchedulerHeartbeat
from reminders.subjects import due_reminders
from tests.reminders.conftest import make_owned_tasks, make_tasks

D = dt.date
State = ReminderLog.State
NOW = dt.datetime(2024, 3, 25, 3, 0, tzinfo=dt.UTC)  # Monday 12:00 in Busan


@pytest.fixture(autouse=True)
def _thresholds(settings):
    settings.REMINDER_CLAIM_TIMEOUT_SECONDS = 900
    settings.REMINDER_DELIVERY_INTERVAL_SECONDS = 300  # alarm after 1,200 s


def recorded_reminder(city, **fields) -> ReminderLog:
    """The owner's "3 days before" reminder of the finance task, as the sweep records it."""
    return ReminderLog.objects.create(
        subject_type="task",
        subject_id=city.finance_task.pk,
        deadline=D(2024, 3, 28),
        kind="before_3",
        recipient=city.finance_staff,
        send_on=D(2024, 3, 25),
        **fields,
    )


def backdate(row: ReminderLog, moment: dt.datetime) -> None:
    # created_at is auto_now_add: only an UPDATE can put a reminder in the past.
    ReminderLog.objects.filter(pk=row.pk).update(created_at=moment)


def delivery_ran(at: dt.datetime) -> None:
    heartbeat.record(heartbeat.Job.DELIVERY, started=True, finished=True, now=at)


def test_a_delivery_run_and_a_sweep_leave_their_heartbeat(due_task, city):
    before = dt.datetime.now(dt.UTC)
    outbox.run_sweep()
    beats = heartbeat.latest()
    delivery, sweep = beats["delivery"], beats["sweep"]
    assert before <= delivery.started_at <= delivery.alive_at
    assert delivery.finished_at == delivery.alive_at
    assert sweep.day == dates.today()
    assert sweep.started_at <= delivery.started_at <= sweep.finished_at
    assert ":" in delivery.worker  # host:pid, so city IT knows which worker it was
    assert SchedulerHeartbeat.objects.count() == 2  # one row per job, overwritten

    # A sweep run by hand as of another day is a run, but not today's sweep.
    outbox.run_sweep(D(2024, 3, 25))
    sweep_again = heartbeat.latest()["sweep"]
    assert sweep_again.finished_at > sweep.finished_at
    assert sweep_again.day == dates.today()


def test_a_long_delivery_beats_after_every_batch(city, settings):
    from tests.reminders.backends import HeartbeatReadingBackend

    settings.EMAIL_BACKEND = "tests.reminders.backends.HeartbeatReadingBackend"
    settings.REMINDER_BATCH_SIZE = 2  # recipients: each person's reminders go together
    make_owned_tasks(city, 5, D(2024, 3, 28))
    outbox.record_due(due_reminders(D(2024, 3, 25)))
    HeartbeatReadingBackend.seen = []
    result = outbox.deliver_pending(today=D(2024, 3, 25))

    assert result.sent == 6  # five owners' reminders and the weekly digest
    # What the heartbeat said as each message went out: a new sign of life for each of
    # the three batches of two, so a delivery of thousands never looks silent.
    seen = HeartbeatReadingBackend.seen
    assert len(seen) == 6
    assert seen[0] == seen[1] < seen[2] == seen[3] < seen[4] == seen[5]
    assert heartbeat.latest()["delivery"].finished_at > seen[5]


def test_reminders_going_out_on_time_show_no_alarm(city):
    delivery_ran(NOW - dt.timedelta(minutes=4))
    recorded_reminder(city)
    row = ReminderLog.objects.get()
    backdate(row, NOW - dt.timedelta(minutes=10))

    status = health.reminder_health(NOW)
    assert status.state == health.OK
    assert status.alarms == ()
    assert status.waiting == 1
    assert status.oldest_waiting_seconds == 600
    assert status.scheduler_silent_seconds == 240
    assert status.alarm_after_seconds == 1200


def test_a_reminder_waiting_longer_than_claim_timeout_plus_one_interval_raises_the_alarm(city):
    delivery_ran(NOW - dt.timedelta(minutes=1))
    row = recorded_reminder(city)
    backdate(row, NOW - dt.timedelta(seconds=1201))

    status = health.reminder_health(NOW)
    assert status.state == health.ALARM
    assert status.alarms == (health.REMINDER_STUCK,)
    assert status.oldest_waiting_seconds == 1201


def test_a_reminder_a_dead_worker_left_claimed_alarms_once_nobody_took_it_over(city):
    delivery_ran(NOW - dt.timedelta(minutes=1))
    row = recorded_reminder(city, state=State.CLAIMED, claimed_at=NOW - dt.timedelta(minutes=19))
    backdate(row, NOW - dt.timedelta(hours=3))  # recorded long ago, claimed recently

    assert health.reminder_health(NOW).alarms == ()
    assert health.reminder_health(NOW + dt.timedelta(minutes=2)).alarms == (health.REMINDER_STUCK,)


def test_a_retry_waiting_out_its_back_off_is_not_late_but_one_overdue_for_it_is(city):
    delivery_ran(NOW - dt.timedelta(minutes=1))
    row = recorded_reminder(
        city, state=State.FAILED, attempts=3, next_attempt_at=NOW + dt.timedelta(minutes=30)
    )
    backdate(row, NOW - dt.timedelta(hours=5))
    status = health.reminder_health(NOW)
    assert (status.state, status.waiting, status.oldest_waiting_since) == (health.OK, 1, None)

    ReminderLog.objects.filter(pk=row.pk).update(next_attempt_at=NOW - dt.timedelta(minutes=21))
    status = health.reminder_health(NOW)
    assert status.alarms == (health.REMINDER_STUCK,)
    assert status.oldest_waiting_seconds == 21 * 60


def test_a_reminder_given_up_after_every_retry_is_counted_but_not_waiting(city):
    delivery_ran(NOW - dt.timedelta(minutes=1))
    recorded_reminder(city, state=State.FAILED, attempts=6, next_attempt_at=None)
    status = health.reminder_health(NOW)
    assert (status.state, status.waiting, status.given_up) == (health.OK, 0, 1)


def test_a_silent_scheduler_raises_the_alarm_even_with_nothing_waiting(city):
    delivery_ran(NOW - dt.timedelta(seconds=1201))
    status = health.reminder_health(NOW)
    assert status.waiting == 0
    assert status.alarms == (health.SCHEDULER_SILENT,)
    assert status.state == health.ALARM


def test_a_site_whose_worker_never_ran_is_unknown_until_something_waits_too_long(city):
    status = health.reminder_health(NOW)
    assert (status.state, status.delivery_alive_at) == (health.UNKNOWN, None)

    row = recorded_reminder(city)
    backdate(row, NOW - dt.timedelta(hours=1))
    assert health.reminder_health(NOW).state == health.ALARM


def test_the_heartbeat_as_plain_values_for_healthz(city):
    delivery_ran(NOW - dt.timedelta(minutes=2))
    heartbeat.record(heartbeat.Job.SWEEP, finished=True, day=D(2024, 3, 25), now=NOW)
    row = recorded_reminder(city)
    backdate(row, NOW - dt.timedelta(minutes=30))

    values = health.reminder_health(NOW).as_dict()
    assert json.loads(json.dumps(values)) == values  # plain JSON values only
    assert values["state"] == "alarm"
    assert values["alarms"] == ["reminder_stuck"]
    assert values["scheduler_last_ran_at"] == "2024-03-25T02:58:00+00:00"
    assert values["scheduler_silent_seconds"] == 120
    assert values["sweep_last_day"] == "2024-03-25"
    assert values["oldest_waiting_seconds"] == 1800
    assert (values["waiting"], values["given_up"], values["alarm_after_seconds"]) == (1, 0, 1200)


def test_healthz_reads_a_state_and_facts_without_errors(city):
    assert health.reminder_health(NOW).for_healthz() == ("unknown", "0 waiting")
    delivery_ran(NOW - dt.timedelta(seconds=42))
    row = recorded_reminder(city)
    backdate(row, NOW - dt.timedelta(seconds=3))
    assert health.reminder_health(NOW).for_healthz() == (
        "ok",
        "delivery ran 42 s ago; oldest waiting reminder 3 s; 1 waiting",
    )
    backdate(row, NOW - dt.timedelta(hours=1))
    assert health.reminder_health(NOW).for_healthz() == (
        "failing",
        "delivery ran 42 s ago; oldest waiting reminder 3600 s; 1 waiting; alarm: reminder_stuck",
    )


def test_the_heartbeat_takes_two_queries_however_long_the_log(city, django_assert_num_queries):
    delivery_ran(NOW)
    recorded_reminder(city)
    with django_assert_num_queries(2):
        health.reminder_health(NOW)
    make_tasks(city, 30, D(2024, 3, 28))
    outbox.record_due(due_reminders(D(2024, 3, 25)))
    ReminderLog.objects.filter(pk__in=ReminderLog.objects.values("pk")[:10]).update(
        state=State.FAILED, next_attempt_at=None, attempts=F("attempts") + 6
    )
    with django_assert_num_queries(2):
        status = health.reminder_health(NOW)
    assert (status.waiting, status.given_up) == (ReminderLog.objects.count() - 10, 10)


# --- a missed daily sweep --------------------------------------------------------------


def test_a_daily_sweep_missed_while_the_worker_was_down_runs_at_the_next_delivery(city, settings):
    settings.REMINDER_SWEEP_HOUR = 0  # long past, whatever the hour now
    task = city.finance_task
    task.due_date = dates.today() + dt.timedelta(days=3)
    task.save()
    assert outbox.sweep_missed()

    result = outbox.run_scheduled_delivery()
    assert result.sent >= 1
    assert ReminderLog.objects.filter(recipient=city.finance_staff, state=State.SENT).exists()
    assert heartbeat.latest()["sweep"].day == dates.today()
    assert not outbox.sweep_missed()
    # The next run only delivers.
    assert outbox.run_scheduled_delivery().sent == 0


def test_nothing_is_caught_up_before_the_sweep_hour_or_when_sweeping_on_an_interval(city, settings):
    settings.REMINDER_SWEEP_HOUR = 8
    monday = D(2024, 3, 25)
    assert not outbox.sweep_missed(dates.at(monday, dt.time(7, 59)))
    assert outbox.sweep_missed(dates.at(monday, dt.time(8, 0)))
    heartbeat.record(heartbeat.Job.SWEEP, finished=True, day=monday)
    assert not outbox.sweep_missed(dates.at(monday, dt.time(8, 0)))
    assert outbox.sweep_missed(dates.at(monday + dt.timedelta(days=1), dt.time(9, 0)))

    settings.REMINDER_SWEEP_INTERVAL_SECONDS = 60
    assert not outbox.sweep_missed(dates.at(monday + dt.timedelta(days=1), dt.time(9, 0)))
