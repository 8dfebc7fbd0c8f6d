"""The mayor's office sees tasks whose progress lags their schedule, whatever the bureau
reports: "at risk (computed)", at the edges of the margin, in Python and in SQL alike."""

import datetime as dt

import pytest
from django.test import override_settings

from plans.models import KeyTask

# A 100-day schedule: each day is one point of expected progress.
START = dt.date(2024, 1, 1)
DUE = START + dt.timedelta(days=100)


def flagged_in_db(task, today, margin=None):
    rows = KeyTask.objects.filter(pk=task.pk).with_warnings(today, margin)
    return rows.get().behind_schedule_flag


@pytest.mark.parametrize(
    ("day", "progress", "expected"),
    [
        (50, 35, False),  # lags by exactly the margin (15): not yet flagged
        (50, 34, True),  # one point more: flagged
        (0, 0, False),  # first day of the schedule
        (15, 0, False),  # 15 points behind = the margin
        (16, 0, True),
        (100, 85, False),  # due today, 85% done: lag 15
        (100, 84, True),
        (130, 84, True),  # after the due date the expected share stays 100%
        (130, 85, False),
        (-10, 0, False),  # not started yet by schedule
    ],
)
def test_a_task_is_flagged_only_when_it_lags_by_more_than_the_margin(
    make_task, day, progress, expected
):
    status = KeyTask.Status.NOT_STARTED if progress == 0 else KeyTask.Status.ON_TRACK
    task = make_task(start_date=START, due_date=DUE, progress=progress, status=status)
    today = START + dt.timedelta(days=day)
    assert task.is_behind_schedule(today, margin=15) is expected
    assert flagged_in_db(task, today, margin=15) is expected


def test_a_self_reported_on_track_task_is_still_flagged(make_task):
    task = make_task(start_date=START, due_date=DUE, progress=10, status="on_track")
    assert task.status == "on_track"
    assert task.is_behind_schedule(START + dt.timedelta(days=60), margin=15)


@pytest.mark.parametrize("status", ["done", "dropped"])
def test_closed_tasks_are_never_at_risk(make_task, status):
    fields = {"progress": 100, "completed_on": DUE} if status == "done" else {"progress": 5}
    task = make_task(start_date=START, due_date=DUE, status=status, **fields)
    today = DUE + dt.timedelta(days=30)
    assert not task.is_behind_schedule(today, margin=0)
    assert not flagged_in_db(task, today, margin=0)


def test_a_one_day_task_counts_its_day_as_the_whole_schedule(make_task):
    task = make_task(start_date=START, due_date=START, progress=0, status="not_started")
    assert not task.is_behind_schedule(START, margin=15)
    assert not flagged_in_db(task, START, margin=15)
    assert task.is_behind_schedule(START + dt.timedelta(days=1), margin=15)
    assert flagged_in_db(task, START + dt.timedelta(days=1), margin=15)


def test_the_margin_comes_from_settings(make_task):
    task = make_task(start_date=START, due_date=DUE, progress=30, status="on_track")
    today = START + dt.timedelta(days=50)  # lag 20
    with override_settings(RISK_MARGIN_PERCENT=25):
        assert not task.is_behind_schedule(today)
        assert not flagged_in_db(task, today)
    with override_settings(RISK_MARGIN_PERCENT=19):
        assert task.is_behind_schedule(today)
        assert flagged_in_db(task, today)


def test_expected_progress_follows_the_calendar(make_task):
    task = make_task(start_date=START, due_date=DUE, progress=0, status="not_started")
    assert task.expected_progress(START) == 0
    assert task.expected_progress(START + dt.timedelta(days=33)) == 33
    assert task.expected_progress(DUE + dt.timedelta(days=5)) == 100


def test_overdue_means_open_and_past_the_due_date(make_task):
    late = make_task(start_date=START, due_date=DUE, progress=90)
    done = make_task(start_date=START, due_date=DUE, status="done", progress=100, completed_on=DUE)
    rows = {
        task.pk: task.is_overdue_flag
        for task in KeyTask.objects.with_warnings(DUE + dt.timedelta(days=1))
    }
    assert rows[late.pk] is True
    assert rows[done.pk] is False
    rows_on_due_day = {task.pk: task.is_overdue_flag for task in KeyTask.objects.with_warnings(DUE)}
    assert rows_on_due_day[late.pk] is False
