"""The task page's task and the task an in-row update saves are read with SQL the ORM
wrote once per process (``plans.prepared.ById``): each read gives the same task, with
the same joined records and annotations, as the ORM's own read, and a task that is not
there is a 404, never a 500."""

import datetime as dt

import pytest
from django.db.models import F
from django.db.models.sql.compiler import SQLCompiler

from plans import deadlines, selectors
from plans.models import KeyTask
from plans.prepared import ById
from tests.factories import IndicatorFactory, KeyTaskFactory, MeasurementFactory

JOINED = ("sector", "plan", "bureau", "owner", "updated_by")


def values(record):
    if record is None:
        return None
    return {field.attname: getattr(record, field.attname) for field in record._meta.concrete_fields}


def orm_read(pk):
    """What the ById of the task page stands for, read by the ORM on its own."""
    return selectors._TASK_FOR_DETAIL.queryset_for(pk).get()


@pytest.fixture
def tasks(city):
    """A plain task, one carried over with a moved deadline, one with an indicator and
    no last editor."""
    plain = city.economy_task
    carried = KeyTaskFactory(
        sector=city.sectors[1],
        bureau=city.finance,
        predecessor=plain,
        updated_by=city.finance_staff,
    )
    deadlines.request_deadline_change(
        carried,
        by=city.economy_head,
        expected_version=carried.version,
        new_due_date=carried.due_date - dt.timedelta(days=3),
        reason="Ahead of schedule",
    )
    measured = KeyTaskFactory(sector=city.sectors[2], bureau=city.finance, updated_by=None)
    MeasurementFactory(indicator=IndicatorFactory(sector=measured.sector, task=measured))
    return [plain, carried, measured]


def test_a_task_read_by_id_is_the_task_the_orm_reads(tasks):
    for task in tasks:
        prepared, orm = selectors._TASK_FOR_DETAIL.get(pk=task.pk), orm_read(task.pk)
        assert values(prepared) == values(orm)
        for name in JOINED:
            assert values(getattr(prepared, name)) == values(getattr(orm, name)), name
        for name in ("has_deadline_changes", "has_indicators", "predecessor_code"):
            assert getattr(prepared, name) == getattr(orm, name), name
        assert prepared.predecessor_year == orm.predecessor_year
        assert prepared._state.db == orm._state.db and not prepared._state.adding
    carried, measured = tasks[1], tasks[2]
    read = selectors._TASK_FOR_DETAIL.get(pk=carried.pk)
    assert read.has_deadline_changes and read.predecessor_code == tasks[0].code
    assert selectors._TASK_FOR_DETAIL.get(pk=measured.pk).updated_by is None


def test_the_sql_is_written_on_the_first_read_only(tasks, monkeypatch):
    reads = ById(KeyTask, lambda pk: KeyTask.objects.select_related("bureau").filter(pk=pk))
    reads.get(pk=tasks[0].pk)
    written = []
    as_sql = SQLCompiler.as_sql
    monkeypatch.setattr(
        SQLCompiler, "as_sql", lambda self, *a, **k: written.append(1) or as_sql(self, *a, **k)
    )
    for task in tasks:
        assert reads.get(pk=task.pk).bureau == task.bureau
    assert written == []


@pytest.mark.parametrize("pk", [0, -1, 10**6, 2**63, -(2**63) - 1, 10**30])
def test_a_task_that_is_not_there_is_does_not_exist(city, pk):
    with pytest.raises(KeyTask.DoesNotExist):
        selectors._TASK_FOR_DETAIL.get(pk=pk)
    with pytest.raises(KeyTask.DoesNotExist):
        selectors.for_quick_update().get(pk=pk)


@pytest.mark.parametrize("pk", [10**6, 2**63, 10**30])
def test_opening_or_saving_a_task_that_is_not_there_is_a_404(client, city, pk):
    client.force_login(city.economy_head)
    assert client.get(f"/tasks/{pk}/").status_code == 404
    saved = client.post(f"/tasks/{pk}/update/", {"version": 1, "progress": 50})
    assert saved.status_code == 404


def test_a_read_must_filter_on_the_id_it_is_given_once(city):
    for queryset_for in (
        lambda pk: KeyTask.objects.all(),
        lambda pk: KeyTask.objects.filter(pk=pk) | KeyTask.objects.filter(predecessor=pk),
        lambda pk: KeyTask.objects.filter(pk=pk).values("code"),
        lambda pk: KeyTask.objects.filter(pk=pk).prefetch_related("milestones"),
        # Django would reorder these rows (the annotation named first) after reading them.
        lambda pk: KeyTask.objects.filter(pk=pk).annotate(n=F("progress")).values_list("n", "pk"),
    ):
        with pytest.raises(ValueError):
            ById(KeyTask, queryset_for).get(pk=city.economy_task.pk)


def test_the_bureaus_a_head_heads_are_read_as_the_orm_reads_them(city):
    """The same mechanism gives rows of a values_list: the bureaus under those a person
    heads, by the person's id (``plans.permissions``)."""
    from django.db.models import Exists, F, OuterRef
    from django.db.models.lookups import StartsWith

    from plans.models import Bureau

    def under_headed(person):
        above = Bureau.objects.filter(head=person).filter(StartsWith(OuterRef("path"), F("path")))
        return Bureau.objects.filter(Exists(above)).order_by("path").values_list("pk", "path")

    reads = ById(Bureau, under_headed)
    for person in (city.economy_head, city.welfare_head, city.finance_staff):
        assert reads.rows(pk=person.pk) == list(under_headed(person.pk))
    assert reads.rows(pk=city.economy_head.pk) == [
        (city.economy.pk, city.economy.path),
        (city.finance.pk, city.finance.path),
    ]
    with pytest.raises(ValueError):
        reads.get(pk=city.economy_head.pk)  # rows, not records
    with pytest.raises(ValueError):
        selectors.for_quick_update().rows(pk=city.economy_task.pk)  # records, not rows
