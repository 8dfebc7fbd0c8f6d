"""Reads of the work plan, shaped for pages. Each is a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from .models import KeyTask, Sector, WorkPlan


def current_plan() -> WorkPlan | None:
    return WorkPlan.objects.prefetch_related("goals").order_by("-year").first()


@dataclass
class SectorSummary:
    sector: Sector
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def status_counts(self) -> list[tuple[str, str, int]]:
        """(status, label, count) in the order of the status choices, zeros left out."""
        return [
            (value, label, self.counts[value])
            for value, label in KeyTask.Status.choices
            if self.counts.get(value)
        ]


def sector_summaries(plan: WorkPlan) -> list[SectorSummary]:
    """The plan's five sectors with their key-task counts by status (two queries)."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        KeyTask.objects.filter(sector__plan=plan)
        .values_list("sector_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for sector_id, status, n in rows:
        counts[sector_id][status] = n
    return [
        SectorSummary(sector=sector, counts=counts[sector.pk])
        for sector in plan.sectors.order_by("number")
    ]


@dataclass
class SectorDigest:
    sector: Sector
    overdue: list[KeyTask] = field(default_factory=list)
    at_risk: list[KeyTask] = field(default_factory=list)
    newly_done: list[KeyTask] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.overdue or self.at_risk or self.newly_done)


def weekly_digest(today, *, days: int = 7) -> list[SectorDigest]:
    """The mayor's office's weekly digest by sector: what is overdue, what is at risk or
    delayed (and not yet overdue), and what was completed in the last ``days`` days.
    One query for the tasks, whatever their number."""
    import datetime as dt

    from django.db.models import Q

    since = today - dt.timedelta(days=days)
    open_statuses = [s for s in KeyTask.Status.values if s not in KeyTask.CLOSED_STATUSES]
    tasks = (
        KeyTask.objects.filter(
            Q(status__in=open_statuses, due_date__lt=today)
            | Q(status__in=[KeyTask.Status.AT_RISK, KeyTask.Status.DELAYED])
            | Q(status=KeyTask.Status.DONE, completed_on__gt=since, completed_on__lte=today)
        )
        .select_related("sector", "bureau", "owner")
        .order_by("sector__number", "due_date", "code")
    )
    digests: dict[int, SectorDigest] = {}
    for task in tasks:
        digest = digests.setdefault(task.sector_id, SectorDigest(sector=task.sector))
        if task.status == KeyTask.Status.DONE:
            digest.newly_done.append(task)
        elif task.due_date < today:
            digest.overdue.append(task)
        else:
            digest.at_risk.append(task)
    return list(digests.values())
