"""Deadlines keep their adopted date; a move carries a reason and, beyond what the
person asking may decide, waits for the bureau head and then the mayor's office. Until
approved, the old deadline stands for overdue, reminders and escalation."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans import deadlines, permissions
from plans.models import DeadlineChange, KeyTask, Milestone, OnRecord
from tests.conftest import shown_history
from tests.factories import KeyTaskFactory
from tests.governance.conftest import HTMX

NOV_10 = dt.date(2024, 11, 10)


def ask(task, by, new, reason="Contractor delayed", milestone=None):
    task.refresh_from_db()
    return deadlines.request_deadline_change(
        task,
        by=by,
        expected_version=task.version,
        new_due_date=new,
        reason=reason,
        milestone=milestone,
    )


def kinds(task):
    return list(task.history.order_by("version", "id").values_list("kind", flat=True))


def test_a_new_task_adopts_its_first_due_date(city):
    task = KeyTaskFactory(sector=city.sectors[0], bureau=city.finance, due_date=dt.date(2024, 5, 1))
    assert task.baseline_due_date == dt.date(2024, 5, 1)
    assert task.milestones.count() == 0 and not task.has_slipped


def test_a_staff_members_move_waits_for_the_head_and_the_old_deadline_stands(city, staff_task):
    change = ask(staff_task, city.finance_staff, NOV_10)
    assert change.is_pending and change.awaiting == "bureau_head"
    staff_task.refresh_from_db()
    assert staff_task.due_date == dt.date(2024, 10, 31)
    # One rule: overdue reads the deadline in force.
    assert KeyTask.objects.overdue(dt.date(2024, 11, 5)).filter(pk=staff_task.pk).exists()
    assert staff_task.is_overdue(dt.date(2024, 11, 5))
    assert kinds(staff_task)[-1] == "deadline_request"

    deadlines.decide_deadline_change(change, by=city.economy_head, approve=True, note="Fine")
    staff_task.refresh_from_db()
    assert staff_task.due_date == NOV_10
    assert staff_task.baseline_due_date == dt.date(2024, 10, 31)
    assert (staff_task.deadline_moves, staff_task.slip_days, staff_task.has_slipped) == (
        1,
        10,
        True,
    )
    assert not KeyTask.objects.overdue(dt.date(2024, 11, 5)).filter(pk=staff_task.pk).exists()
    change.refresh_from_db()
    assert change.state == "approved" and change.decided_by == city.economy_head
    assert kinds(staff_task)[-2:] == ["deadline_request", "deadline_approved"]


def test_the_head_moves_a_deadline_a_little_at_once(city, staff_task):
    change = ask(staff_task, city.economy_head, NOV_10)
    assert change.state == "approved" and change.needs == ""
    staff_task.refresh_from_db()
    assert staff_task.due_date == NOV_10 and staff_task.deadline_moves == 1
    # The request and the decision are both in the history, in one version.
    last = staff_task.history.filter(version=staff_task.version)
    assert sorted(last.values_list("kind", flat=True)) == ["deadline_approved", "deadline_request"]
    assert set(last.values_list("note", flat=True)) == {"Contractor delayed"}


@override_settings(DEADLINE_CHANGE_APPROVAL_DAYS=30)
def test_the_heads_larger_move_waits_for_the_mayors_office(city, staff_task):
    change = ask(staff_task, city.economy_head, dt.date(2024, 12, 15))
    assert (change.needs, change.awaiting) == ("mayors_office", "mayors_office")
    assert not permissions.can_decide_deadline_change(city.economy_head, change)
    assert permissions.can_decide_deadline_change(city.mayors_office, change)
    deadlines.decide_deadline_change(change, by=city.mayors_office, approve=True)
    staff_task.refresh_from_db()
    assert staff_task.due_date == dt.date(2024, 12, 15)


@override_settings(DEADLINE_CHANGE_APPROVAL_DAYS=5)
def test_the_threshold_is_a_setting(city, staff_task):
    change = ask(staff_task, city.economy_head, NOV_10)
    assert change.awaiting == "mayors_office"


def test_a_staff_move_past_the_plans_year_needs_the_head_then_the_mayors_office(city, staff_task):
    change = ask(staff_task, city.finance_staff, dt.date(2025, 1, 15))
    assert (change.needs, change.awaiting) == ("mayors_office", "bureau_head")
    assert not permissions.can_decide_deadline_change(city.finance_staff, change)
    assert not permissions.can_decide_deadline_change(city.welfare_head, change)
    deadlines.decide_deadline_change(change, by=city.economy_head, approve=True, note="Agreed")
    change.refresh_from_db()
    assert change.is_pending and change.awaiting == "mayors_office"
    assert change.endorsed_by == city.economy_head
    staff_task.refresh_from_db()
    assert staff_task.due_date == dt.date(2024, 10, 31)
    assert not permissions.can_decide_deadline_change(city.economy_head, change)
    deadlines.decide_deadline_change(change, by=city.mayors_office, approve=True)
    staff_task.refresh_from_db()
    assert staff_task.due_date == dt.date(2025, 1, 15)
    assert kinds(staff_task)[-3:] == ["deadline_request", "deadline_endorsed", "deadline_approved"]


def test_a_declined_move_leaves_the_deadline_and_stays_on_record(city, staff_task):
    change = ask(staff_task, city.finance_staff, NOV_10)
    deadlines.decide_deadline_change(change, by=city.economy_head, approve=False, note="No")
    staff_task.refresh_from_db()
    assert staff_task.due_date == dt.date(2024, 10, 31) and staff_task.deadline_moves == 0
    change.refresh_from_db()
    assert change.state == "declined" and change.decision_note == "No"
    assert kinds(staff_task)[-1] == "deadline_declined"
    with pytest.raises(OnRecord):
        change.delete()
    with pytest.raises(OnRecord):
        DeadlineChange.objects.all().delete()
    with pytest.raises(ValidationError):
        deadlines.decide_deadline_change(change, by=city.economy_head, approve=True)


def test_a_task_written_in_bulk_adopts_its_date_at_its_first_move(city, staff_task):
    KeyTask.objects.filter(pk=staff_task.pk).update(baseline_due_date=None)
    ask(staff_task, city.economy_head, NOV_10)
    staff_task.refresh_from_db()
    assert staff_task.baseline_due_date == dt.date(2024, 10, 31) and staff_task.has_slipped


def test_a_milestone_keeps_its_adopted_date_too(city, staff_task):
    milestone = staff_task.milestones.get()
    ask(staff_task, city.economy_head, dt.date(2024, 7, 15), milestone=milestone)
    milestone = Milestone.objects.get(pk=milestone.pk)
    assert milestone.due_date == dt.date(2024, 7, 15)
    assert milestone.adopted_due_date == dt.date(2024, 6, 30) and milestone.has_slipped
    staff_task.refresh_from_db()
    assert staff_task.due_date == dt.date(2024, 10, 31)


@pytest.mark.parametrize(
    ("new", "reason", "message"),
    [
        (NOV_10, "  ", "Say why the deadline moves."),
        (dt.date(2024, 10, 31), "x", "That is already the due date."),
        (dt.date(2023, 12, 1), "x", "The due date cannot be before the start date."),
    ],
)
def test_what_cannot_be_is_refused_with_a_reason(city, staff_task, new, reason, message):
    with pytest.raises(ValidationError) as refused:
        ask(staff_task, city.finance_staff, new, reason=reason)
    assert message in str(refused.value)
    assert not DeadlineChange.objects.exists()


def test_a_second_request_waits_for_the_first(city, staff_task):
    ask(staff_task, city.finance_staff, NOV_10)
    with pytest.raises(ValidationError, match="already waiting"):
        ask(staff_task, city.finance_staff, dt.date(2024, 11, 20))


# --- the task page -------------------------------------------------------------------


def test_the_staff_member_asks_on_the_task_page_and_the_head_approves_there(
    client, city, staff_task
):
    client.force_login(city.finance_staff)
    url = reverse("plans:task_deadline", args=[staff_task.pk])
    data = {"version": 1, "target": "0", "new_due_date": "2024-11-10", "reason": "Permit late"}
    body = client.post(url, data, **HTMX).content.decode()
    assert "Awaiting approval: The bureau head" in body and "Permit late" in body
    assert "Approve" not in body  # not the staff member's to decide
    change = DeadlineChange.objects.get()
    decide = reverse("plans:deadline_decide", args=[staff_task.pk, change.pk])
    assert client.post(decide, {"decision": "approve"}, **HTMX).status_code == 403

    client.force_login(city.economy_head)
    page = client.get(reverse("plans:task_detail", args=[staff_task.pk])).content.decode()
    assert f'hx-post="{decide}"' in page
    body = client.post(decide, {"decision": "approve", "note": "OK"}, **HTMX).content.decode()
    assert "slipped from Thu 31 Oct 2024 (moved 1 time)" in body
    assert "Deadline change approved" in shown_history(client, staff_task)


def test_a_refused_request_keeps_what_was_typed(client, city, staff_task):
    client.force_login(city.finance_staff)
    url = reverse("plans:task_deadline", args=[staff_task.pk])
    data = {"version": 1, "target": "0", "new_due_date": "2024-11-10", "reason": ""}
    body = client.post(url, data, **HTMX).content.decode()
    assert 'value="2024-11-10"' in body and "This field is required." in body


def test_a_stale_version_is_a_conflict_not_a_lost_request(client, city, staff_task):
    client.force_login(city.finance_staff)
    url = reverse("plans:task_deadline", args=[staff_task.pk])
    data = {"version": 0 + 1, "target": "0", "new_due_date": "2024-11-10", "reason": "r"}
    client.post(url, data, **HTMX)
    body = client.post(url, {**data, "new_due_date": "2024-11-12"}, **HTMX).content.decode()
    assert "Someone else changed this task" in body
    assert DeadlineChange.objects.count() == 1


def test_the_task_page_reads_deadline_changes_in_one_query(client, city, staff_task):
    client.force_login(city.economy_head)
    url = reverse("plans:task_detail", args=[staff_task.pk])
    ask(staff_task, city.finance_staff, NOV_10)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    change = DeadlineChange.objects.get()
    deadlines.decide_deadline_change(change, by=city.economy_head, approve=False)
    for day in (12, 14, 16):
        ask(staff_task, city.finance_staff, dt.date(2024, 11, day))
        deadlines.decide_deadline_change(
            DeadlineChange.objects.pending().get(), by=city.economy_head, approve=False
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one)
