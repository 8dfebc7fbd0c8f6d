"""A page of a list and the number of rows in the whole list, read in one query.

Django's ``Paginator`` counts the list (one query) before it reads the page (another):
on a bureau head's My tasks both walked the same 500 tasks, and the count was a tenth
of the page's time. Here each row of the page carries the count of all rows
(``COUNT(*) OVER ()``, worked out before the page's LIMIT), so the page and its count
come back together. A page past the end, an empty list, a list of distinct rows (where
the window would count rows before DISTINCT folds them), a union of lists or a database
without window functions is left to Django's paginator as before.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Count, QuerySet, Window
from django.db.models.query import FlatValuesListIterable, ModelIterable

# The annotation that carries the count; a name no model field or annotation uses.
TOTAL = "rows_in_all"


def page_of(rows: QuerySet, per_page: int, number) -> Page:
    """``Paginator(rows, per_page).get_page(number)``, in one query when it can.

    ``rows`` is a queryset of model instances or a flat ``values_list``; the page's
    ``object_list`` holds what ``rows`` yields, as Django's page would."""
    paginator = Paginator(rows, per_page)
    asked = _number(number)
    if asked is None or not _counts_in_one_query(rows):
        return paginator.get_page(number)
    start = (asked - 1) * per_page
    found = list(_counted(rows)[start : start + per_page])
    if not found:
        # Past the last page (or nothing at all): Django counts and picks the last page.
        return paginator.get_page(number)
    if rows._iterable_class is FlatValuesListIterable:
        paginator.count = found[0][1]
        found = [value for value, _total in found]
    else:
        paginator.count = getattr(found[0], TOTAL)
    return Page(found, asked, paginator)


def _number(number) -> int | None:
    """The page asked for as Django's ``get_page`` reads it, or None when Django would
    pick the page itself (not a whole number, below one)."""
    if number in (None, ""):
        return 1
    try:
        asked = int(number)
    except (TypeError, ValueError):
        return None
    return asked if asked >= 1 else None


def _counts_in_one_query(rows: QuerySet) -> bool:
    return (
        isinstance(rows, QuerySet)
        and rows._iterable_class in (ModelIterable, FlatValuesListIterable)
        and not rows.query.distinct
        and not rows.query.is_sliced
        and not rows.query.combinator
        and connections[rows.db].features.supports_over_clause
    )


def _counted(rows: QuerySet) -> QuerySet:
    counted = rows.annotate(**{TOTAL: Window(Count("*"))})
    if rows._iterable_class is FlatValuesListIterable:
        return counted.values_list(*rows._fields, TOTAL)
    return counted
