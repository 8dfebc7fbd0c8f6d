"""Indicators: % achieved against target, and a year-end projection from the pace so far
that flags a target that will be missed before the year is out."""

import datetime as dt
from decimal import Decimal

from plans import indicators
from plans.models import Indicator, Measurement
from tests.factories import IndicatorFactory, MeasurementFactory

YEAR_START = dt.date(2024, 1, 1)


def indicator(city, **fields):
    defaults = {
        "sector": city.sectors[0],
        "baseline": 0,
        "target": 366,
        "target_date": dt.date(2024, 12, 31),  # 365 days after 1 January (leap year)
    }
    return IndicatorFactory(**{**defaults, **fields})


def actual(ind, day, value, state="verified"):
    return MeasurementFactory(indicator=ind, as_of=day, value=value, state=state)


def test_jobs_110_percent_like_the_city_reports(city):
    ind = indicator(city, target=189988)
    assert ind.percent_achieved(Decimal(208959)) == Decimal("110.0")


def test_lower_is_better_counts_the_share_of_the_planned_reduction(city):
    ind = indicator(city, baseline=100, target=60, direction=Indicator.Direction.DECREASE)
    assert ind.percent_achieved(Decimal(80)) == Decimal("50.0")
    assert ind.percent_achieved(Decimal(60)) == Decimal("100.0")


def test_no_projection_without_a_dated_actual(city):
    ind = indicator(city)
    assert ind.project_year_end([], YEAR_START) is None
    start_only = [actual(ind, YEAR_START, 0)]
    assert ind.project_year_end(start_only, YEAR_START) is None


def test_a_fraction_short_of_the_target_is_a_miss_even_if_it_rounds_up(city):
    ind = indicator(city, target=Decimal("365.4"))
    pace = ind.project_year_end([actual(ind, dt.date(2024, 4, 10), 100)], YEAR_START)
    assert pace.projected == 365  # shown rounded
    assert pace.will_miss  # 365.0 < 365.4


def test_exactly_on_pace_is_not_a_miss_and_one_short_is(city):
    ind = indicator(city, target=365)
    on_pace = ind.project_year_end([actual(ind, dt.date(2024, 4, 10), 100)], YEAR_START)
    assert on_pace.projected == 365  # 100 in 100 days → 365 in 365 days
    assert on_pace.will_miss is False
    ind2 = indicator(city, target=366)
    short = ind2.project_year_end([actual(ind2, dt.date(2024, 4, 10), 100)], YEAR_START)
    assert short.will_miss is True


def test_a_decreasing_indicator_misses_when_the_projection_stays_above_target(city):
    ind = indicator(city, baseline=1000, target=635, direction="decrease")
    # 100 down in 100 days → 365 down by year end → 635: exactly the target.
    on_pace = ind.project_year_end([actual(ind, dt.date(2024, 4, 10), 900)], YEAR_START)
    assert on_pace.projected == 635 and not on_pace.will_miss
    slower = Measurement(indicator=ind, as_of=dt.date(2024, 4, 10), value=Decimal(901))
    slow = ind.project_year_end([slower], YEAR_START)
    assert slow.will_miss


def test_the_latest_actual_counts_and_a_final_figure_is_not_projected(city):
    ind = indicator(city, target=189988)
    rows = [
        actual(ind, dt.date(2024, 3, 31), 62400),
        actual(ind, dt.date(2024, 12, 31), 208959, state=Measurement.State.FINAL),
    ]
    pace = ind.project_year_end(rows, YEAR_START)
    assert pace.is_final and pace.projected == 208959 and not pace.will_miss


def test_indicator_statuses_ignore_actuals_dated_after_today(city):
    ind = indicator(city, target=365)
    actual(ind, dt.date(2024, 4, 10), 100)
    actual(ind, dt.date(2024, 8, 1), 50)
    plan = city.plan
    (row,) = indicators.indicator_statuses(plan.indicators.all(), plan, dt.date(2024, 5, 1))
    assert row.latest.value == 100
    assert row.percent == Decimal("27.4")
    (row,) = indicators.indicator_statuses(plan.indicators.all(), plan, dt.date(2024, 9, 1))
    assert row.latest.value == 50 and row.pace.will_miss
