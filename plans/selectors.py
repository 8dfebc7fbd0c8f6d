"""Reads of the work plan, shaped for pages. Each is a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS
from django.db.models import (
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.http import Http404
from django.utils.translation import gettext as _

from . import dates, permissions
from .models import (
    DeadlineChange,
    Indicator,
    KeyTask,
    KeyTaskQuerySet,
    Measurement,
    Milestone,
    Sector,
    WorkPlan,
)
from .prepared import ById

# --- which year's plan a page shows ------------------------------------------------
#
# The one place that chooses it: the year asked for (``?year=2024``), else the current
# plan (``WorkPlanQuerySet.current``: the newest adopted one). Every plan page asks here.


def year_asked(year: str | int | None) -> int | None:
    """The year in ``?year=``, or None when none was asked for. A year that is not a
    year at all is a page that does not exist (404), never a server error."""
    if year in (None, ""):
        return None
    try:
        value = int(year)
    except (TypeError, ValueError):
        raise Http404(_("There is no plan for that year.")) from None
    if not 1900 <= value <= 9999:
        raise Http404(_("There is no plan for that year."))
    return value


def current_plan(year: str | int | None = None) -> WorkPlan | None:
    """The plan of the year asked for (404 when there is none), else the current plan."""
    plans = WorkPlan.objects.prefetch_related("goals")
    asked = year_asked(year)
    if asked is None:
        return plans.current()
    plan = plans.filter(year=asked).first()
    if plan is None:
        raise Http404(_("There is no plan for that year."))
    return plan


def current_plan_or_404(year: str | int | None = None) -> WorkPlan:
    plan = current_plan(year)
    if plan is None:
        raise Http404(_("No work plan has been loaded."))
    return plan


def plan_years() -> list[WorkPlan]:
    """Every year's plan, newest first, for the year switch (one query)."""
    return list(WorkPlan.objects.only("year", "stage").order_by("-year"))


def current_sectors() -> list[Sector]:
    """The current plan's sectors, in one query."""
    sql, params = _current_sectors_sql(DEFAULT_DB_ALIAS)
    return list(Sector.objects.raw(sql, params))


@cache
def _current_sectors_sql(alias: str) -> tuple[str, tuple]:
    """The SQL of ``current_sectors``, written by the ORM once per process: it takes
    nothing from the request, and building it (a subquery ordering plans by stage and
    year, ``WorkPlanQuerySet.current_first``) took 0.55 of its 0.8 ms on every My tasks
    page."""
    current = WorkPlan.objects.current_first().values("pk")[:1]
    query = Sector.objects.filter(plan__in=current).order_by("number").query
    return query.get_compiler(alias).as_sql()


# --- My tasks ------------------------------------------------------------------

# A phone screen's worth of rows a few times over; filters narrow the rest.
MY_TASKS_PAGE_SIZE = 25


@dataclass
class MyTasksFilters:
    """What the My tasks filter form asks for; empty means everything."""

    q: str = ""
    overdue: bool = False
    due_soon: bool = False
    reported_trouble: bool = False
    sector: int | None = None
    status: str = ""
    sort: str = KeyTaskQuerySet.DEFAULT_SORT


def tasks_for_my_tasks(user, filters: MyTasksFilters | None = None) -> QuerySet[KeyTask]:
    """The tasks this user may update, filtered and sorted, grouped by sector first.

    Only what places a row and names its cached rendering is read: sector, version,
    last update. A page of rows mostly comes from the cache (``plans.rows``); the rows
    rendered afresh read the rest with ``with_row_data``. Building 25 tasks with their
    sector, bureau and last editor for rows already rendered cost as much as the rest
    of the page."""
    filters = filters or MyTasksFilters()
    today = dates.today()
    tasks = permissions.editable_tasks(user, KeyTask.objects.tracked())
    if filters.q:
        words = Q()
        for name in ("code", "title_ko", "title_en", "bureau__name_ko", "bureau__name_en"):
            words |= Q(**{f"{name}__icontains": filters.q})
        tasks = tasks.filter(words)
    if filters.overdue:
        tasks = tasks.overdue(today)
    if filters.due_soon:
        tasks = tasks.due_soon(today)
    if filters.reported_trouble:
        tasks = tasks.reported_trouble()
    if filters.sector:
        tasks = tasks.filter(sector__number=filters.sector)
    if filters.status:
        tasks = tasks.filter(status=filters.status)
    # By sector id too, so a sector numbered like one of another year keeps its rows together.
    return tasks.only("sector", "version", "updated_at").sorted_by(
        filters.sort, "sector__number", "sector_id"
    )


# The indicators of a row, each with its latest actual (``latest_value``, ``latest_as_of``):
# one query for any number of rows, asked only for rows that are rendered afresh.
ROW_INDICATORS = Prefetch(
    "indicators",
    queryset=Indicator.objects.order_by("code").with_latest_actual(),
    to_attr="row_indicators",
)


