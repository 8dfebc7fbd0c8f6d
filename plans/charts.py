"""Geometry for the server-drawn SVG charts (no JavaScript, prints in black and white)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# Bars run to 150% of target; beyond that they are clipped and marked.
SCALE_MAX = Decimal(150)


@dataclass
class Bar:
    y: int
    label: str
    value_label: str
    width: float
    clipped: bool
    projected_x: float | None
    will_miss: bool


@dataclass
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    plot_x: int
    plot_width: int
    target_x: float
    row_height: int
    ticks: list[tuple[float, str]]


def _x(percent: Decimal | None, plot_width: int) -> float:
    if percent is None:
        return 0.0
    share = max(Decimal(0), min(percent, SCALE_MAX)) / SCALE_MAX
    return round(float(share) * plot_width, 1)


def achievement_chart(rows, *, width: int = 720, label_width: int = 260) -> BarChart:
    """Horizontal bars of % achieved, a line at the target (100%) and a diamond at the
    projected year-end achievement. ``rows`` are ``review.IndicatorStatus``."""
    row_height = 34
    plot_x = label_width
    plot_width = width - label_width - 70
    bars = []
    for index, row in enumerate(rows):
        projected = row.projected_percent if row.pace and not row.pace.is_final else None
        bars.append(
            Bar(
                y=28 + index * row_height,
                label=f"{row.indicator.code} {row.indicator.name}",
                value_label="—" if row.percent is None else f"{row.percent}%",
                width=_x(row.percent, plot_width),
                clipped=row.percent is not None and row.percent > SCALE_MAX,
                projected_x=None if projected is None else plot_x + _x(projected, plot_width),
                will_miss=bool(row.pace and row.pace.will_miss),
            )
        )
    ticks = [(plot_x + _x(Decimal(p), plot_width), f"{p}%") for p in (0, 50, 100, 150)]
    return BarChart(
        bars=bars,
        width=width,
        height=40 + len(rows) * row_height,
        plot_x=plot_x,
        plot_width=plot_width,
        target_x=plot_x + _x(Decimal(100), plot_width),
        row_height=row_height,
        ticks=ticks,
    )
