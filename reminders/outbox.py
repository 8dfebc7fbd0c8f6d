"""Sending reminders exactly once: record what is due, claim it, send it, mark it sent.

1. ``record_due`` writes one pending log row per reminder; the database's uniqueness
   constraint on (subject, deadline, kind, recipient) makes a second sweep, a retried
   job or a second worker a no-op.
2. ``deliver_pending`` claims a batch with one conditional UPDATE (0 rows = another
   worker has them, as healthchecks claims its checks), sends it over one SMTP
   connection and marks each row sent right after its message is accepted.
3. A failed send is retried with exponential back-off; a row left claimed by a worker
   that died is claimed again once ``REMINDER_CLAIM_TIMEOUT_SECONDS`` have passed.

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
from django.core.mail import get_connection
from django.db import connection
from django.db.models import F, Q
from django.utils import timezone

from plans import dates

from .emails import make_message
from .models import ReminderLog
from .policy import Due
from .recipients import can_receive
from .subjects import SUBJECT_TYPES, due_reminders

logger = logging.getLogger(__name__)
State = ReminderLog.State


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0
    cancelled: int = 0
    lost: int = 0  # claimed by another worker after our claim timed out


@dataclass
class SweepResult:
    today: dt.date
    due: int = 0
    recorded: int = 0
    delivery: DeliveryResult = field(default_factory=DeliveryResult)


def run_sweep(today: dt.date | None = None, *, deliver: bool = True) -> SweepResult:
    """The daily job: work out what is due today, record it, send it."""
    today = today or dates.today()
    due = due_reminders(today)
    result = SweepResult(today=today, due=len(due), recorded=record_due(due))
    if deliver:
        result.delivery = deliver_pending(today=today)
    logger.info(
        "Reminder sweep for %s: %d due, %d new, %s",
        today,
        result.due,
        result.recorded,
        result.delivery,
    )
    return result


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


def claim_batch(limit: int, now: dt.datetime | None = None) -> tuple[uuid.UUID, int]:
    """Claim up to ``limit`` rows for this worker with one conditional UPDATE.

    The condition is checked again on each row as it is updated, so of two workers
    racing for a row exactly one gets it (PostgreSQL re-evaluates the WHERE clause on
    the locked row; SQLite runs writers one at a time).
    """
    now = now or timezone.now()
    token = uuid.uuid4()
    candidates = ReminderLog.objects.filter(claimable(now)).order_by("id").values("id")[:limit]
    claimed = ReminderLog.objects.filter(claimable(now), pk__in=candidates).update(
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
    while True:
        token, claimed = claim_batch(batch_size)
        if not claimed:
            return result
        _deliver_batch(token, today, result, mail_connection)


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
    rows = list(
        ReminderLog.objects.filter(claim_token=token, state=State.CLAIMED)
        .select_related("recipient__profile__bureau")
        .order_by("id")
    )
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
        for row, subject_type, subject in to_send:
            try:
                template, context = subject_type.email(subject, row, today)
                message = make_message(
                    template,
                    row.recipient,
                    context,
                    headers={"Message-ID": _message_id(row), "X-Busan-Reminder": str(row.pk)},
                    connection=conn,
                )
                if not message.send():
                    raise RuntimeError("the mail backend accepted no message")
            except Exception as error:
                logger.warning("Reminder %s not sent: %s", row.pk, error)
                now = timezone.now()
                ReminderLog.objects.filter(pk=row.pk, claim_token=token).update(
                    state=State.FAILED,
                    last_error=f"{type(error).__name__}: {error}"[:2000],
                    next_attempt_at=_retry_at(row, now),
                    claim_token=None,
                )
                result.failed += 1
                conn.close()
                _open(conn)
                continue
            # Marked sent the moment the server took it: the window for a resend after a
            # crash is this one UPDATE, not the rest of the batch.
            marked = ReminderLog.objects.filter(pk=row.pk, claim_token=token).update(
                state=State.SENT, sent_at=timezone.now(), last_error="", next_attempt_at=None
            )
            if marked:
                result.sent += 1
            else:
                result.lost += 1
                logger.warning("Reminder %s was re-claimed while being sent", row.pk)
    finally:
        conn.close()


def _open(conn) -> None:
    """Open the batch's connection. When the server is down the error is left for each
    send to meet and record (the backend then tries to connect per message)."""
    try:
        conn.open()
    except Exception as error:
        logger.warning("Mail server unavailable: %s", error)
