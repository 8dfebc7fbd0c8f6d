"""Acknowledging an escalation: the signed link in the email, who acknowledged it and
when, and the one query of acknowledged escalations that the sweep, delivery and the
acknowledgement page all ask.

An escalation is acknowledged per subject and deadline: once anyone acknowledges the
head's or the mayor's office's email, no further escalation of that deadline is
created or sent. A moved deadline starts afresh.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from plans.links import absolute_reverse

from .models import ReminderLog

State = ReminderLog.State
# The salt dates from when the reminders lived in plans: links already sent stay valid.
ACK_SALT = "plans.reminders.acknowledge"
ACK_MAX_AGE = dt.timedelta(days=180)


# --- the signed link ----------------------------------------------------------------


def acknowledgement_token(row: ReminderLog) -> str:
    return signing.dumps(row.pk, salt=ACK_SALT, compress=True)


def acknowledgement_url(row: ReminderLog) -> str:
    return absolute_reverse("reminders:acknowledge", acknowledgement_token(row))


def reminder_from_token(token: str) -> ReminderLog | None:
    """The escalation a signed link names, or None when the link is forged or expired."""
    try:
        pk = signing.loads(token, salt=ACK_SALT, max_age=ACK_MAX_AGE)
    except signing.BadSignature:
        return None
    return (
        ReminderLog.objects.filter(pk=pk, kind__in=ReminderLog.ESCALATIONS)
        .select_related("acknowledged_by", "recipient")
        .first()
    )


# --- which escalations are acknowledged ---------------------------------------------


def escalations(
    subject_type: str,
    subject_ids: Collection[int] | None = None,
    deadline: dt.date | None = None,
) -> QuerySet[ReminderLog]:
    """The escalation rows of a subject type, narrowed to some subjects and a deadline."""
    rows = ReminderLog.objects.filter(subject_type=subject_type, kind__in=ReminderLog.ESCALATIONS)
    if subject_ids is not None:
        rows = rows.filter(subject_id__in=subject_ids)
    if deadline is not None:
        rows = rows.filter(deadline=deadline)
    return rows


def acknowledged(
    subject_type: str,
    subject_ids: Collection[int] | None = None,
    deadline: dt.date | None = None,
) -> QuerySet[ReminderLog]:
    """The acknowledged escalations: the one definition every reader goes through."""
    return escalations(subject_type, subject_ids, deadline).filter(acknowledged_at__isnull=False)


def acknowledged_deadlines(
    subject_type: str, subject_ids: Collection[int] | None = None
) -> set[tuple[int, dt.date]]:
    """(subject id, deadline) of every acknowledged escalation, in one query."""
    return set(acknowledged(subject_type, subject_ids).values_list("subject_id", "deadline"))


def acknowledgement_of(row: ReminderLog) -> ReminderLog | None:
    """The row through which this escalation (subject and deadline) was acknowledged."""
    return (
        acknowledged(row.subject_type, [row.subject_id], row.deadline)
        .select_related("acknowledged_by")
        .order_by("acknowledged_at")
        .first()
    )


# --- acknowledging ------------------------------------------------------------------


@transaction.atomic
def acknowledge(row: ReminderLog, *, by) -> ReminderLog:
    """Record who acknowledged an escalation and stop the rest of it: the escalations of
    the same deadline not yet sent are cancelled, and no later one is created."""
    earlier = acknowledgement_of(row)
    if earlier is not None:
        return earlier
    ReminderLog.objects.filter(pk=row.pk, acknowledged_at__isnull=True).update(
        acknowledged_by=by, acknowledged_at=timezone.now()
    )
    escalations(row.subject_type, [row.subject_id], row.deadline).filter(
        state__in=[State.PENDING, State.FAILED]
    ).update(state=State.CANCELLED, claim_token=None, next_attempt_at=None)
    row.refresh_from_db()
    return row
