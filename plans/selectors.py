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
