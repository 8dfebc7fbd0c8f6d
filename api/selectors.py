"""Reads for the API: each resource as the permission module lets a person see it, in
a fixed number of queries whatever the page size."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from meetings.models import Directive, ReportSession
from plans import permissions
from plans.models import (
    Indicator,
    KeyTask,
    Measurement,
    MeasurementRevision,
    Milestone,
    Sector,
    StatusUpdate,
    WorkPlan,
)


def plans() -> QuerySet[WorkPlan]:
    return WorkPlan.objects.order_by("-year")


def sectors(*, plan_id: int | None = None) -> QuerySet[Sector]:
    found = Sector.objects.order_by("plan_id", "number")
    return found.filter(plan_id=plan_id) if plan_id else found


def key_tasks(
    user, *, sector_id: int | None = None, bureau_id: int | None = None, status: str | None = None
) -> QuerySet[KeyTask]:
    found = permissions.visible_tasks(
        user, KeyTask.objects.select_related("sector__plan", "plan", "bureau", "owner")
    ).order_by("sector__plan__year", "code", "id")
    if sector_id:
        found = found.filter(sector_id=sector_id)
    if bureau_id:
        found = found.filter(bureau_id=bureau_id)
    if status:
        found = found.filter(status=status)
    return found


def history(task: KeyTask) -> QuerySet[StatusUpdate]:
    return task.history.select_related("changed_by").order_by("-version", "-id")


def changes_since(task: KeyTask, version: int) -> list[StatusUpdate]:
    return list(history(task).filter(version__gt=version))


def milestones(user, *, task_id: int | None = None) -> QuerySet[Milestone]:
    found = Milestone.objects.filter(
        task__in=permissions.visible_tasks(user).values("pk")
    ).order_by("task_id", "order", "id")
    return found.filter(task_id=task_id) if task_id else found


def indicators(*, task_id: int | None = None, sector_id: int | None = None) -> QuerySet[Indicator]:
    found = Indicator.objects.order_by("code", "id")
    if task_id:
        found = found.filter(task_id=task_id)
    if sector_id:
        found = found.filter(sector_id=sector_id)
    return found


def figures(indicator: Indicator) -> QuerySet[Measurement]:
    return indicator.measurements.order_by("as_of", "id")


def sessions() -> QuerySet[ReportSession]:
    return ReportSession.objects.select_related("sector__plan").order_by("starts_at", "id")


def directives(*, session_id: int | None = None) -> QuerySet[Directive]:
    found = Directive.objects.order_by("session_id", "created_at", "id")
    return found.filter(session_id=session_id) if session_id else found


# --- open data -----------------------------------------------------------------------


def public_indicators() -> list[Indicator]:
    """Every publicly disclosed indicator of every plan, with its published (verified or
    final) figures in ``published``, oldest first (two queries). Provisional figures
    never leave the city."""
    published = Measurement.objects.published().order_by("as_of", "id")
    return list(
        Indicator.objects.filter(is_public=True)
        .select_related("plan", "sector")
        .order_by("-plan__year", "code")
        .prefetch_related(Prefetch("measurements", queryset=published, to_attr="published"))
    )


def public_revisions() -> QuerySet[MeasurementRevision]:
    """The public log of revisions to published figures of public indicators, newest
    first (one query)."""
    return (
        MeasurementRevision.objects.filter(measurement__indicator__is_public=True)
        .select_related("measurement__indicator__plan")
        .order_by("-revised_at", "-id")
    )
