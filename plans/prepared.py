"""One record by its id, read with SQL the ORM wrote once per process.

Django writes a queryset's SQL afresh each time it runs it. For most pages that is a
small part of the request; for the busiest reads of one record it is most of it: the
task page's key task (five joined records, two ``EXISTS``, the carried task's code and
year) took 1.5-1.8 ms to read, of which running the SQL and building the objects
0.3-0.4 ms; the rest was writing the SQL and working out how its columns become
objects. ``ById`` builds its queryset once, for a placeholder id, and keeps the SQL
with that setup; each read runs the SQL for the id asked for and builds the same
objects the ORM would (the joined records, the annotations, the database's converters).

The queryset stays the one rule of what is read:
``ById(KeyTask, lambda pk: KeyTask.objects.select_related(...).filter(pk=pk))``.
Prefetches are not kept: read them after (``prefetch_related_objects``). A
``values_list`` queryset of one id (the bureaus a person heads, by their id) gives its
rows with ``rows(pk=…)``. A record found by another unique field, a whole number or a
text, names it: ``ById(WorkPlan, lambda year: WorkPlan.objects.filter(year=year),
key="year")``, read with ``get(year=…)``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connections, router
from django.db.models import CharField, Model, QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators

# Not an id any table hands out; the SQL is checked to carry it exactly once. A key
# whose column cannot hold it (a year) gets a value near the top of its range, which
# the ORM would otherwise leave out of the SQL as matching nothing; a text key a text
# no form lets anyone type.
_PLACEHOLDER = -7_301_977
_BELOW_TOP = 18
_TEXT_PLACEHOLDER = "\x1fById placeholder\x1f"


class ById:
    """``ById(KeyTask, lambda pk: queryset.filter(pk=pk)).get(pk=pk)`` is
    ``queryset.filter(pk=pk).get()``, the SQL written once per database."""

    def __init__(
        self, model: type[Model], queryset_for: Callable[[int], QuerySet], *, key: str = "pk"
    ):
        self.model = model
        self.queryset_for = queryset_for
        self.key = key
        self._written: dict[str, _Written] = {}

    def get(self, **key: int | str) -> Model:
        """The record with this id (``pk=…``, or the ``key`` named); the model's
        ``DoesNotExist`` when there is none (a value out of the column's range
        included, as the ORM answers)."""
        found = self._for_this_database().record(self._value(key))
        if found is None:
            name = self.model._meta.object_name
            raise self.model.DoesNotExist(f"{name} matching query does not exist.")
        return found

    def rows(self, **key: int | str) -> list[tuple]:
        """The rows of a ``values_list`` queryset for this id, as the ORM gives them."""
        return self._for_this_database().rows(self._value(key), ValuesListIterable)

    def _value(self, key: dict) -> int | str:
        if list(key) != [self.key]:
            raise TypeError(f"read by {self.key}=…, not {', '.join(key) or 'nothing'}")
        return key[self.key]

    def _for_this_database(self) -> _Written:
        alias = router.db_for_read(self.model)
        written = self._written.get(alias)
        if written is None:
            meta = self.model._meta
            field = meta.pk if self.key == "pk" else meta.get_field(self.key)
            if isinstance(field, CharField):
                placeholder, key_range = _TEXT_PLACEHOLDER, None
            else:
                key_range = connections[alias].ops.integer_field_range(field.get_internal_type())
                placeholder = _PLACEHOLDER
                if not _within(placeholder, key_range):
                    low, high = key_range
                    placeholder = high - _BELOW_TOP if high is not None else low - _PLACEHOLDER
            queryset = self.queryset_for(placeholder)
            written = self._written[alias] = _Written(queryset, alias, placeholder, key_range)
        return written


def _within(value: int | str, bounds: tuple[int | None, int | None] | None) -> bool:
    """Whether an id is within its column's range (a text key has none)."""
    if bounds is None:
        return True
    low, high = bounds
    return (low is None or value >= low) and (high is None or value <= high)


class _Written:
    """The SQL of a queryset of one id and how its columns become rows or objects (what
    Django's ``ModelIterable`` and ``ValuesListIterable`` work out on every run), for
    one database."""

    def __init__(self, queryset: QuerySet, alias: str, placeholder, key_range: tuple | None):
        query = queryset.query
        if queryset._prefetch_related_lookups:
            raise ValueError("ById reads no prefetches: read them after")
        self.kind = queryset._iterable_class
        if self.kind is ValuesListIterable:
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
            if list(queryset._fields) != names:
                # Django reorders such rows after reading them: not done here.
                raise ValueError("ById reads values_list rows in the order of their columns")
        elif self.kind is not ModelIterable:
            raise ValueError("ById reads model instances or values_list rows")
        self.model = queryset.model
        self.alias = alias
        # The compiler is only read after this (``results_iter`` with rows given).
        self.compiler = query.get_compiler(alias)
        self.sql, params = self.compiler.as_sql()
        if sum(1 for value in params if value == placeholder) != 1:
            raise ValueError("the queryset must filter on the id given, once")
        self.params = params
        self.placeholder = placeholder
        self.key_range = key_range
        if self.kind is ModelIterable:
            klass_info = self.compiler.klass_info
            first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
            self.fields = slice(first, last)
            select = self.compiler.select
            self.attnames = [column[0].target.attname for column in select[first:last]]
            self.populators = get_related_populators(klass_info, select, alias)
            self.annotations = dict(self.compiler.annotation_col_map)

    def rows(self, key, kind=None) -> list[tuple]:
        if kind is not None and kind is not self.kind:
            raise ValueError(f"this queryset is read with {self.kind.__name__}")
        if not _within(key, self.key_range):
            return []
        params = [key if value == self.placeholder else value for value in self.params]
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, params)
            found = cursor.fetchall()
        return list(self.compiler.results_iter([found], tuple_expected=True))

    def record(self, key) -> Model | None:
        rows = self.rows(key, ModelIterable)
        if len(rows) > 1:
            raise self.model.MultipleObjectsReturned
        for row in rows:
            found = self.model.from_db(self.alias, self.attnames, row[self.fields])
            for populator in self.populators:
                populator.populate(row, found)
            for name, position in self.annotations.items():
                setattr(found, name, row[position])
            return found
        return None
