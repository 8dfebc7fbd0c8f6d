"""The database goes away in the middle of a batch (PostgreSQL restarting): the worker's
retry, seconds later, settles the batch — what the mail server took is marked sent, not
sent again; the rest goes out at once instead of after the claim timeout."""

import datetime as dt
from collections import Counter

import pytest
from django.core import mail
from django.db import OperationalError, connection
from django.db.models import Count

from reminders import outbox
from reminders.models import ReminderLog
from reminders.subjects import due_reminders
from tests.reminders.backends import DatabaseCuttingBackend
from tests.reminders.conftest import make_owned_tasks

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

D = dt.date
State = ReminderLog.State
MONDAY = D(2024, 3, 25)


def states() -> dict[str, int]:
    return dict(ReminderLog.objects.values_list("state").annotate(n=Count("id")).order_by())


@pytest.fixture
def cutting_backend(settings):
    settings.EMAIL_BACKEND = "tests.reminders.backends.DatabaseCuttingBackend"
    DatabaseCuttingBackend.accepted = 0
    yield DatabaseCuttingBackend
    DatabaseCuttingBackend.cut_after = None


def test_a_batch_cut_off_from_the_database_is_settled_by_the_retry_without_a_resend(
    city, cutting_backend
):
    make_owned_tasks(city, 5, D(2024, 3, 28))
    outbox.record_due(due_reminders(MONDAY))  # five owners' reminders and the digest
    cutting_backend.cut_after = 3

    with pytest.raises(OperationalError):
        outbox.deliver_pending(today=MONDAY)
    # The third message went out; the connection died before it could be marked sent.
    assert len(mail.outbox) == 3
    connection.close()  # what Celery does with a broken connection before the retry
    assert states() == {State.SENT: 2, State.CLAIMED: 4}

    # The retry comes straight away; the claim timeout (900 s) has not passed.
    result = outbox.deliver_pending(today=MONDAY)
    assert result.settled == 4  # the accepted one marked sent, three back to pending
    assert result.sent == 3
    assert states() == {State.SENT: 6}
    sent = Counter(m.extra_headers["X-Busan-Reminder"] for m in mail.outbox)
    assert len(sent) == 6
    assert set(sent.values()) == {1}  # nobody got a message twice
    # Each reminder counts the attempts that reached the mail server: one.
    assert set(ReminderLog.objects.values_list("attempts", flat=True)) == {1}


def test_a_worker_that_died_instead_leaves_the_batch_to_the_claim_timeout(city, cutting_backend):
    make_owned_tasks(city, 5, D(2024, 3, 28))
    outbox.record_due(due_reminders(MONDAY))
    cutting_backend.cut_after = 3
    with pytest.raises(OperationalError):
        outbox.deliver_pending(today=MONDAY)
    connection.close()
    outbox._interrupted.clear()  # the process is gone, and what it remembered with it

    assert outbox.deliver_pending(today=MONDAY).sent == 0  # still claimed
    ReminderLog.objects.filter(state=State.CLAIMED).update(
        claimed_at=dt.datetime(2024, 3, 25, tzinfo=dt.UTC)
    )
    assert outbox.deliver_pending(today=MONDAY).sent == 4
    sent = Counter(m.extra_headers["X-Busan-Reminder"] for m in mail.outbox)
    # The documented bound: the message in flight at the crash goes out once more, the
    # same message (its Message-ID comes from its log row).
    assert sorted(sent.values()) == [1, 1, 1, 1, 1, 2]
    (twice,) = [pk for pk, n in sent.items() if n == 2]
    copies = [m for m in mail.outbox if m.extra_headers["X-Busan-Reminder"] == twice]
    assert len({m.extra_headers["Message-ID"] for m in copies}) == 1
