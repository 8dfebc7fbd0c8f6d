"""Template filters for numbers, won and dates in the active language (see plans.formatting).

{% load city_format %}
{{ indicator.target|count:"명" }}   75만 9,000명 / 759,000
{{ amount|krw }}                     6조 원 / KRW 6 trillion
{{ rate|percent }}                   66.9%
{{ session.starts_at|seoul_datetime }}  2024년 1월 15일 (월) 오전 10:00 / Mon 15 Jan 2024, 10:00
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
