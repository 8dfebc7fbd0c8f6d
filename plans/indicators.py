"""Indicators as the review pages read them: each with its latest actual, the share of
its target achieved and its pace to the target date (the rules are on ``Indicator``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Prefetch, QuerySet

from . import dates
from .models import Indicator, Measurement, Pace, WorkPlan

# A review page charts at most this many indicators: beyond a couple of dozen a chart
# tells the reader nothing, and the page's cost would grow with the plan.
INDICATORS_SHOWN = 24


@dataclass
class IndicatorStatus:
    indicator: Indicator
    latest: Measurement | None
    percent: Decimal | None
    pace: Pace | None

    @property
    def projected_percent(self) -> Decimal | None:
        return self.indicator.percent_achieved(self.pace.projected) if self.pace else None


def period_start(plan: WorkPlan) -> date:
    return date(plan.year, 1, 1)


def indicator_statuses(
    indicators: QuerySet[Indicator], plan: WorkPlan, today: date | None = None
) -> list[IndicatorStatus]:
    """Each indicator with its latest actual, % achieved and pace (two queries)."""
    today = today or dates.today()
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
                percent=indicator.percent_achieved(latest.value if latest else None),
                pace=indicator.project_year_end(indicator.dated, period_start(plan)),
            )
        )
    return rows


@dataclass
class IndicatorBoard:
    rows: list[IndicatorStatus]
    total: int

    @property
    def is_partial(self) -> bool:
        return self.total > len(self.rows)


def _attention(row: dict, start: date) -> tuple:
    """Sort key: projected or final misses first, then the lowest share achieved,
    indicators without an actual last. Works on plain values, not model instances, so
    ranking every indicator of a large plan stays cheap."""
    latest = (
        [SimpleNamespace(value=row["latest_value"], as_of=row["latest_as_of"])]
        if row["latest_as_of"] is not None
        else []
    )
    direction, baseline, target = row["direction"], row["baseline"], row["target"]
    pace = Indicator.projection(direction, baseline, target, row["target_date"], latest, start)
    percent = Indicator.achievement(
        direction, baseline, target, latest[0].value if latest else None
    )
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
    today = today or dates.today()
    ranked = list(
        indicators.with_latest_actual(on=today).values(
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
        start = period_start(plan)
        ranked = sorted(ranked, key=lambda row: _attention(row, start))[:limit]
    rows = indicator_statuses(indicators.filter(pk__in=[row["pk"] for row in ranked]), plan, today)
    return IndicatorBoard(rows=rows, total=total)
