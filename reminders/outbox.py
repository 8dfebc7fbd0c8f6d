"""Sending reminders exactly once: record what is due, claim it, send it, mark it sent.

1. ``record_due`` writes one pending log row per reminder; the database's uniqueness
   constraint on (subject, deadline, kind, recipient) makes a second sweep, a retried
   job or a second worker a no-op.
2. ``deliver_pending`` claims a batch with one conditional UPDATE (0 rows = another
   worker has them, as healthchecks claims its checks), sends it over one SMTP
   connection and marks each row sent right after its message is accepted.
3. A failed send is retried with exponential back-off; a row left claimed by a worker
   that died is claimed again once ``REMINDER_CLAIM_TIMEOUT_SECONDS`` have passed.
4. A worker that lives through losing the database (PostgreSQL restarted mid-batch)
   settles what it was sending as soon as the database answers again
   (``settle_interrupted``): no wait for the claim timeout, no resend.

The one window no database can close is between the mail server accepting a message
and our commit of "sent": a crash exactly there resends that one message. Each message
carries a Message-ID derived from its log row, so the resend is the same message and
mail systems that de-duplicate by Message-ID show it once.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import DatabaseError, connection
from django.db.models import F, Q
from django.utils import timezone

from plans import dates

from . import daily, heartbeat
from .emails import make_message
from .models import ReminderLog
from .policy import Due
from .recipients import can_receive
from .subjects import SUBJECT_TYPES, due_reminders

logger = logging.getLogger(__name__)
State = ReminderLog.State
Job = heartbeat.Job


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0
    cancelled: int = 0
    lost: int = 0  # claimed by another worker after our claim timed out
    settled: int = 0  # left claimed when the database went away, settled on its return


@dataclass
class SweepResult:
    today: dt.date
    due: int = 0
    recorded: int = 0
    delivery: DeliveryResult = field(default_factory=DeliveryResult)


def run_sweep(today: dt.date | None = None, *, deliver: bool = True) -> SweepResult:
    """The daily job: work out what is due today, record it, send it."""
    today = today or dates.today()
    heartbeat.record(Job.SWEEP, started=True)
    due = due_reminders(today)
    result = SweepResult(today=today, due=len(due), recorded=record_due(due))
    if deliver:
        result.delivery = deliver_pending(today=today)
    # Only a sweep of the real today counts as today's: one run by hand as of another
    # day (send_reminders --today) must not make today's look missed, or done.
    heartbeat.record(Job.SWEEP, finished=True, day=today if today == dates.today() else None)
    logger.info(
        "Reminder sweep for %s: %d due, %d new, %s",
        today,
        result.due,
        result.recorded,
        result.delivery,
    )
    return result


def sweep_missed(now: dt.datetime | None = None) -> bool:
    """Today's daily sweep should have run by now and has not finished: the worker, the
    scheduler or the broker was down at the sweep hour, or the sweep died half-way.
    (A sweep beat could not send is not sent again until the next day.)"""
    if settings.REMINDER_SWEEP_INTERVAL_SECONDS > 0:
        return False  # the sweep runs on an interval: no hour to miss
    now = now or timezone.now()
    today = dates.today(now)
    if now < dates.at(today, dt.time(settings.REMINDER_SWEEP_HOUR)):
        return False  # owners get today's reminders from the sweep hour on, not earlier
    return not heartbeat.swept(today)


def run_scheduled_delivery(today: dt.date | None = None) -> DeliveryResult:
    """Beat's periodic run: send what is waiting, after catching up today's sweep if it
    was missed, so reminders resume however long the worker was away. (A run as of a
    given day only delivers.)"""
    if today is None and sweep_missed():
        logger.warning("Today's reminder sweep has not run: running it now")
        return run_sweep().delivery
    return deliver_pending(today=today)


# --- recording ---------------------------------------------------------------------


def record_due(due: Sequence[Due]) -> int:
    """Write a pending row for each reminder not yet in the log; returns how many were new.

    One statement whatever the number: on PostgreSQL an INSERT … SELECT FROM unnest(…)
    ON CONFLICT DO NOTHING (Django's bulk_create spends seconds compiling thousands of
    rows); elsewhere bulk_create with ignore_conflicts.
    """
    if not due:
        return 0
    if connection.vendor == "postgresql":
        return _record_due_postgresql(due)
    before = ReminderLog.objects.count()
    ReminderLog.objects.bulk_create(
        [
            ReminderLog(
                subject_type=d.subject_type,
                subject_id=d.subject_id,
                deadline=d.deadline,
                kind=d.kind,
                recipient_id=d.recipient_id,
                send_on=d.send_on,
                reason=d.reason[:300],
            )
            for d in due
        ],
        ignore_conflicts=True,
    )
    return ReminderLog.objects.count() - before


def _record_due_postgresql(due: Sequence[Due]) -> int:
    column = {f.name: f.column for f in ReminderLog._meta.concrete_fields}
    columns = [
        "subject_type", "subject_id", "deadline", "kind", "recipient", "send_on", "reason",
        "state", "attempts", "last_error", "created_at",
    ]  # fmt: skip
    sql = (
        f"INSERT INTO {ReminderLog._meta.db_table} "
        f"({', '.join(column[c] for c in columns)}) "
        "SELECT t.*, %s, 0, '', %s FROM unnest("
        "%s::text[], %s::bigint[], %s::date[], %s::text[], %s::bigint[], %s::date[], %s::text[]"
        ") AS t ON CONFLICT DO NOTHING"
    )
    params = [
        State.PENDING,
        timezone.now(),
        [d.subject_type for d in due],
        [d.subject_id for d in due],
        [d.deadline for d in due],
        [d.kind for d in due],
        [d.recipient_id for d in due],
        [d.send_on for d in due],
        [d.reason[:300] for d in due],
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


# --- claiming ----------------------------------------------------------------------


def claimable(now: dt.datetime) -> Q:
    stuck_since = now - dt.timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT_SECONDS)
    return (
        Q(state=State.PENDING)
        | Q(state=State.FAILED, next_attempt_at__lte=now)
        | Q(state=State.CLAIMED, claimed_at__lt=stuck_since)
    )


def claim_batch(
    limit: int,
    now: dt.datetime | None = None,
    *,
    token: uuid.UUID | None = None,
    today: dt.date | None = None,
) -> tuple[uuid.UUID, int]:
    """Claim every waiting reminder of up to ``limit`` recipients for this worker, with
    one conditional UPDATE: a person's reminders are claimed together, so the day's
    digest (``reminders.daily``) is one email, never split between batches or workers.
    Reminders put off to a later day (``send_on``) wait for it.

    The condition is checked again on each row as it is updated, so of two workers
    racing for a row exactly one gets it (PostgreSQL re-evaluates the WHERE clause on
    the locked row; SQLite runs writers one at a time).
    """
    now = now or timezone.now()
    token = token or uuid.uuid4()
    waiting = ReminderLog.objects.filter(claimable(now), send_on__lte=today or dates.today(now))
    recipients = (
        waiting.order_by("recipient_id").values_list("recipient_id", flat=True).distinct()[:limit]
    )
    claimed = waiting.filter(recipient_id__in=list(recipients)).update(
        state=State.CLAIMED, claim_token=token, claimed_at=now, attempts=F("attempts") + 1
    )
    return token, claimed


# --- sending -----------------------------------------------------------------------


def _message_id(row: ReminderLog) -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "busan.example"
    return f"<reminder-{row.pk}.{row.deadline:%Y%m%d}@{domain}>"


def _retry_at(row: ReminderLog, now: dt.datetime) -> dt.datetime | None:
    if row.attempts >= settings.REMINDER_MAX_ATTEMPTS:
        return None  # given up: the admin shows it as failed with its error
    delay = settings.REMINDER_RETRY_BACKOFF_SECONDS * 2 ** (row.attempts - 1)
    return now + dt.timedelta(seconds=delay)


def deliver_pending(
    *, today: dt.date | None = None, batch_size: int | None = None, mail_connection=None
) -> DeliveryResult:
    """Send every claimable reminder, a batch at a time, one SMTP connection per batch."""
    today = today or dates.today()
    batch_size = batch_size or settings.REMINDER_BATCH_SIZE
    result = DeliveryResult()
    result.settled = settle_interrupted()
    heartbeat.record(Job.DELIVERY, started=True)
    while True:
        token = uuid.uuid4()
        try:
            _, claimed = claim_batch(batch_size, token=token, today=today)
            if claimed:
                _deliver_batch(token, today, result, mail_connection)
        except Exception:
            # Even if the claim itself failed, it may have committed before the
            # connection broke: the token is settled either way.
            _interrupted.setdefault(token, {})
            raise
        if not claimed:
            break
        heartbeat.record(Job.DELIVERY)  # a long delivery stays visibly alive
    heartbeat.record(Job.DELIVERY, finished=True)
    return result


# --- a database lost mid-batch -----------------------------------------------------

# The batches this process claimed and could not finish because a statement failed
# (PostgreSQL restarting, the network dropping): token → {reminder id: when the mail
# server accepted it} for messages that went out but could not be marked sent. Kept in
# the process, because the database is exactly what is missing; the process's next
# delivery run (the task's retry, seconds later) settles them. A process that dies
# takes them along, and the claim timeout takes over as before. Only failed batches
# are noted, so a batch still being sent is never settled under it.
_interrupted: dict[uuid.UUID, dict[int, dt.datetime]] = {}


def settle_interrupted() -> int:
    """Settle the batches a lost database connection interrupted: what the mail server
    accepted is marked sent (never sent again), the rest goes back to pending for this
    run. Rows another worker took over meanwhile are left to it. Returns the rows settled.
    """
    settled = 0
    for token, accepted in list(_interrupted.items()):
        held = ReminderLog.objects.filter(claim_token=token, state=State.CLAIMED)
        for pk, accepted_at in accepted.items():
            settled += held.filter(pk=pk).update(
                state=State.SENT, sent_at=accepted_at, last_error="", next_attempt_at=None
            )
        # The claim counted an attempt that never reached the mail server.
        settled += held.update(
            state=State.PENDING, claim_token=None, claimed_at=None, attempts=F("attempts") - 1
        )
        del _interrupted[token]
    if settled:
        logger.warning("Settled %d reminders a lost database connection interrupted", settled)
    return settled


def _sort_batch(rows: list[ReminderLog], today: dt.date) -> tuple[list[int], list[tuple]]:
    """(ids of the rows no longer due, (row, subject type, subject) of those to send).
    Each subject type loads its subjects for the whole batch at once."""
    ids_by_type: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        ids_by_type[row.subject_type].append(row.subject_id)
    subjects = {
        name: SUBJECT_TYPES[name].load(ids, today)
        for name, ids in ids_by_type.items()
        if name in SUBJECT_TYPES
    }
    stale, to_send = [], []
    for row in rows:
        subject_type = SUBJECT_TYPES.get(row.subject_type)
        subject = subjects.get(row.subject_type, {}).get(row.subject_id)
        if (
            subject_type is None
            or subject is None
            or not can_receive(row.recipient)
            or not subject_type.still_due(subject, row, today)
        ):
            stale.append(row.pk)
        else:
            to_send.append((row, subject_type, subject))
    return stale, to_send


def _deliver_batch(token: uuid.UUID, today: dt.date, result: DeliveryResult, mail_connection):
    rows = list(ReminderLog.objects.filter(claim_token=token, state=State.CLAIMED).order_by("id"))
    # Each recipient once, shared by their rows: a digest of 2,400 escalations is 2,400
    # rows of one person, not 2,400 copies of them.
    people = (
        get_user_model()
        .objects.filter(pk__in={row.recipient_id for row in rows})
        .select_related("profile__bureau")
    )
    recipients = {person.pk: person for person in people}
    for row in rows:
        row.recipient = recipients[row.recipient_id]
    stale, to_send = _sort_batch(rows, today)
    if stale:
        result.cancelled += ReminderLog.objects.filter(pk__in=stale, claim_token=token).update(
            state=State.CANCELLED, claim_token=None
        )
    if not to_send:
        return

    # One connection for the batch, opened once; reopened only after a failure, which
    # may have left it broken.
    conn = mail_connection or get_connection()
    _open(conn)
    try:
        for group in daily.group(to_send, today):
            group = _put_off_second_escalation_email(group, token, today)
            if group and not _send_group(group, token, today, result, conn):
                conn.close()
                _open(conn)
    finally:
        conn.close()


def _put_off_second_escalation_email(group: list[tuple], token: uuid.UUID, today: dt.date):
    """At most one escalation email a day: escalations that arrive after the person's
    email went out today wait for tomorrow's (and are not counted as an attempt)."""
    rows = [row for row, _type, _subject in group]
    escalations = [row.pk for row in rows if row.is_escalation]
    if not escalations or not daily.escalated_today(rows[0].recipient_id, today, escalations):
        return group
    ReminderLog.objects.filter(pk__in=escalations, claim_token=token).update(
        state=State.PENDING,
        claim_token=None,
        claimed_at=None,
        send_on=today + dt.timedelta(days=1),
        attempts=F("attempts") - 1,
    )
    return [item for item in group if not item[0].is_escalation]


