"""Reads for the mayor's office's review and the public disclosure page. The rules
(overdue, behind schedule, achievement, pace) are on the models; this shapes them for
pages, each in a fixed number of queries whatever the size of the plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.paginator import Page
from django.db.models import Prefetch, Q, QuerySet, Subquery, prefetch_related_objects
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from meetings.models import ReportSession
from plans import charts, dates, history, indicators, overviews, pagination
from plans.models import (
    Bureau,
    Indicator,
    KeyTask,
    KeyTaskQuerySet,
    Measurement,
    MeasurementRevision,
    Milestone,
    Sector,
    WorkPlan,
)
from plans.prepared import ById

# What "Show" offers on the city-wide list (the values are in shared URLs).
FLAG_ATTENTION = "attention"
FLAG_OVERDUE = "overdue"
FLAG_BEHIND_SCHEDULE = "at_risk_computed"
FLAG_ALL = "all"

# Without a report session to start from, "what changed" looks back this far.
DEFAULT_LOOKBACK_DAYS = 30


# --- the city-wide list of key tasks ------------------------------------------------


def city_tasks(
    plan: WorkPlan,
    *,
    today: date,
    sector: Sector | None = None,
    bureau: Bureau | None = None,
    pillar: str = "",
    status: str = "",
    flag: str = FLAG_ATTENTION,
    sort: str = KeyTaskQuerySet.DEFAULT_SORT,
) -> QuerySet[KeyTask]:
    """Key tasks for the mayor's office, filtered and sorted, each marked overdue and
    behind schedule."""
    tasks = KeyTask.objects.filter(sector__plan=plan)
    if sector is not None:
        tasks = tasks.filter(sector=sector)
    if bureau is not None:
        tasks = tasks.filter(bureau__path__startswith=bureau.path)
    if pillar:
        tasks = tasks.filter(Q(pillar_ko=pillar) | Q(pillar_en=pillar))
    if status:
        tasks = tasks.filter(status=status)
    tasks = tasks.with_warnings(today)
    if flag == FLAG_OVERDUE:
        tasks = tasks.filter(KeyTaskQuerySet.overdue_q(today))
    elif flag == FLAG_BEHIND_SCHEDULE:
        tasks = tasks.filter(KeyTaskQuerySet.behind_schedule_q())
    elif flag == FLAG_ATTENTION:
        tasks = tasks.filter(KeyTaskQuerySet.needs_attention_q(today))
    return tasks.with_latest_note().select_related("sector", "bureau", "owner").sorted_by(sort)


def city_task_page(plan: WorkPlan, *, today: date, filters: dict, number, per_page: int) -> Page:
    """A page of ``city_tasks``: the page's ids are found on narrow rows (sorting 20,000
    whole tasks with their sector, bureau and owner took most of the page's time), then
    only those tasks are read in full (two queries: the ids with their count, the tasks)."""
    tasks = city_tasks(plan, today=today, **filters)
    page = pagination.page_of(tasks.values_list("pk", flat=True), per_page, number)
    ids = list(page.object_list)
    found = tasks.order_by().in_bulk(ids)
    page.object_list = [found[pk] for pk in ids if pk in found]
    return page


def pillars(plan: WorkPlan) -> list[tuple[str, str]]:
    """The plan's pillars as (value, label in the reader's language), in the order of
    their labels. The value is the Korean name, so a shared link works in both."""
    rows = (
        KeyTask.objects.filter(sector__plan=plan)
        .exclude(pillar_ko="")
        .values_list("pillar_ko", "pillar_en")
        .distinct()
        .order_by()
    )
    labelled = {ko: KeyTask(pillar_ko=ko, pillar_en=en).pillar for ko, en in rows}
    return sorted(labelled.items(), key=lambda pair: pair[1].casefold())


# --- the dashboard and the sector page ----------------------------------------------


def since_last_review(last: ReportSession | None, today: date) -> date:
    """Where "what changed" starts by default: the day of the last report session that
    has started (``meetings.selectors.last_review``), else a month back."""
    return dates.seoul_day(last.starts_at) if last else today - timedelta(DEFAULT_LOOKBACK_DAYS)


@dataclass
class ChangeFeed:
    since: date
    total: int
    items: list[history.FeedItem]
    page: int = 1
    first: int = 1  # the number of the first change listed, counting from the newest
    cap: int = history.CHANGES_COUNT_CAP

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1

    @property
    def has_newer(self) -> bool:
        return self.page > 1

    @property
    def has_older(self) -> bool:
        return self.total > self.last


def change_feed(plan: WorkPlan, since: date, *, limit: int, page: int = 1) -> ChangeFeed:
    """A page of what changed since a day, newest first (``limit`` a page)."""
    offset = (page - 1) * limit
    total, updates = history.recent_changes(
        dates.start_of(since), plan=plan, limit=limit, offset=offset
    )
    return ChangeFeed(
        since=since, total=total, items=history.feed(updates), page=page, first=offset + 1
    )


def plan_figures(plan: WorkPlan, today: date) -> dict:
    """The dashboard's board: the five sectors and the indicators furthest behind."""
    sectors = overviews.sector_overviews(plan, today)
    board = indicators.indicator_board(
        plan.indicators.select_related("sector").order_by("sector__number", "code"), plan, today
    )
    return {
        "sectors": sectors,
        "plan_overview": overviews.combined(overview for _sector, overview in sectors),
        "indicators": board.rows,
        "indicators_total": board.total,
        "chart": charts.achievement_chart(board.rows),
    }


