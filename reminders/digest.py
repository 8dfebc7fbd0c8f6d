"""The mayor's office's weekly digest: every open key task that is overdue or reported
at risk or delayed, and what was done in the last week, by sector.

It goes out on ``REMINDER_DIGEST_WEEKDAY`` (or the business day before) to every active
member of the mayor's office; a digest that could not go out all week is replaced by
next week's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from plans.models import KeyTask, KeyTaskQuerySet, Sector

from .calendar import moved
from .models import ReminderLog
from .policy import Due, Policy, digest_step
from .recipients import Organisation
from .subjects import SubjectType

DIGEST = "digest"
WEEKLY_DIGEST = "weekly_digest"


@dataclass
class SectorDigest:
    sector: Sector
    overdue: list[KeyTask] = field(default_factory=list)
    at_risk: list[KeyTask] = field(default_factory=list)
    newly_done: list[KeyTask] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.overdue or self.at_risk or self.newly_done)


def weekly_digest(today: dt.date, *, days: int = 7) -> list[SectorDigest]:
    """The digest by sector: what is overdue, what the bureau reports at risk or delayed
    (and is not yet overdue), and what was completed in the last ``days`` days.
    One query for the tasks, whatever their number."""
    since = today - dt.timedelta(days=days)
    newly_done = Q(status=KeyTask.Status.DONE, completed_on__gt=since, completed_on__lte=today)
    tasks = (
        KeyTask.objects.filter(
            KeyTaskQuerySet.overdue_q(today) | KeyTaskQuerySet.reported_trouble_q() | newly_done
        )
        .select_related("sector", "bureau", "owner")
        .order_by("sector__number", "due_date", "code")
    )
    digests: dict[int, SectorDigest] = {}
    for task in tasks:
        digest = digests.setdefault(task.sector_id, SectorDigest(sector=task.sector))
        if task.status == KeyTask.Status.DONE:
            digest.newly_done.append(task)
        elif task.is_overdue(today):
            digest.overdue.append(task)
        else:
            digest.at_risk.append(task)
    return list(digests.values())


def digest_reminders(today: dt.date, policy: Policy, org: Organisation) -> list[Due]:
    nominal, send_on = digest_step(today, policy)
    why = f"mayor's office: weekly digest for {nominal:%Y-%m-%d}{moved(nominal, send_on)}"
    return [
        Due(DIGEST, 0, nominal, WEEKLY_DIGEST, user.pk, send_on, why) for user in org.mayors_office
    ]


def _load(ids: Collection[int], today: dt.date) -> dict[int, list[SectorDigest]]:
    return {0: weekly_digest(today)}


def _still_due(digest: list[SectorDigest], row: ReminderLog, today: dt.date) -> bool:
    # A digest that could not go out all week is replaced by next week's.
    return today < row.deadline + dt.timedelta(days=7)


def _email(digest: list[SectorDigest], row: ReminderLog, today: dt.date) -> tuple[str, dict]:
    return "digest", {"digest": digest, "week_of": row.deadline}


DIGESTS = SubjectType(
    DIGEST,
    digest_reminders,
    _load,
    _still_due,
    _email,
    kinds={WEEKLY_DIGEST: _("weekly digest")},
)
