"""The mayor's office's reading of the plan: early warnings and overviews.

Two rules live here, each in a Python form (for one task or indicator already in
memory) and, for tasks, a database form (so the dashboard counts 20,000 tasks with one
aggregate query instead of loading them). Tests hold the two forms to the same edges.

* Computed risk. A key task is "at risk (computed)" when its progress lags the elapsed
  share of its schedule by more than ``settings.RISK_MARGIN_PERCENT`` points. It is
  shown apart from the status the bureau reports, so optimistic reporting is visible.
  The elapsed share runs from 0 on the start date to 100% on the due date (and stays at
  100% after it); a one-day task counts its single day as the whole schedule. Done and
  dropped tasks are never at risk.

* Pace. For an indicator with dated actuals, the year-end figure is projected on a
  straight line from the baseline at the start of the plan year through the latest
  actual; a target that the projection does not reach is flagged before the year ends.

Sector progress on the dashboard is the plain (unweighted) mean of its key tasks'
progress, dropped tasks left out: the plan gives tasks no weights, and a weighted
figure would rest on weights nobody agreed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Greatest, Least
from django.utils import timezone
from django.utils.translation import get_language

from .models import (
    Bureau,
    Indicator,
    KeyTask,
    Measurement,
    MeasurementRevision,
    Sector,
    StatusUpdate,
    WorkPlan,
)

EPOCH = date(1970, 1, 1)
OPEN = ~Q(status__in=KeyTask.CLOSED_STATUSES)


def risk_margin() -> int:
    return int(getattr(settings, "RISK_MARGIN_PERCENT", 15))


# --- computed risk: one task -------------------------------------------------------


def _schedule(task: KeyTask, today: date) -> tuple[int, int]:
    """(elapsed days, schedule days), elapsed clamped to the schedule."""
    span = max((task.due_date - task.start_date).days, 1)
    elapsed = min(max((today - task.start_date).days, 0), span)
    return elapsed, span


def expected_progress(task: KeyTask, today: date | None = None) -> int:
    """The progress (%) a task would show had it advanced evenly over its schedule."""
    elapsed, span = _schedule(task, today or timezone.localdate())
    return int((Decimal(100 * elapsed) / span).to_integral_value(ROUND_HALF_UP))


def is_at_risk_computed(
    task: KeyTask, today: date | None = None, margin: int | None = None
) -> bool:
    if task.status in KeyTask.CLOSED_STATUSES:
        return False
    margin = risk_margin() if margin is None else margin
    elapsed, span = _schedule(task, today or timezone.localdate())
    # Integer form of "100*elapsed/span - progress > margin", so it matches the database.
    return 100 * elapsed - task.progress * span > margin * span


# --- computed risk and overdue: in the database -------------------------------------


class DayNumber(Func):
    """Whole days since 1970-01-01 of a date column, on PostgreSQL and SQLite."""

    output_field = IntegerField()
    template = "(%(expressions)s - DATE '1970-01-01')"

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)",
            **extra,
        )


def with_schedule(queryset: QuerySet[KeyTask], today: date, margin: int | None = None):
    """Annotate ``schedule_lag`` (points behind an even pace, times schedule days) and
    ``lag_over_margin`` (> 0 when the lag exceeds the margin)."""
    margin = risk_margin() if margin is None else margin
    start = DayNumber("start_date")
    span = Greatest(DayNumber("due_date") - start, Value(1), output_field=IntegerField())
    elapsed = Least(
        Greatest(Value((today - EPOCH).days) - start, Value(0), output_field=IntegerField()),
        span,
        output_field=IntegerField(),
    )
    return queryset.annotate(
        schedule_span=ExpressionWrapper(span, output_field=IntegerField()),
        schedule_lag=ExpressionWrapper(
            Value(100) * elapsed - F("progress") * span, output_field=IntegerField()
        ),
    ).annotate(
        lag_over_margin=ExpressionWrapper(
            F("schedule_lag") - Value(margin) * F("schedule_span"), output_field=IntegerField()
        ),
        # Points behind an even pace, comparable between long and short schedules.
        lag_points=ExpressionWrapper(
            F("schedule_lag") * Value(1.0) / F("schedule_span"), output_field=FloatField()
        ),
    )


def overdue_q(today: date) -> Q:
    return OPEN & Q(due_date__lt=today)


def computed_risk_filter(today: date, margin: int | None = None) -> Q:
    """A filter usable without annotations (inside aggregates): the same rule as
    ``is_at_risk_computed``."""
    return OPEN & Q(lag_over_margin__gt=0)


def annotate_warnings(queryset: QuerySet[KeyTask], today: date, margin: int | None = None):
    """Tasks with ``is_overdue_flag`` and ``at_risk_computed`` booleans from the database."""
    return with_schedule(queryset, today, margin).annotate(
        is_overdue_flag=Case(When(overdue_q(today), then=True), default=False),
        at_risk_computed=Case(
            When(computed_risk_filter(today), then=True),
            default=False,
            output_field=BooleanField(),
        ),
    )


# --- overviews ----------------------------------------------------------------------


@dataclass
class Overview:
    """Counts for a group of key tasks (a sector, a bureau)."""

    total: int = 0
    mean_progress: float | None = None
    counts: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    at_risk_computed: int = 0

    def status_counts(self) -> list[tuple[str, str, int]]:
        return [
            (value, label, self.counts.get(value, 0)) for value, label in KeyTask.Status.choices
        ]

    @property
    def progress(self) -> int:
        return round(self.mean_progress or 0)


def _aggregates(today: date, margin: int | None) -> dict:
    counts = {f"n_{value}": Count("id", filter=Q(status=value)) for value in KeyTask.Status.values}
    return {
        "total": Count("id"),
        "mean_progress": Avg("progress", filter=~Q(status=KeyTask.Status.DROPPED)),
        "overdue": Count("id", filter=overdue_q(today)),
        "at_risk_computed": Count("id", filter=computed_risk_filter(today, margin)),
        **counts,
    }


def _overview(row: dict) -> Overview:
    return Overview(
        total=row["total"],
        mean_progress=row["mean_progress"],
        counts={value: row[f"n_{value}"] for value in KeyTask.Status.values},
        overdue=row["overdue"],
        at_risk_computed=row["at_risk_computed"],
    )


def grouped_overviews(queryset: QuerySet[KeyTask], by: str, today: date, margin=None):
    """{group id: Overview} in one aggregate query."""
    rows = (
        with_schedule(queryset, today, margin)
        .values(by)
        .annotate(**_aggregates(today, margin))
        .order_by()
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
    rows.sort(key=lambda row: (-row[1].overdue, -row[1].at_risk_computed, row[0].path))
    return rows


# --- the city-wide list of key tasks ------------------------------------------------

FLAG_ATTENTION = "attention"
FLAG_OVERDUE = "overdue"
FLAG_COMPUTED = "at_risk_computed"
FLAG_ALL = "all"

SORTS = {
    "due": ["due_date", "code"],
    "-due": ["-due_date", "code"],
    "progress": ["progress", "code"],
    "-progress": ["-progress", "code"],
    "lag": ["-lag_points", "due_date", "code"],
    "code": ["code"],
    "bureau": ["bureau__path", "code"],
}


def review_tasks(
    plan: WorkPlan,
    *,
    today: date,
    sector: Sector | None = None,
    bureau: Bureau | None = None,
    pillar: str = "",
    status: str = "",
    flag: str = FLAG_ATTENTION,
    sort: str = "due",
    margin: int | None = None,
) -> QuerySet[KeyTask]:
    """Key tasks for the mayor's office, filtered and sorted, each marked overdue and
    at risk (computed). "Attention" means overdue, computed at risk, or reported at risk
    or delayed."""
    queryset = KeyTask.objects.filter(sector__plan=plan)
    if sector is not None:
        queryset = queryset.filter(sector=sector)
    if bureau is not None:
        queryset = queryset.filter(bureau__path__startswith=bureau.path)
    if pillar:
        queryset = queryset.filter(Q(pillar_ko=pillar) | Q(pillar_en=pillar))
    if status:
        queryset = queryset.filter(status=status)
    queryset = annotate_warnings(queryset, today, margin)
    if flag == FLAG_OVERDUE:
        queryset = queryset.filter(overdue_q(today))
    elif flag == FLAG_COMPUTED:
        queryset = queryset.filter(computed_risk_filter(today, margin))
    elif flag == FLAG_ATTENTION:
        queryset = queryset.filter(
            overdue_q(today)
            | computed_risk_filter(today, margin)
            | Q(status__in=[KeyTask.Status.AT_RISK, KeyTask.Status.DELAYED])
        )
    return queryset.select_related("sector", "bureau", "owner").order_by(
        *SORTS.get(sort, SORTS["due"])
    )


def pillars(plan: WorkPlan) -> list[str]:
    return list(
        KeyTask.objects.filter(sector__plan=plan)
        .exclude(pillar_ko="")
        .values_list("pillar_ko", flat=True)
        .distinct()
        .order_by("pillar_ko")
    )


# --- what changed -------------------------------------------------------------------


def seoul_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


CHANGES_COUNT_CAP = 1000


def changes_since(
    since: datetime,
    *,
    plan: WorkPlan | None = None,
    sector: Sector | None = None,
    until: datetime | None = None,
    limit: int = 50,
) -> tuple[int, list[StatusUpdate]]:
    """How many recorded changes to a plan's (or a sector's) key tasks since a moment,
    and the newest ``limit`` of them. The count stops at ``CHANGES_COUNT_CAP`` + 1, so
    it costs the same for a quiet week and a busy year; the tasks are joined rather
    than listed in a subquery, so the newest changes come off the index and stop early."""
    updates = StatusUpdate.objects.filter(changed_at__gte=since)
    if sector is not None:
        updates = updates.filter(task__sector=sector)
    elif plan is not None:
        updates = updates.filter(task__sector__plan=plan)
    if until is not None:
        updates = updates.filter(changed_at__lt=until)
    total = updates.order_by()[: CHANGES_COUNT_CAP + 1].count()
    newest = list(
        updates.select_related(
            "task", "task__sector", "changed_by", "milestone", "indicator"
        ).order_by("-changed_at", "-id")[:limit]
    )
    return total, newest


# --- indicators: achievement and pace -----------------------------------------------

PUBLISHED_STATES = (Measurement.State.VERIFIED, Measurement.State.FINAL)
HUNDRED = Decimal(100)


def percent_achieved(indicator: Indicator, value: Decimal | None) -> Decimal | None:
    """Achievement against the target, in %.

    Higher-is-better: actual ÷ target, the city's own convention (208,959 jobs against a
    target of 189,988 is reported as 110%). Lower-is-better: the share of the planned
    reduction from the baseline that has been made.
    """
    if value is None:
        return None
    value, baseline, target = Decimal(value), Decimal(indicator.baseline), Decimal(indicator.target)
    if indicator.direction == Indicator.Direction.DECREASE:
        result = (baseline - value) / (baseline - target) * HUNDRED
    elif target == 0:
        return None
    else:
        result = value / target * HUNDRED
    return result.quantize(Decimal("0.1"), ROUND_HALF_UP)


def _reaches(indicator: Indicator, value: Decimal) -> bool:
    target = Decimal(indicator.target)
    if indicator.direction == Indicator.Direction.DECREASE:
        return value <= target
    return value >= target


@dataclass
class Pace:
    projected: Decimal
    will_miss: bool
    is_final: bool  # the latest actual already covers the target date


def project_year_end(
    indicator: Indicator, measurements: list[Measurement], period_start: date
) -> Pace | None:
    """The figure at the target date if the pace so far continues (None without a
    dated actual inside the period)."""
    dated = [m for m in measurements if period_start < m.as_of]
    if not dated:
        return None
    latest = max(dated, key=lambda m: m.as_of)
    if latest.as_of >= indicator.target_date:
        return Pace(
            projected=latest.value,
            will_miss=not _reaches(indicator, latest.value),
            is_final=True,
        )
    elapsed = (latest.as_of - period_start).days
    total = (indicator.target_date - period_start).days
    baseline = Decimal(indicator.baseline)
    projected = baseline + (Decimal(latest.value) - baseline) * total / elapsed
    return Pace(
        # Judged before rounding, so a projection a fraction short is still a miss.
        projected=projected.quantize(Decimal("1"), ROUND_HALF_UP),
        will_miss=not _reaches(indicator, projected),
        is_final=False,
    )


@dataclass
class IndicatorStatus:
    indicator: Indicator
    latest: Measurement | None
    percent: Decimal | None
    pace: Pace | None

    @property
    def projected_percent(self) -> Decimal | None:
        return percent_achieved(self.indicator, self.pace.projected) if self.pace else None


def indicator_statuses(
    indicators: QuerySet[Indicator], plan: WorkPlan, today: date | None = None
) -> list[IndicatorStatus]:
    """Each indicator with its latest actual, % achieved and pace (two queries)."""
    today = today or timezone.localdate()
    rows = []
    for indicator in indicators.prefetch_related(
        Prefetch(
            "measurements",
            queryset=Measurement.objects.filter(as_of__lte=today).order_by("as_of", "id"),
            to_attr="dated",
        )
    ):
        latest = indicator.dated[-1] if indicator.dated else None
        rows.append(
            IndicatorStatus(
                indicator=indicator,
                latest=latest,
                percent=percent_achieved(indicator, latest.value if latest else None),
                pace=project_year_end(indicator, indicator.dated, date(plan.year, 1, 1)),
            )
        )
    return rows


# A review page charts at most this many indicators: beyond a couple of dozen a chart
# tells the reader nothing, and the page's cost would grow with the plan.
INDICATORS_SHOWN = 24


@dataclass
class IndicatorBoard:
    rows: list[IndicatorStatus]
    total: int

    @property
    def is_partial(self) -> bool:
        return self.total > len(self.rows)


def _attention(row: dict, period_start: date) -> tuple:
    """Sort key: projected or final misses first, then the lowest share achieved,
    indicators without an actual last. Works on plain values, not model instances, so
    ranking every indicator of a large plan stays cheap."""
    indicator = SimpleNamespace(**row)
    latest = (
        SimpleNamespace(value=row["latest_value"], as_of=row["latest_as_of"])
        if row["latest_as_of"] is not None
        else None
    )
    pace = project_year_end(indicator, [latest] if latest else [], period_start)
    percent = percent_achieved(indicator, latest.value if latest else None)
    return (
        not (pace and pace.will_miss),
        percent if percent is not None else Decimal("Infinity"),
    )


def indicator_board(
    indicators: QuerySet[Indicator],
    plan: WorkPlan,
    today: date | None = None,
    *,
    limit: int = INDICATORS_SHOWN,
) -> IndicatorBoard:
    """The indicators a review page shows: all of them in their order when they fit,
    otherwise the ``limit`` furthest behind, still in their order (three queries)."""
    today = today or timezone.localdate()
    latest = Measurement.objects.filter(indicator=OuterRef("pk"), as_of__lte=today).order_by(
        "-as_of", "-id"
    )
    ranked = list(
        indicators.annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_as_of=Subquery(latest.values("as_of")[:1]),
        ).values(
            "pk",
            "baseline",
            "target",
            "direction",
            "target_date",
            "latest_value",
            "latest_as_of",
        )
    )
    total = len(ranked)
    if total > limit:
        period_start = date(plan.year, 1, 1)
        ranked = sorted(ranked, key=lambda row: _attention(row, period_start))[:limit]
    rows = indicator_statuses(indicators.filter(pk__in=[row["pk"] for row in ranked]), plan, today)
    return IndicatorBoard(rows=rows, total=total)


# --- caching the review pages' figures ---------------------------------------------

# Every change made through the product writes a history row, a measurement or a
# revision, so the fingerprint below moves at once; what only the admin can change
# (an indicator's target, a sector's name) shows within this many seconds.
REVIEW_CACHE_SECONDS = 60


def review_stamp() -> str:
    """A fingerprint of what the review pages are computed from: one query of four
    index lookups, whatever the size of the plan."""
    tables = {
        "history": StatusUpdate._meta.db_table,
        "measurements": Measurement._meta.db_table,
        "revisions": MeasurementRevision._meta.db_table,
    }
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {tables['history']}),"
            f" (SELECT MAX(id) FROM {tables['measurements']}),"
            f" (SELECT COUNT(*) FROM {tables['measurements']}),"
            f" (SELECT MAX(id) FROM {tables['revisions']})"
        )
        return ".".join(str(value) for value in cursor.fetchone())


def cached_figures(name: str, parts: tuple, compute, *, stamp: str | None = None):
    """``compute()`` once per fingerprint, day, language and ``parts``: a review page
    read by many people between two updates costs a cache read, not a recount."""
    key = ":".join(
        [
            "review",
            name,
            stamp or review_stamp(),
            timezone.localdate().isoformat(),
            get_language() or "",
        ]
        + [str(part) for part in parts]
    )
    figures = cache.get(key)
    if figures is None:
        figures = compute()
        cache.set(key, figures, REVIEW_CACHE_SECONDS)
    return figures


def default_since(today: date) -> date:
    return today - timedelta(days=30)


def combined(overviews) -> Overview:
    """Several groups' overviews as one; the mean stays a mean over tasks."""
    result = Overview(counts=dict.fromkeys(KeyTask.Status.values, 0))
    weighted = 0.0
    counted = 0
    for overview in overviews:
        result.total += overview.total
        result.overdue += overview.overdue
        result.at_risk_computed += overview.at_risk_computed
        for value, n in overview.counts.items():
            result.counts[value] += n
        n_progress = overview.total - overview.counts.get(KeyTask.Status.DROPPED, 0)
        if overview.mean_progress is not None and n_progress:
            weighted += float(overview.mean_progress) * n_progress
            counted += n_progress
    result.mean_progress = weighted / counted if counted else None
    return result


# --- public disclosure --------------------------------------------------------------


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
    from .models import MeasurementRevision

    published = (
        Measurement.objects.filter(state__in=PUBLISHED_STATES)
        .order_by("as_of", "id")
        .prefetch_related(
            Prefetch(
                "revisions", queryset=MeasurementRevision.objects.order_by("-revised_at", "-id")
            )
        )
    )
    indicators = (
        plan.indicators.filter(is_public=True)
        .select_related("sector")
        .order_by("sector__number", "code")
        .prefetch_related(Prefetch("measurements", queryset=published, to_attr="published"))
    )
    rows = []
    for indicator in indicators:
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
                percent=percent_achieved(indicator, latest.value if latest else None),
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
            "sector__number",
            "sector__name_ko",
            "sector__name_en",
        )
        .order_by("sector__number", "code")
    )
