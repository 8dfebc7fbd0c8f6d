"""A deadline change that waits for approval can be withdrawn, before it is decided, by
the person who asked for it or by their bureau head, saying why. The deadline stays as
it is, the request leaves the deciders' queue, the task's history says who withdrew it,
when and why, and the request stays on record as withdrawn."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from plans import deadlines, permissions
from plans.models import DeadlineChange, OnRecord
from tests.conftest import client_for, shown_history
from tests.governance.conftest import HTMX

NOV_10 = dt.date(2024, 11, 10)
QUEUE = reverse("inbox:queue")


def ask(task, by, new=NOV_10, reason="Permit late"):
    task.refresh_from_db()
    return deadlines.request_deadline_change(
        task, by=by, expected_version=task.version, new_due_date=new, reason=reason
    )


def withdraw_url(change):
    return reverse("plans:deadline_withdraw", args=[change.task_id, change.pk])


def test_the_staff_member_withdraws_their_request_and_the_deadline_stays(city, staff_task):
    change = ask(staff_task, city.finance_staff)
    assert permissions.can_withdraw_deadline_change(city.finance_staff, change)

    deadlines.withdraw_deadline_change(change, by=city.finance_staff, reason="Permit came")

    change.refresh_from_db()
    assert (change.state, change.awaiting) == ("withdrawn", "")
    assert (change.decided_by, change.decision_note) == (city.finance_staff, "Permit came")
    assert change.decided_at is not None
    staff_task.refresh_from_db()
    assert staff_task.due_date == dt.date(2024, 10, 31) and staff_task.deadline_moves == 0
    last = staff_task.history.get(version=staff_task.version)
    assert (last.kind, last.changed_by, last.note) == (
        "deadline_withdrawn",
        city.finance_staff,
        "Permit came",
    )
    assert (last.old_value, last.new_value) == ("2024-10-31", "2024-11-10")
    # Nobody decides it any more; it stays on record.
    assert not permissions.deadline_changes_to_decide(city.economy_head).exists()
    assert not permissions.can_decide_deadline_change(city.economy_head, change)
    with pytest.raises(OnRecord):
        change.delete()
    with pytest.raises(OnRecord):
        DeadlineChange.objects.all().delete()


def test_after_withdrawing_the_deadline_can_be_asked_to_move_again(city, staff_task):
    change = ask(staff_task, city.finance_staff)
    deadlines.withdraw_deadline_change(change, by=city.finance_staff, reason="Wrong date")
    again = ask(staff_task, city.finance_staff, new=dt.date(2024, 11, 20))
    assert again.is_pending
    assert DeadlineChange.objects.count() == 2


def test_their_bureau_head_may_withdraw_it_even_after_endorsing_it(city, staff_task):
    change = ask(staff_task, city.finance_staff, new=dt.date(2025, 1, 15))
    deadlines.decide_deadline_change(change, by=city.economy_head, approve=True)
    change.refresh_from_db()
    assert change.awaiting == "mayors_office"
    assert permissions.can_withdraw_deadline_change(city.economy_head, change)

    deadlines.withdraw_deadline_change(change, by=city.economy_head, reason="Budget moved")

    change.refresh_from_db()
    assert change.state == "withdrawn" and change.decided_by == city.economy_head
    assert not permissions.deadline_changes_to_decide(city.mayors_office).exists()


@pytest.mark.parametrize("role", ["other_staff", "welfare_head", "mayors_office"])
def test_nobody_else_withdraws_it(city, staff_task, role):
    change = ask(staff_task, city.finance_staff)
    person = getattr(city, role)
    assert not permissions.can_withdraw_deadline_change(person, change)
    with pytest.raises(ValidationError, match="may withdraw it"):
        deadlines.withdraw_deadline_change(change, by=person, reason="Not mine")
    change.refresh_from_db()
    assert change.is_pending


def test_a_decided_request_cannot_be_withdrawn(city, staff_task):
    change = ask(staff_task, city.finance_staff)
    deadlines.decide_deadline_change(change, by=city.economy_head, approve=False, note="No")
    change.refresh_from_db()
    assert not permissions.can_withdraw_deadline_change(city.finance_staff, change)
    with pytest.raises(ValidationError, match="already been decided"):
        deadlines.withdraw_deadline_change(change, by=city.finance_staff, reason="Too late")
    change.refresh_from_db()
    assert change.state == "declined"


def test_a_withdrawn_request_cannot_be_decided_or_withdrawn_again(city, staff_task):
    change = ask(staff_task, city.finance_staff)
    deadlines.withdraw_deadline_change(change, by=city.finance_staff, reason="Permit came")
    with pytest.raises(ValidationError, match="withdrawn by finance_staff"):
        deadlines.decide_deadline_change(change, by=city.economy_head, approve=True)
    with pytest.raises(ValidationError, match="withdrawn by finance_staff"):
        deadlines.withdraw_deadline_change(change, by=city.finance_staff, reason="Again")
    staff_task.refresh_from_db()
    assert staff_task.due_date == dt.date(2024, 10, 31)


def test_a_withdrawal_says_why(city, staff_task):
    change = ask(staff_task, city.finance_staff)
    with pytest.raises(ValidationError, match="Say why the request is withdrawn"):
        deadlines.withdraw_deadline_change(change, by=city.finance_staff, reason="   ")
    change.refresh_from_db()
    assert change.is_pending


# --- on the task page and in the queue -----------------------------------------------


def test_the_staff_member_withdraws_on_the_task_page_and_it_leaves_the_heads_queue(
    city, staff_task
):
    change = ask(staff_task, city.finance_staff)
    head = client_for(city.economy_head)
    assert f'id="queue-deadlines-{change.pk}"' in head.get(QUEUE).content.decode()

    staff = client_for(city.finance_staff)
    page = staff.get(reverse("plans:task_detail", args=[staff_task.pk])).content.decode()
    assert f'hx-post="{withdraw_url(change)}"' in page and "Withdraw this request" in page

    body = staff.post(withdraw_url(change), {"reason": "Permit came"}, **HTMX).content.decode()
    assert "Withdrawn: finance_staff" in body and "Permit came" in body
    assert "Deadline change withdrawn" in shown_history(staff, staff_task)
    assert f'hx-post="{withdraw_url(change)}"' not in body

    queue = head.get(QUEUE).content.decode()
    assert f'id="queue-deadlines-{change.pk}"' not in queue
    assert "No deadline change is waiting for you." in queue


def test_without_javascript_the_withdrawal_returns_to_the_task_page(city, staff_task):
    change = ask(staff_task, city.finance_staff)
    response = client_for(city.finance_staff).post(
        withdraw_url(change), {"reason": "Permit came"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("plans:task_detail", args=[staff_task.pk])
    assert "Withdrawn: finance_staff" in response.content.decode()


def test_the_head_sees_both_the_decision_and_the_withdrawal(city, staff_task):
    change = ask(staff_task, city.finance_staff)
    page = client_for(city.economy_head).get(reverse("plans:task_detail", args=[staff_task.pk]))
    body = page.content.decode()
    decide = reverse("plans:deadline_decide", args=[staff_task.pk, change.pk])
    assert f'hx-post="{decide}"' in body and f'hx-post="{withdraw_url(change)}"' in body


def test_the_mayors_office_sees_no_withdrawal(city, staff_task):
    change = ask(staff_task, city.finance_staff)
    page = client_for(city.mayors_office).get(reverse("plans:task_detail", args=[staff_task.pk]))
    assert withdraw_url(change) not in page.content.decode()


def test_a_withdrawal_without_a_reason_is_refused_with_a_message(city, staff_task):
    change = ask(staff_task, city.finance_staff)
    body = client_for(city.finance_staff).post(withdraw_url(change), {"reason": ""}, **HTMX)
    assert body.status_code == 200
    assert "Say why the request is withdrawn." in body.content.decode()
    change.refresh_from_db()
    assert change.is_pending


def test_a_decider_acting_on_a_withdrawn_request_is_told_so(city, staff_task):
    change = ask(staff_task, city.finance_staff)
    head = client_for(city.economy_head)
    head.get(QUEUE)  # the head's queue is open with the request in it
    deadlines.withdraw_deadline_change(change, by=city.finance_staff, reason="Permit came")

    in_queue = head.post(
        reverse("inbox:act", args=["deadlines", change.pk, "approve"]), **HTMX
    ).content.decode()
    assert "withdrawn by finance_staff; it no longer waits" in in_queue
    decide = reverse("plans:deadline_decide", args=[staff_task.pk, change.pk])
    on_page = head.post(decide, {"decision": "approve"}, **HTMX)
    assert on_page.status_code == 200
    assert "withdrawn by finance_staff; it no longer waits" in on_page.content.decode()
    staff_task.refresh_from_db()
    change.refresh_from_db()
    assert staff_task.due_date == dt.date(2024, 10, 31) and change.state == "withdrawn"


def test_withdrawing_twice_is_a_message_not_an_error(city, staff_task):
    change = ask(staff_task, city.finance_staff)
    staff = client_for(city.finance_staff)
    staff.post(withdraw_url(change), {"reason": "Permit came"}, **HTMX)
    again = staff.post(withdraw_url(change), {"reason": "Permit came"}, **HTMX)
    assert again.status_code == 200
    assert "it no longer waits" in again.content.decode()
    assert staff_task.history.filter(kind="deadline_withdrawn").count() == 1
