"""Reads of report sessions, shaped for pages."""

from __future__ import annotations

from collections import defaultdict

from plans.models import WorkPlan

from .models import ReportSession


def sessions_by_sector(plan: WorkPlan) -> dict[int, list[ReportSession]]:
    """The plan's report sessions keyed by sector id, in time order (one query)."""
    grouped: dict[int, list[ReportSession]] = defaultdict(list)
    for session in ReportSession.objects.filter(sector__plan=plan).order_by("starts_at"):
        grouped[session.sector_id].append(session)
    return grouped