def with_row_data(tasks: QuerySet[KeyTask]) -> QuerySet[KeyTask]:
    """Everything a My tasks row shows, for rendering it now: the task, its bureau, its
    last editor and its indicators with their latest actuals."""
    return tasks.select_related("bureau", "updated_by", "plan").prefetch_related(ROW_INDICATORS)


# What saving an in-row update reads first: the bureau and its parent (whose heads
# may edit, see ``permissions.can_edit_task``; the row shows the bureau) and whether
# the task has indicators at all. Most tasks have none, and then neither
# the form nor the row needs a query for them (``read_row_indicators``). The row's
# last editor will be the one saving, so nothing else is joined. Its SQL is written
# once per process (``plans.prepared``): on the hottest write path, writing it per
# request cost as much as running it.
_QUICK_UPDATE_TASKS = ById(
    KeyTask,
    lambda pk: (
        KeyTask.objects.select_related("bureau__parent", "plan")
        .annotate(has_indicators=Exists(Indicator.objects.filter(task=OuterRef("pk"))))
        .filter(pk=pk)
    ),
)


def for_quick_update() -> ById:
    """The tasks as an in-row update reads them: ``for_quick_update().get(pk=…)``."""
    return _QUICK_UPDATE_TASKS


def read_row_indicators(task: KeyTask) -> None:
    """Give the task its ``row_indicators`` as ``ROW_INDICATORS`` does, read afresh
    (after a new actual, the row shows it); no query for a task known to have none."""
    if getattr(task, "has_indicators", True):
        task.__dict__.pop("row_indicators", None)
        prefetch_related_objects([task], ROW_INDICATORS)
    else:
        task.row_indicators = []


def group_by_sector(tasks, sectors: list[Sector]) -> list[tuple[Sector, list[KeyTask]]]:
    """Consecutive tasks of the same sector, in the order given (already by sector).
    ``sectors`` are those already read for the page; a task of another plan's sector
    reads it (one query for all such)."""
    by_pk = {sector.pk: sector for sector in sectors}
    others = {task.sector_id for task in tasks} - set(by_pk)
    if others:
        by_pk.update(Sector.objects.in_bulk(others))
    groups: list[tuple[Sector, list[KeyTask]]] = []
    for task in tasks:
        if not groups or groups[-1][0].pk != task.sector_id:
            groups.append((by_pk[task.sector_id], []))
        groups[-1][1].append(task)
    return groups


# --- task detail ---------------------------------------------------------------


# What the task page reads of its indicators: each with its actuals over time.
_INDICATORS_WITH_ACTUALS = Indicator.objects.order_by("code").prefetch_related(
    Prefetch("measurements", queryset=Measurement.objects.order_by("as_of", "id"))
)


# The task page's task: the one rule of what it reads with the task, its SQL written
# once per process (``plans.prepared``): writing it took most of the read.
_TASK_FOR_DETAIL = ById(
    KeyTask,
    lambda pk: (
        KeyTask.objects.select_related("sector", "plan", "bureau", "owner", "updated_by")
        .annotate(
            has_deadline_changes=Exists(DeadlineChange.objects.filter(task=OuterRef("pk"))),
            has_indicators=Exists(Indicator.objects.filter(task=OuterRef("pk"))),
            predecessor_code=F("predecessor__code"),
            predecessor_year=F("predecessor__plan__year"),
        )
        .filter(pk=pk)
    ),
)
_TASK_MILESTONES = Prefetch("milestones", queryset=Milestone.objects.select_related("done_by"))


def task_for_detail(pk: int) -> KeyTask:
    """One task with everything its page shows: milestones, indicators and their
    actuals over time (``indicator_list``), whether it has any deadline change to read,
    and the code and year of the task it was carried over from (``predecessor_code``,
    ``predecessor_year``). Most tasks have no indicator and no deadline change: then
    neither is asked for. Raises ``KeyTask.DoesNotExist``."""
    task = _TASK_FOR_DETAIL.get(pk=pk)
    prefetch_related_objects([task], _TASK_MILESTONES)
    if task.has_indicators:
        indicators = Prefetch("indicators", _INDICATORS_WITH_ACTUALS, to_attr="indicator_list")
        prefetch_related_objects([task], indicators)
    else:
        task.indicator_list = []
    return task


def people_of(bureaus) -> QuerySet:
    """The active people of these bureaus (members and heads, as ``Bureau.people``)."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(profile__bureau__in=bureaus) | Q(headed_bureaus__in=bureaus))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def task_for_managing(pk: int) -> KeyTask:
    """One task with its roadmap and owner, for its managers' page."""
    return (
        KeyTask.objects.select_related("bureau__parent", "owner", "sector__plan", "plan")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("order", "due_date", "id"))
        )
        .get(pk=pk)
    )


def deadline_changes(task: KeyTask) -> list[DeadlineChange]:
    """The task's deadline changes, newest first, with who asked and decided (one query,
    none for a task read by ``task_for_detail`` that has none)."""
    if getattr(task, "has_deadline_changes", True) is False:
        return []
    return list(
        task.deadline_changes.select_related(
            "milestone", "requested_by", "endorsed_by", "decided_by"
        )
    )
