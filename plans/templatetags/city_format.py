"""Template filters for numbers, won and dates in the active language (see plans.formatting).

{% load city_format %}
{{ indicator.target|count:"명" }}   75만 9,000명 / 759,000
{{ amount|krw }}                     6조 원 / KRW 6 trillion
{{ rate|percent }}                   66.9%
{{ session.starts_at|seoul_datetime }}  2024년 1월 15일 (월) 오전 10:00 / Mon 15 Jan 2024, 10:00
{{ indicator.target|quantity:indicator.unit }}  2,431명, 5조 원, 66.9% / 2,431 persons

Templates write numbers, units, dates and times only through these filters (Django's
``date`` filter only for machine-readable attributes such as ``datetime="…"``).
"""

from django import template
from django.utils.translation import get_language

from plans import formatting

register = template.Library()


@register.filter
def number(value):
    """18만 9,988 in Korean, 189,988 in English."""
    if formatting.is_korean(get_language()):
        return formatting.korean_number(value)
    return formatting.grouped(value)


@register.filter
def count(value, counter=""):
    """A count with its Korean counter word (명, 개, 건, 톤); English shows the number."""
    return formatting.count(value, counter, get_language())


@register.filter
def krw(value):
    return formatting.krw(value, get_language())


@register.filter
def percent(value, places=1):
    return formatting.percent(value, int(places))


@register.filter
def seoul_date(value):
    return formatting.long_date(value, get_language())


@register.filter
def seoul_datetime(value):
    return formatting.long_datetime(value, get_language())


@register.filter
def quantity(value, unit=""):
    """A figure with its unit: 18만 9,988개 / 189,988 jobs."""
    return formatting.quantity(value, unit, get_language())


@register.filter
def seoul_time(value):
    """오후 2:30 / 14:30."""
    return formatting.time_of_day(value, get_language())


@register.filter
def seoul_time_range(start, end):
    """{{ item.starts_at|seoul_time_range:item.ends_at }}: 오전 10:00-10:25 / 10:00-10:25."""
    return formatting.time_range(start, end, get_language())


@register.filter
def seoul_datetime_range(start, end):
    """2024년 1월 15일 (월) 오전 10:00-오후 12:00 / Mon 15 Jan 2024, 10:00-12:00."""
    return formatting.datetime_range(start, end, get_language())


@register.filter
def year_month(value):
    """2024년 1월 / Jan 2024."""
    return formatting.year_month(value, get_language())


@register.filter
def year_query(plan, joiner: str = "?") -> str:
    """``?year=2024`` (``&year=2024`` with joiner "&") for a link that stays on a plan
    other than the tracked one; nothing for the tracked plan (the default)."""
    if plan is None or getattr(plan, "is_tracked", True):
        return ""
    return f"{joiner}year={plan.year}"
