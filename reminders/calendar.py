"""Business days in Busan: weekends and Korean public holidays (Seollal, Chuseok and the
substitute days included, from the ``holidays`` package) are days off.

"Today" is ``plans.dates.today()``, the one Seoul calendar; this module only knows
which days are worked.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

ONE_DAY = dt.timedelta(days=1)
# Korea's longest run of days off (Seollal or Chuseok next to a weekend and a substitute
# day) is under ten days; this bounds how far a reminder can move, for the DB filters.
MAX_SHIFT_DAYS = 14


@lru_cache(maxsize=32)
def _korean_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("KR", years=year))


def is_business_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _korean_holidays(day.year)


def business_day_on_or_before(day: dt.date) -> dt.date:
    while not is_business_day(day):
        day -= ONE_DAY
    return day


def business_day_on_or_after(day: dt.date) -> dt.date:
    while not is_business_day(day):
        day += ONE_DAY
    return day


def moved(nominal: dt.date, actual: dt.date) -> str:
    """The note a reminder's reason carries when a day off moved it."""
    if nominal == actual:
        return ""
    return f" ({nominal:%a %Y-%m-%d} is a day off: moved to {actual:%a %Y-%m-%d})"
