"""The reminder policy: which reminder of a deadline is due on which day.

Plain functions of (deadline, today, policy), so the rules can be tested at their edges
without a database, a worker or a mail server:

- a reminder ahead of a deadline that would fall on a weekend or a Korean public
  holiday goes out on the business day before, and a sweep that missed a day catches
  up with the latest reminder due — never several at once;
- escalations promise the owner a grace period, so one that would fall on a day off
  goes out on the next business day instead, never early;
- the weekly digest goes out on its weekday, or the business day before.

Who receives a reminder is ``reminders.recipients``; what each subject (task,
milestone, digest, report session) makes of these steps is its own module.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings

from .calendar import MAX_SHIFT_DAYS, business_day_on_or_after, business_day_on_or_before, moved
from .models import ReminderLog

Kind = ReminderLog.Kind


@dataclass(frozen=True)
class Policy:
    offsets: tuple[int, ...] = (7, 3, 1, 0)
    escalate_to_head_days: int = 3
    escalate_to_mayors_office_days: int = 10
    digest_weekday: int = 0

    @classmethod
    def from_settings(cls) -> Policy:
        return cls(
            offsets=tuple(sorted(set(settings.REMINDER_OFFSETS_DAYS))),
            escalate_to_head_days=settings.REMINDER_ESCALATE_TO_HEAD_DAYS,
            escalate_to_mayors_office_days=settings.REMINDER_ESCALATE_TO_MAYORS_OFFICE_DAYS,
            digest_weekday=settings.REMINDER_DIGEST_WEEKDAY,
        )

    @property
    def horizon_days(self) -> int:
        """How far ahead of today a deadline can be and still have a reminder due.
        A subject with its own lead time (report sessions) uses its own horizon."""
        return max(self.offsets) + MAX_SHIFT_DAYS


@dataclass(frozen=True)
class Due:
    """A reminder the policy says is due: the key of its log row, and why."""

    subject_type: str
    subject_id: int
    deadline: dt.date
    kind: str
    recipient_id: int
    send_on: dt.date
    reason: str = field(compare=False)

    @property
    def key(self) -> tuple:
        return (self.subject_type, self.subject_id, self.deadline, self.kind, self.recipient_id)


def kind_for_offset(days: int) -> str:
    return Kind.DUE_TODAY if days == 0 else f"before_{days}"


@lru_cache(maxsize=4096)  # thousands of tasks share a handful of deadlines
def pre_deadline_step(
    deadline: dt.date, today: dt.date, policy: Policy
) -> tuple[str, dt.date, str] | None:
    """The latest reminder ahead of ``deadline`` due by ``today``: (kind, send_on, why).

    Smallest offset first: when two offsets land on the same business day (a Monday
    deadline's D-1 and D-3 are both Friday), or a sweep catches up after missing days,
    only the most recent reminder goes out.
    """
    if today > deadline:
        return None
    for days in policy.offsets:
        nominal = deadline - dt.timedelta(days=days)
        send_on = business_day_on_or_before(nominal)
        if send_on <= today:
            label = "on the due date" if days == 0 else f"{days} day(s) before the due date"
            why = f"{label} {deadline:%Y-%m-%d}{moved(nominal, send_on)}"
            return kind_for_offset(days), send_on, why
    return None


@lru_cache(maxsize=4096)
def escalation_steps(
    deadline: dt.date, today: dt.date, policy: Policy
) -> tuple[tuple[str, dt.date, str], ...]:
    """The escalations due by ``today`` for a deadline that passed: head, then mayor's office."""
    steps = []
    for kind, days in (
        (Kind.ESCALATION_HEAD, policy.escalate_to_head_days),
        (Kind.ESCALATION_MAYORS_OFFICE, policy.escalate_to_mayors_office_days),
    ):
        nominal = deadline + dt.timedelta(days=days)
        send_on = business_day_on_or_after(nominal)
        if send_on <= today:
            why = f"{days} day(s) overdue since {deadline:%Y-%m-%d}{moved(nominal, send_on)}"
            steps.append((kind, send_on, why))
    return tuple(steps)


def digest_step(today: dt.date, policy: Policy) -> tuple[dt.date, dt.date] | None:
    """(the digest's nominal weekday, the day it goes out) for the digest due by today.

    Next week's digest comes first: when its weekday is a holiday it moves back into
    this week.
    """
    this_week = today - dt.timedelta(days=(today.weekday() - policy.digest_weekday) % 7)
    for nominal in (this_week + dt.timedelta(days=7), this_week):
        send_on = business_day_on_or_before(nominal)
        if send_on <= today:
            return nominal, send_on
    return None  # pragma: no cover - this_week is never after today


def too_late(row: ReminderLog, today: dt.date) -> bool:
    """A reminder ahead of a deadline that only gets through (after retries) once the
    deadline has passed would be wrong; the escalations take over from there."""
    return not row.is_escalation and today > row.deadline
