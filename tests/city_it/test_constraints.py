"""The plan's rules hold in the database itself, not only in forms."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from meetings.models import ReportSession
from plans.models import KeyTask, Sector, StatusUpdate
from tests.factories import (
    IndicatorFactory,
    KeyTaskFactory,
    ReportSessionFactory,
    WorkPlanFactory,
)

pytestmark = pytest.mark.django_db


def refused_by_database(queryset_update):
    with pytest.raises(IntegrityError), transaction.atomic():
        queryset_update()


def test_it_refuses_progress_above_100_in_the_database():
    task = KeyTaskFactory()
    refused_by_database(lambda: KeyTask.objects.filter(pk=task.pk).update(progress=101))


def test_it_refuses_a_due_date_before_the_start_in_the_database():
    task = KeyTaskFactory(start_date=dt.date(2024, 3, 1), due_date=dt.date(2024, 6, 1))
    refused_by_database(
        lambda: KeyTask.objects.filter(pk=task.pk).update(due_date=dt.date(2024, 2, 28))
    )


def test_it_accepts_a_task_due_on_its_start_day():
    day = dt.date(2024, 3, 1)
    task = KeyTaskFactory(start_date=day, due_date=day)
    task.full_clean()


def test_it_refuses_done_without_completion_in_the_database():
    task = KeyTaskFactory(progress=60)
    refused_by_database(lambda: KeyTask.objects.filter(pk=task.pk).update(status="done"))
    refused_by_database(
        lambda: KeyTask.objects.filter(pk=task.pk).update(status="done", progress=100)
    )


def test_it_refuses_progress_on_a_task_not_started_in_the_database():
    task = KeyTaskFactory(status="not_started", progress=0)
    refused_by_database(lambda: KeyTask.objects.filter(pk=task.pk).update(progress=100))


def test_it_refuses_a_completion_date_on_an_open_task_in_the_database():
    task = KeyTaskFactory()
    refused_by_database(
        lambda: KeyTask.objects.filter(pk=task.pk).update(completed_on=dt.date(2024, 5, 1))
    )


def test_model_validation_explains_the_rule_to_the_user():
    task = KeyTaskFactory()
    task.progress = 150
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        task.full_clean()
    assert "Progress must be between 0 and 100." in excinfo.value.messages


def test_a_plan_has_at_most_one_sector_per_number():
    plan = WorkPlanFactory()
    Sector.objects.create(plan=plan, number=1, name_ko="경제")
    with pytest.raises(IntegrityError), transaction.atomic():
        Sector.objects.create(plan=plan, number=1, name_ko="다시")


@pytest.mark.parametrize("number", [0, 6])
def test_sector_numbers_run_from_1_to_5(number):
    with pytest.raises(IntegrityError), transaction.atomic():
        Sector.objects.create(plan=WorkPlanFactory(), number=number, name_ko="x")


def test_a_session_must_end_after_it_starts():
    session = ReportSessionFactory()
    refused_by_database(
        lambda: ReportSession.objects.filter(pk=session.pk).update(ends_at=session.starts_at)
    )


def test_an_indicator_target_must_differ_from_its_baseline():
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorFactory(baseline=100, target=100)


def test_status_history_is_append_only():
    task = KeyTaskFactory()
    entry = StatusUpdate.objects.create(task=task, version=1, kind="created")
    entry.note = "rewritten"
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()
