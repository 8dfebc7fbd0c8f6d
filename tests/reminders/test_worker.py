"""Reminders through real Celery worker processes: on Redis, killed mid-batch, and on the
run command's embedded default with no Redis at all.

The workers run the project's settings against this test's (committed) PostgreSQL
database and write mail with Django's file backend into a folder the test reads.
"""

import datetime as dt
from email.header import decode_header, make_header

import pytest
from django.db.models import Count

from plans import dates
from reminders.models import ReminderLog
from tests.reminders.conftest import make_owned_tasks
from tests.reminders.workers import WorkerFactory, redis_url, wait_for

pytestmark = [pytest.mark.celery, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SENT = ReminderLog.State.SENT
MONDAY = "2024-03-25"
SWEEP = "reminders.tasks.run_reminder_sweep"
DELIVER = "reminders.tasks.deliver_reminders"


@pytest.fixture
def redis_workers(tmp_path):
    factory = WorkerFactory(tmp_path, broker_url=redis_url())
    yield factory
    factory.stop_all()


def sent_count() -> int:
    return ReminderLog.objects.filter(state=SENT).count()


def test_two_workers_and_a_retried_sweep_send_each_reminder_once(city, redis_workers):
    tasks = make_owned_tasks(city, 12, dt.date(2024, 3, 28))
    redis_workers.start()
    redis_workers.start()
    # The same sweep three times, as a retried or duplicated job would be, on two workers.
    for _ in range(3):
        redis_workers.send(SWEEP, today=MONDAY)

    expected = 12 + 1  # twelve owners' "3 days before" and the weekly digest
    wait_for(lambda: sent_count() == expected, message=f"{expected} reminders sent")
    # Nothing left in flight: all three sweeps have run to the end.
    wait_for(lambda: redis_workers.finished(SWEEP) == 3, message="the three sweeps finished")
    counts = redis_workers.sent_reminder_ids()
    assert set(counts) == set(ReminderLog.objects.values_list("id", flat=True))
    assert set(counts.values()) == {1}
    assert ReminderLog.objects.count() == expected

    owners = {task.owner.email for task in tasks}
    owner_mail = [m for m in redis_workers.messages() if m["To"] in owners]
    assert len(owner_mail) == 12
    text = owner_mail[0].get_payload()[0].get_payload(decode=True).decode()
    assert "https://tracker.busan.example/tasks/" in text
    assert "2024년 3월 28일 (목)" in text


def test_a_worker_killed_mid_batch_is_restarted_and_every_reminder_goes_out_once(
    city, redis_workers
):
    # Due in 3 days from today in Busan: the restarted worker's beat delivers as of today.
    make_owned_tasks(city, 30, dates.today() + dt.timedelta(days=3))
    # Each message takes 0.3 s to "send", so the batch of 31 takes ~9 s.
    first = redis_workers.start(
        EMAIL_BACKEND="tests.reminders.backends.SlowFileBackend", SLOW_MAIL_SECONDS="0.3"
    )
    redis_workers.send(SWEEP)

    def between_messages() -> bool:
        # Every message written is marked sent: the worker is in the next one's 0.3 s
        # send, well clear of the mark-as-sent (a kill there would resend one message).
        written = sum(redis_workers.sent_reminder_ids().values())
        return written >= 5 and written == sent_count()

    wait_for(between_messages, message="5 sent and marked sent")
    first.kill()

    expected = ReminderLog.objects.count()
    assert expected >= 31  # thirty owners' reminders and this week's digest
    states = dict(ReminderLog.objects.values_list("state").annotate(n=Count("id")).order_by())
    assert 5 <= states.get("sent", 0) < expected
    assert states.get("claimed", 0) >= 1  # left claimed by the dead worker
    before = redis_workers.sent_reminder_ids()
    assert set(before.values()) == {1}

    # A new worker with its scheduler: beat's periodic delivery picks up the rows the
    # dead worker left claimed once the claim timeout has passed. Nothing is resent by
    # hand and the killed message is not needed.
    redis_workers.start(
        "-B",
        f"--schedule={redis_workers.tmp_path / 'beat-schedule'}",
        REMINDER_CLAIM_TIMEOUT_SECONDS="2",
        REMINDER_DELIVERY_INTERVAL_SECONDS="1",
    )
    wait_for(lambda: sent_count() == expected, timeout=90, message="all sent after the restart")
    # Nothing left in flight: a delivery run of the one live worker (concurrency 1)
    # has finished since every row was sent.
    runs = redis_workers.finished(DELIVER)
    wait_for(lambda: redis_workers.finished(DELIVER) > runs, message="a delivery run since")
    counts = redis_workers.sent_reminder_ids()
    assert set(counts) == set(ReminderLog.objects.values_list("id", flat=True))
    duplicates = {pk: n for pk, n in counts.items() if n != 1}
    assert duplicates == {}
    assert ReminderLog.objects.exclude(state=SENT).count() == 0
    retried = ReminderLog.objects.filter(attempts=2).count()
    assert retried >= 1  # the rows the dead worker held were claimed a second time


def test_the_run_commands_embedded_default_delivers_with_no_redis(city, tmp_path):
    """bin/run starts ``celery -A busan_tracker worker -B`` on the filesystem broker."""
    task = city.finance_task
    task.due_date = dates.today() + dt.timedelta(days=3)
    task.save()
    factory = WorkerFactory(tmp_path, broker_url=None)  # CELERY_BROKER_URL unset
    assert "CELERY_BROKER_URL" not in factory.env
    try:
        worker = factory.start(
            "-B",
            f"--schedule={tmp_path / 'celerybeat-schedule'}",
            REMINDER_SWEEP_INTERVAL_SECONDS="2",
        )
        wait_for(
            lambda: ReminderLog.objects.filter(recipient=city.finance_staff, state=SENT).exists(),
            timeout=90,
            message="the owner's reminder sent by beat + worker on the filesystem broker",
        )
        log = worker.log.read_text()
        assert "filesystem://" in log
        assert "redis://" not in log
        assert (tmp_path / "var" / "celery-queue").is_dir()
        owner_mail = [m for m in factory.messages() if m["To"] == city.finance_staff.email]
        assert len(owner_mail) == 1
        subject = str(make_header(decode_header(owner_mail[0]["Subject"])))
        assert task.code in subject
    finally:
        factory.stop_all()
