"""The indicator chart: each indicator on a row of its own, its name and figures written
as text and only the bar drawn (server-side SVG, no JavaScript). Positions are shares of
the row's width, so the bar stretches with the page and the text never shrinks: the
same chart reads on a phone, a desk screen and an A4 page."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

# The bar's track runs to 150% of the target; a figure beyond is drawn to the end and
# marked as cut off.
SCALE_MAX = Decimal(150)
TICKS = (0, 50, 100, 150)


class State(StrEnum):
    """Where an indicator stands, in the order a reader should look at them."""

    MISS = "miss"  # its target is missed, or will be at the pace so far
    NO_PACE = "no_pace"  # an actual, but none this year to project from
    ON_PACE = "on_pace"
    MET = "met"
    NO_ACTUAL = "no_actual"


STATE_LABELS = {
    State.MISS: _("Will miss the target"),
    State.NO_PACE: _("No projection yet"),
    State.ON_PACE: _("On pace"),
    State.MET: _("Target met"),
    State.NO_ACTUAL: _("No actual yet"),
}
# A target that could no longer be reached reads "Target missed", not "will miss".
MISSED_LABEL = _("Target missed")
ORDER = list(State)


def _share(percent: Decimal | None) -> float:
    """A % of target as a share (0-100) of the bar's track."""
    if percent is None:
        return 0.0
    return round(float(max(Decimal(0), min(percent, SCALE_MAX)) / SCALE_MAX * 100), 2)


@dataclass
class ChartRow:
    status: object  # plans.indicators.IndicatorStatus
    state: State
    bar: float  # width of the bar, % of the track
    clipped: bool
    projected: float | None  # where the year-end projection falls, % of the track

    @property
    def indicator(self):
        return self.status.indicator

    @property
    def label(self) -> str:
        is_final = self.status.pace is not None and self.status.pace.is_final
        if self.state == State.MISS and is_final:
            return str(MISSED_LABEL)
        return str(STATE_LABELS[self.state])

    @property
    def shows_projection(self) -> bool:
        return self.status.pace is not None and not self.status.pace.is_final


@dataclass
class IndicatorChart:
    rows: list[ChartRow]
    target: float = _share(Decimal(100))
    ticks: list[tuple[float, str]] = field(
        default_factory=lambda: [(_share(Decimal(p)), f"{p}%") for p in TICKS]
    )

    @property
    def counts(self) -> list[tuple[State, str, int]]:
        """(state, label, how many) for the states that occur, in the rows' order."""
        found = {}
        for row in self.rows:
            found[row.state] = found.get(row.state, 0) + 1
        return [
            (state, str(STATE_LABELS[state]), found[state]) for state in ORDER if state in found
        ]


def state_of(status) -> State:
    """``status`` is a ``plans.indicators.IndicatorStatus``."""
    if status.latest is None:
        return State.NO_ACTUAL
    if status.indicator.reaches(status.latest.value):
        return State.MET
    if status.pace is None:
        return State.NO_PACE
    return State.MISS if status.pace.will_miss else State.ON_PACE


def _attention(row: ChartRow) -> tuple:
    # Within a state, the furthest behind first.
    percent = row.status.percent
    return (ORDER.index(row.state), percent if percent is not None else Decimal("Infinity"))


def achievement_chart(statuses) -> IndicatorChart:
    """The indicators as chart rows, those needing attention first: targets missed or
    projected to be missed, then those without a projection, on pace, met, and last those
    without an actual."""
    rows = []
    for status in statuses:
        projected = None
        if status.pace is not None and not status.pace.is_final:
            projected = _share(status.projected_percent)
        rows.append(
            ChartRow(
                status=status,
                state=state_of(status),
                bar=_share(status.percent),
                clipped=status.percent is not None and status.percent > SCALE_MAX,
                projected=projected,
            )
        )
    return IndicatorChart(rows=sorted(rows, key=_attention))