def sector_figures(plan: WorkPlan, sector: Sector, today: date) -> dict:
    """A sector page's figures: its bureaus and indicators."""
    bureaus = overviews.bureau_overviews(sector, today)
    board = indicators.indicator_board(
        sector.indicators.select_related("sector").order_by("code"), plan, today
    )
    return {
        "bureaus": bureaus,
        "overview": overviews.combined(overview for _bureau, overview in bureaus),
        "indicators": board.rows,
        "indicators_total": board.total,
        "chart": charts.achievement_chart(board.rows),
    }


# --- public disclosure --------------------------------------------------------------

# What each status means, in words a resident reads without knowing the city's process.
STATUS_MEANINGS = {
    KeyTask.Status.NOT_STARTED: _("Work has not begun yet."),
    KeyTask.Status.ON_TRACK: _("Going ahead as planned."),
    KeyTask.Status.AT_RISK: _("Still on schedule, but the bureau sees a risk of delay."),
    KeyTask.Status.DELAYED: _("Behind the planned schedule."),
    KeyTask.Status.DONE: _("Completed."),
    KeyTask.Status.DROPPED: _("Stopped, for example because circumstances changed."),
}


def status_legend() -> list[tuple[str, str, str]]:
    """(status, its name, what it means) for every status, in the order of the choices."""
    return [
        (value, str(label), str(STATUS_MEANINGS[value])) for value, label in KeyTask.Status.choices
    ]


@dataclass
class PublicIndicator:
    indicator: Indicator
    published: Measurement | None
    percent: Decimal | None
    revisions: list


def public_indicators(plan: WorkPlan) -> list[PublicIndicator]:
    """Publicly disclosed indicators with their latest published (verified or final)
    figure and the public log of revisions to published figures (three queries).
    Provisional figures never leave the city."""
    published = (
        Measurement.objects.published()
        .order_by("as_of", "id")
        .prefetch_related(
            Prefetch(
                "revisions", queryset=MeasurementRevision.objects.order_by("-revised_at", "-id")
            )
        )
    )
    rows = []
    for indicator in (
        plan.indicators.filter(is_public=True)
        .select_related("sector")
        .order_by("sector__number", "code")
        .prefetch_related(Prefetch("measurements", queryset=published, to_attr="published"))
    ):
        latest = indicator.published[-1] if indicator.published else None
        revisions = [
            (measurement, revision)
            for measurement in indicator.published
            for revision in measurement.revisions.all()
        ]
        rows.append(
            PublicIndicator(
                indicator=indicator,
                published=latest,
                percent=indicator.percent_achieved(latest.value if latest else None),
                revisions=sorted(revisions, key=lambda pair: pair[1].revised_at, reverse=True),
            )
        )
    return rows


def public_tasks(plan: WorkPlan) -> QuerySet[KeyTask]:
    """Key tasks flagged public, with only what may be shown: no owner, no notes."""
    return (
        KeyTask.objects.filter(sector__plan=plan, is_public=True)
        .select_related("sector")
        .only(
            "code",
            "title_ko",
            "title_en",
            "status",
            "progress",
            "start_date",
            "due_date",
            "baseline_due_date",
            "deadline_moves",
            "sector__number",
            "sector__name_ko",
            "sector__name_en",
        )
        .order_by("sector__number", "code")
    )


# A public task read by its id, the SQL written once per process (``plans.prepared``).
_PUBLIC_TASKS = ById(
    KeyTask, lambda pk: KeyTask.objects.filter(is_public=True, pk=pk).select_related("sector")
)


def public_task(pk: int) -> KeyTask:
    """A key task flagged public, with what its public page shows: its milestones and its
    public indicators with their published figures (four queries). Any other task is
    not found, whoever asks: the public page never says that an internal task exists."""
    try:
        task = _PUBLIC_TASKS.get(pk=pk)
    except KeyTask.DoesNotExist:
        raise Http404 from None
    published = Measurement.objects.published().order_by("as_of", "id")
    indicators = (
        Indicator.objects.filter(is_public=True)
        .order_by("code")
        .prefetch_related(Prefetch("measurements", queryset=published, to_attr="published"))
    )
    milestones = Milestone.objects.order_by("order", "due_date", "id")
    prefetch_related_objects(
        [task],
        Prefetch("milestones", queryset=milestones, to_attr="public_milestones"),
        Prefetch("indicators", queryset=indicators, to_attr="public_indicators"),
    )
    return task


def public_last_updated(plan: WorkPlan) -> datetime | None:
    """When what the public page shows last changed: a public task, a published figure
    of a public indicator or a revision of one (one query)."""
    tasks = KeyTask.objects.filter(sector__plan=plan, is_public=True)
    figures = Measurement.objects.published().filter(
        indicator__plan=plan, indicator__is_public=True
    )
    revisions = MeasurementRevision.objects.filter(
        measurement__indicator__plan=plan, measurement__indicator__is_public=True
    )
    moments = (
        WorkPlan.objects.filter(pk=plan.pk)
        .annotate(
            tasks=Subquery(tasks.order_by("-updated_at").values("updated_at")[:1]),
            figures=Subquery(figures.order_by("-recorded_at").values("recorded_at")[:1]),
            revisions=Subquery(revisions.order_by("-revised_at").values("revised_at")[:1]),
        )
        .values_list("tasks", "figures", "revisions")
        .get()
    )
    return max((moment for moment in moments if moment is not None), default=None)
