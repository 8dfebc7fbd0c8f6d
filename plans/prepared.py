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
Prefetches are not kept: read them after (``prefetch_related_objects``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators

# Not an id any table hands out; the SQL is checked to carry it exactly once.
_PLACEHOLDER = -7_301_977


class ById:
    """``ById(KeyTask, lambda pk: queryset.filter(pk=pk)).get(pk=pk)`` is
    ``queryset.filter(pk=pk).get()``, the SQL written once per database."""

    def __init__(self, model: type[Model], queryset_for: Callable[[int], QuerySet]):
        self.model = model
        self.queryset_for = queryset_for
        self._written: dict[str, _Written] = {}

    def get(self, *, pk: int) -> Model:
        """The record with this id; the model's ``DoesNotExist`` when there is none
        (an id out of the column's range included, as the ORM answers)."""
        alias = router.db_for_read(self.model)
        written = self._written.get(alias)
        if written is None:
            written = self._written[alias] = _Written(self.queryset_for(_PLACEHOLDER), alias)
        found = written.run(pk)
        if found is None:
            name = self.model._meta.object_name
            raise self.model.DoesNotExist(f"{name} matching query does not exist.")
        return found


class _Written:
    """The SQL of a one-record queryset and how its columns become objects (what
    Django's ``ModelIterable`` works out on every run), for one database."""

    def __init__(self, queryset: QuerySet, alias: str):
        if queryset._iterable_class is not ModelIterable or queryset._prefetch_related_lookups:
            # Values rows and prefetches are built elsewhere in Django: not kept here.
            raise ValueError("ById reads model instances without prefetches")
        self.model = queryset.model
        self.alias = alias
        # The compiler is only read after this (``results_iter`` with rows given).
        self.compiler = queryset.query.get_compiler(alias)
        self.sql, params = self.compiler.as_sql()
        if sum(1 for value in params if value == _PLACEHOLDER) != 1:
            raise ValueError("the queryset must filter on the id given, once")
        self.params = params
        klass_info = self.compiler.klass_info
        first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        self.fields = slice(first, last)
        self.attnames = [column[0].target.attname for column in self.compiler.select[first:last]]
        self.populators = get_related_populators(klass_info, self.compiler.select, alias)
        self.annotations = dict(self.compiler.annotation_col_map)
        pk_type = self.model._meta.pk.get_internal_type()
        self.pk_range = connections[alias].ops.integer_field_range(pk_type)

    def run(self, pk) -> Model | None:
        low, high = self.pk_range
        if (low is not None and pk < low) or (high is not None and pk > high):
            return None
        params = [pk if value == _PLACEHOLDER else value for value in self.params]
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchmany(2)
        if len(rows) > 1:
            raise self.model.MultipleObjectsReturned
        for row in self.compiler.results_iter([rows]):
            found = self.model.from_db(self.alias, self.attnames, row[self.fields])
            for populator in self.populators:
                populator.populate(row, found)
            for name, position in self.annotations.items():
                setattr(found, name, row[position])
            return found
        return None
