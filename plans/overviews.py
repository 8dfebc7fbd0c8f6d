"""Progress at a glance: counts, mean progress and warnings for a group of key tasks
(a plan's sectors, a sector's bureaus), each group in one aggregate query.

Sector progress is the plain (unweighted) mean of its key tasks' progress, dropped
tasks left out: the plan gives tasks no weights, and a weighted figure would rest on
weights nobody agreed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Avg, Count, Q, QuerySet

from .models import Bureau, KeyTask, KeyTaskQuerySet, Sector, WorkPlan


@dataclass
class Overview:
    """Counts for a group of key tasks (a sector, a bureau)."""

    total: int = 0
    mean_progress: float | None = None
    counts: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    behind_schedule: int = 0

    def status_counts(self) -> list[tuple[str, str, int]]:
        """(status, label, count) in the order of the status choices."""
        return [
            (value, label, self.counts.get(value, 0)) for value, label in KeyTask.Status.choices
        ]

    def reported_status_counts(self) -> list[tuple[str, str, int]]:
        """The same, statuses no task has left out."""
        return [row for row in self.status_counts() if row[2]]

    @property
    def progress(self) -> int:
        return round(self.mean_progress or 0)

    @property
    def open(self) -> int:
        return self.total - sum(self.counts.get(status, 0) for status in KeyTask.CLOSED_STATUSES)


def _aggregates(today: date) -> dict:
    counts = {f"n_{value}": Count("id", filter=Q(status=value)) for value in KeyTask.Status.values}
    return {
        "total": Count("id"),
        "mean_progress": Avg("progress", filter=~Q(status=KeyTask.Status.DROPPED)),
        "overdue": Count("id", filter=KeyTaskQuerySet.overdue_q(today)),
        "behind_schedule": Count("id", filter=KeyTaskQuerySet.behind_schedule_q()),
        **counts,
    }


def _overview(row: dict) -> Overview:
    return Overview(
        total=row["total"],
        mean_progress=row["mean_progress"],
        counts={value: row[f"n_{value}"] for value in KeyTask.Status.values},
        overdue=row["overdue"],
        behind_schedule=row["behind_schedule"],
    )


def grouped_overviews(
    queryset: QuerySet[KeyTask], by: str, today: date, margin: int | None = None
) -> dict[int, Overview]:
    """{group id: Overview} in one aggregate query."""
    rows = (
        queryset.with_schedule(today, margin).values(by).annotate(**_aggregates(today)).order_by()
    )
    return {row[by]: _overview(row) for row in rows}


def sector_overviews(
    plan: WorkPlan, today: date, margin: int | None = None
) -> list[tuple[Sector, Overview]]:
    """The plan's five sectors side by side (two queries)."""
    grouped = grouped_overviews(
        KeyTask.objects.filter(sector__plan=plan), "sector_id", today, margin
    )
    return [
        (sector, grouped.get(sector.pk, Overview())) for sector in plan.sectors.order_by("number")
    ]


def bureau_overviews(
    sector: Sector, today: date, margin: int | None = None
) -> list[tuple[Bureau, Overview]]:
    """The bureaus with key tasks in a sector (two queries), most overdue first."""
    grouped = grouped_overviews(sector.key_tasks.all(), "bureau_id", today, margin)
    bureaus = Bureau.objects.filter(pk__in=list(grouped)).order_by("path")
    rows = [(bureau, grouped[bureau.pk]) for bureau in bureaus]
    rows.sort(key=lambda row: (-row[1].overdue, -row[1].behind_schedule, row[0].path))
    return rows


def combined(overviews) -> Overview:
    """Several groups' overviews as one; the mean stays a mean over tasks."""
    result = Overview(counts=dict.fromkeys(KeyTask.Status.values, 0))
    weighted = 0.0
    counted = 0
    for overview in overviews:
        result.total += overview.total
        result.overdue += overview.overdue
        result.behind_schedule += overview.behind_schedule
        for value, n in overview.counts.items():
            result.counts[value] += n
        n_progress = overview.total - overview.counts.get(KeyTask.Status.DROPPED, 0)
        if overview.mean_progress is not None and n_progress:
            weighted += float(overview.mean_progress) * n_progress
            counted += n_progress
    result.mean_progress = weighted / counted if counted else None
    return result
