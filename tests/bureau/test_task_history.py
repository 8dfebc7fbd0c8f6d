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
    rows = {row.kind: row for row in task.history.exclude(kind="created")}
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
    assert [(c.kind, c.new_value) for c in conflict.changes] == [("progress", "50")]
    task.refresh_from_db()
    assert task.progress == 50


def test_an_editor_holding_an_older_copy_saves_against_the_version_they_name(city):
    # A page read the task at version 2 while this copy was read at version 1: the
    # service reads the task again rather than taking the old copy's values as "before".
    task = city.economy_task
    old_copy = KeyTask.objects.get(pk=task.pk)
    services.update_key_task(task, by=city.economy_head, expected_version=1, progress=50)
    saved = services.update_key_task(
        old_copy, by=city.finance_staff, expected_version=2, progress=60
    )
    assert saved.version == 3
    entry = saved.history.get(version=3)
    assert (entry.kind, entry.old_value, entry.new_value) == ("progress", "50", "60")


def test_a_copy_changed_in_the_database_since_it_was_read_is_refused(city):
    task = city.economy_task
    same_version_elsewhere = KeyTask.objects.get(pk=task.pk)
    services.update_key_task(
        same_version_elsewhere, by=city.finance_staff, expected_version=1, status="at_risk"
    )
    with pytest.raises(services.EditConflict):
        services.update_key_task(task, by=city.economy_head, expected_version=1, progress=41)
    task.refresh_from_db()
    assert (task.status, task.progress, task.version) == ("at_risk", 40, 2)


def test_marking_done_records_the_completion_date(city):
    task = city.economy_task
    services.update_key_task(
        task, by=city.economy_head, expected_version=1, status="done", progress=100
    )
    task.refresh_from_db()
    assert task.completed_on is not None
    assert task.history.filter(kind="completed_on").exists()


def test_done_without_full_progress_is_refused_and_nothing_changes(city):
    task = city.economy_task
    with pytest.raises(ValidationError):
        services.update_key_task(task, by=city.economy_head, expected_version=1, status="done")
    task.refresh_from_db()
    assert task.status == "on_track"
    assert not task.history.exclude(kind="created").exists()


def test_a_note_alone_is_recorded(city):
    task = city.economy_task
    services.update_key_task(task, by=city.economy_head, expected_version=1, note="점검 완료")
    assert task.history.get(kind="note").note == "점검 완료"


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
    row = task.history.get(kind="due_date")
    assert (row.old_value, row.new_value) == ("2026-12-31", "2027-06-30")


def test_history_rows_of_any_task_read_in_korean(city, django_assert_max_num_queries):
    """The history lines other pages list (the dashboard's "what changed") read like the
    task page's: field names, status labels, dates and actuals in the reader's language."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import translation

    from plans import history, services
    from plans.models import StatusUpdate
    from tests.factories import IndicatorFactory, MilestoneFactory

    task = city.finance_task
    milestone = MilestoneFactory(task=task, title_ko="사업 공모")
    jobs = IndicatorFactory(sector=task.sector, task=task, code="FIN-JOB", unit_ko="개")
    task = services.update_key_task(
        task, by=city.economy_head, expected_version=task.version, status="at_risk"
    )
    task = services.record_measurement(
        jobs,
        by=city.finance_staff,
        expected_version=task.version,
        value=Decimal(189988),
        as_of=dt.date(2024, 6, 30),
    )
    services.toggle_milestone(
        milestone, by=city.finance_staff, expected_version=task.version, done=True
    )
    with translation.override("ko"), django_assert_max_num_queries(1):
        items = history.feed(
            history.with_references(
                StatusUpdate.objects.filter(task=task).exclude(kind="created").order_by("version")
            )
        )
        lines = [(item.line.label, item.line.old, item.line.new) for item in items]
    assert lines[0] == ("상태", "정상 추진", "지연 우려")
    assert lines[1] == ("“재정지원 일자리” 실적", "—", "2024년 6월 30일 (일): 18만 9,988개")
    assert lines[2][0] == "단계별 추진계획 “사업 공모”"
    assert lines[2][1] == "미완료" and lines[2][2].endswith("완료")
