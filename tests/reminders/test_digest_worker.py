"""2,000 overdue key tasks through a real Celery worker: each of the mayor's office's
recipients gets one escalation email that day listing all of them — and still one after
the worker is killed in the middle of sending and a new one takes over.

Runs the project's settings against this test's (committed) PostgreSQL database, on
Redis, with mail written by Django's file backend into a folder the test reads (the
same harness as tests/reminders/test_worker.py).
"""

import datetime as dt
from collections import Counter

import pytest

from plans import dates
from plans.models import KeyTask
from reminders.models import ReminderLog
from tests.factories import KeyTaskFactory, ProfileFactory, UserFactory
from tests.reminders.workers import WorkerFactory, redis_url, wait_for

pytestmark = [pytest.mark.celery, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SWEEP = "reminders.tasks.run_reminder_sweep"
DELIVER = "reminders.tasks.deliver_reminders"
TASKS = 2000


@pytest.fixture
def redis_workers(tmp_path):
    factory = WorkerFactory(tmp_path, broker_url=redis_url())
    yield factory
    factory.stop_all()


def escalation_emails(factory) -> Counter:
    """How many escalation emails each address received (one row id names each email)."""
    escalations = set(
        ReminderLog.objects.filter(kind__in=ReminderLog.ESCALATIONS).values_list("id", flat=True)
    )
    return Counter(
        message["To"]
        for message in factory.messages()
        if int(message["X-Busan-Reminder"]) in escalations
    )


def test_2000_overdue_tasks_are_one_escalation_email_each_even_after_a_killed_worker(
    city, redis_workers
):
    office = [city.mayors_office]
    for n in range(2):
        person = UserFactory(username=f"mayors_office_{n}")
        ProfileFactory(user=person, bureau=city.office, is_mayors_office=True)
        office.append(person)
    overdue = dates.today() - dt.timedelta(days=30)  # past both escalation steps
    KeyTask.objects.bulk_create(
        [
            KeyTaskFactory.build(
                sector=city.sectors[0],
                bureau=city.finance,
                owner=city.finance_staff,
                code=f"D-{i:05d}",
                start_date=overdue - dt.timedelta(days=100),
                due_date=overdue,
            )
            for i in range(TASKS)
        ],
        batch_size=1000,
    )
    # Each email takes 1.5 s to "send": the worker is killed while sending them.
    first = redis_workers.start(
        EMAIL_BACKEND="tests.reminders.backends.SlowFileBackend", SLOW_MAIL_SECONDS="1.5"
    )
    redis_workers.send(SWEEP)

    def one_escalation_email_out_and_marked_sent() -> bool:
        messages = redis_workers.messages()
        if not messages:
            return False
        ids = [int(m["X-Busan-Reminder"]) for m in messages]
        sent = ReminderLog.objects.filter(pk__in=ids, state=ReminderLog.State.SENT).count()
        return sum(escalation_emails(redis_workers).values()) >= 1 and sent == len(ids)

    wait_for(one_escalation_email_out_and_marked_sent, timeout=120, message="one email out")
    first.kill()
    escalations = ReminderLog.objects.filter(kind__in=ReminderLog.ESCALATIONS)
    # The head's 2,000 and each of the office's 2,000 (the other tasks of the city too).
    assert escalations.count() >= TASKS * 4
    assert escalations.filter(state=ReminderLog.State.CLAIMED).exists()  # left mid-send

    redis_workers.start(
        "-B",
        f"--schedule={redis_workers.tmp_path / 'beat-schedule'}",
        REMINDER_CLAIM_TIMEOUT_SECONDS="2",
        REMINDER_DELIVERY_INTERVAL_SECONDS="1",
    )
    wait_for(
        lambda: not ReminderLog.objects.exclude(state=ReminderLog.State.SENT).exists(),
        timeout=180,
        message="every reminder sent after the restart",
    )
    runs = redis_workers.finished(DELIVER)
    wait_for(lambda: redis_workers.finished(DELIVER) > runs, message="a delivery run since")

    received = escalation_emails(redis_workers)
    for person in office:
        assert received[person.email] == 1, received
    assert received[city.economy_head.email] == 1  # the head of the bureau above
    (to_office,) = [
        m
        for m in redis_workers.messages()
        if m["To"] == office[1].email
        and int(m["X-Busan-Reminder"]) in set(escalations.values_list("id", flat=True))
    ]
    assert int(to_office["X-Busan-Digest"]) >= TASKS