def _send_group(group: list[tuple], token, today: dt.date, result: DeliveryResult, conn) -> bool:
    """Send one email for the group (a reminder alone, or a person's daily digest) and
    mark its rows sent the moment the server took it. False when the send failed."""
    rows = [row for row, _type, _subject in group]
    first = rows[0]
    try:
        if len(group) == 1:
            row, subject_type, subject = group[0]
            template, context = subject_type.email(subject, row, today)
        else:
            template, context = daily.email(group, today)
        headers = {"Message-ID": _message_id(first), "X-Busan-Reminder": str(first.pk)}
        if len(group) > 1:
            headers["X-Busan-Digest"] = str(len(group))
        message = make_message(template, first.recipient, context, headers=headers, connection=conn)
        if not message.send():
            raise RuntimeError("the mail backend accepted no message")
    except Exception as error:
        logger.warning("Reminder %s (%d in its email) not sent: %s", first.pk, len(rows), error)
        now = timezone.now()
        for row in rows:
            ReminderLog.objects.filter(pk=row.pk, claim_token=token).update(
                state=State.FAILED,
                last_error=f"{type(error).__name__}: {error}"[:2000],
                next_attempt_at=_retry_at(row, now),
                claim_token=None,
            )
        result.failed += len(rows)
        return False
    # Marked sent the moment the server took it: the window for a resend after a crash
    # is this one UPDATE, not the rest of the batch.
    accepted_at = timezone.now()
    ids = [row.pk for row in rows]
    try:
        marked = ReminderLog.objects.filter(pk__in=ids, claim_token=token).update(
            state=State.SENT, sent_at=accepted_at, last_error="", next_attempt_at=None
        )
    except DatabaseError:
        # Sent but not recorded: remembered, so settling marks them sent.
        _interrupted.setdefault(token, {}).update(dict.fromkeys(ids, accepted_at))
        raise
    result.sent += marked
    if marked < len(ids):
        result.lost += len(ids) - marked
        logger.warning("Reminders %s were re-claimed while being sent", ids)
    return True


def _open(conn) -> None:
    """Open the batch's connection. When the server is down the error is left for each
    send to meet and record (the backend then tries to connect per message)."""
    try:
        conn.open()
    except Exception as error:
        logger.warning("Mail server unavailable: %s", error)
