"""Every change to a key task is recorded, and a stale edit never overwrites a newer one."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from plans import services
from plans.models import KeyTask


def test_an_update_records_who_changed_what_from_what_to_what(city):
    task = city.finance_task
    services.update_key_task(
        task,
        by=city.finance_staff,
        expected_version=task.version,
        status=KeyTask.Status.AT_RISK,
        progress=45,
        note="예산 협의 지연",
    )
    rows = {row.field: row for row in task.history.exclude(field="created")}
    assert set(rows) == {"status", "progress"}
    assert (rows["status"].old_value, rows["status"].new_value) == ("on_track", "at_risk")
    assert (rows["progress"].old_value, rows["progress"].new_value) == ("40", "45")
    assert all(row.changed_by == city.finance_staff for row in rows.values())
    assert all(row.note == "예산 협의 지연" for row in rows.values())
    task.refresh_from_db()
    assert task.version == 2
    assert task.updated_by == city.finance_staff


def test_a_stale_edit_is_refused_with_the_other_change(city):
    task = city.economy_task
    seen = task.version
    services.update_key_task(task, by=city.economy_head, expected_version=seen, progress=50)
    with pytest.raises(services.EditConflict) as excinfo:
        services.update_key_task(task, by=city.finance_staff, expected_version=seen, progress=10)
    conflict = excinfo.value
    assert [(c.field, c.new_value) for c in conflict.changes] == [("progress", "50")]
    task.refresh_from_db()
    assert task.progress == 50


def test_marking_done_records_the_completion_date(city):
    task = city.economy_task
    services.update_key_task(
        task, by=city.economy_head, expected_version=1, status="done", progress=100
    )
    task.refresh_from_db()
    assert task.completed_on is not None
    assert task.history.filter(field="completed_on").exists()


def test_done_without_full_progress_is_refused_and_nothing_changes(city):
    task = city.economy_task
    with pytest.raises(ValidationError):
        services.update_key_task(task, by=city.economy_head, expected_version=1, status="done")
    task.refresh_from_db()
    assert task.status == "on_track"
    assert not task.history.exclude(field="created").exists()


def test_a_note_alone_is_recorded(city):
    task = city.economy_task
    services.update_key_task(task, by=city.economy_head, expected_version=1, note="점검 완료")
    assert task.history.get(field="note").note == "점검 완료"


def test_an_update_that_changes_nothing_writes_no_history(city):
    task = city.economy_task
    services.update_key_task(task, by=city.economy_head, expected_version=1, progress=40)
    task.refresh_from_db()
    assert task.version == 1
    assert not task.history.exists()


def test_a_moved_deadline_is_recorded(city):
    task = city.economy_task
    services.update_key_task(
        task, by=city.economy_head, expected_version=1, due_date=dt.date(2027, 6, 30)
    )
    row = task.history.get(field="due_date")
    assert (row.old_value, row.new_value) == ("2026-12-31", "2027-06-30")
