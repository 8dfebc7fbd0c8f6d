"""Deadline changes, each URL against each role: who may ask to move finance_task's
deadline, who may decide a request waiting for the bureau head, and who may withdraw
it. Refused requests change nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from plans import deadlines
from plans.models import DeadlineChange
from tests.conftest import client_for
from tests.governance.conftest import HTMX

ROLES = (
    "anonymous",
    "finance_staff",
    "other_staff",
    "economy_head",
    "welfare_head",
    "mayors_office",
)


def client_as(city, role, client):
    return client if role == "anonymous" else client_for(getattr(city, role))


def headers(role):
    # An anonymous HTMX request is answered with HX-Redirect (tests/access); a plain
    # one with the redirect to sign-in counted here.
    return {} if role == "anonymous" else HTMX


# finance_task is owned by finance_staff, in finance (under economy, headed by economy_head).
ASK = {
    "anonymous": 302,
    "finance_staff": 200,
    "other_staff": 403,
    "economy_head": 200,
    "welfare_head": 403,
    "mayors_office": 200,
}
# A request by finance_staff waits for the bureau head: economy_head or the mayor's office.
DECIDE = {
    "anonymous": 302,
    "finance_staff": 403,
    "other_staff": 403,
    "economy_head": 200,
    "welfare_head": 403,
    "mayors_office": 200,
}


# finance_staff's request is withdrawn by finance_staff or their head (economy_head);
# the mayor's office declines instead.
WITHDRAW = {
    "anonymous": 302,
    "finance_staff": 200,
    "other_staff": 403,
    "economy_head": 200,
    "welfare_head": 403,
    "mayors_office": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_asking_to_move_a_deadline(client, city, role):
    task = city.finance_task
    url = reverse("plans:task_deadline", args=[task.pk])
    data = {"version": 1, "target": "0", "new_due_date": "2026-12-20", "reason": "r"}
    response = client_as(city, role, client).post(url, data, **headers(role))
    assert response.status_code == ASK[role]
    assert DeadlineChange.objects.exists() == (ASK[role] == 200)


@pytest.mark.parametrize("role", ROLES)
def test_deciding_a_deadline_change(client, city, role):
    task = city.finance_task
    change = deadlines.request_deadline_change(
        task,
        by=city.finance_staff,
        expected_version=1,
        new_due_date=dt.date(2026, 12, 20),
        reason="r",
    )
    url = reverse("plans:deadline_decide", args=[task.pk, change.pk])
    response = client_as(city, role, client).post(url, {"decision": "decline"}, **headers(role))
    assert response.status_code == DECIDE[role]
    change.refresh_from_db()
    assert change.is_pending == (DECIDE[role] != 200)


@pytest.mark.parametrize("role", ROLES)
def test_withdrawing_a_deadline_change(client, city, role):
    task = city.finance_task
    change = deadlines.request_deadline_change(
        task,
        by=city.finance_staff,
        expected_version=1,
        new_due_date=dt.date(2026, 12, 20),
        reason="r",
    )
    url = reverse("plans:deadline_withdraw", args=[task.pk, change.pk])
    response = client_as(city, role, client).post(url, {"reason": "r"}, **headers(role))
    assert response.status_code == WITHDRAW[role]
    change.refresh_from_db()
    assert change.is_pending == (WITHDRAW[role] != 200)


def test_a_change_is_withdrawn_only_through_its_own_task(city):
    change = deadlines.request_deadline_change(
        city.finance_task,
        by=city.finance_staff,
        expected_version=1,
        new_due_date=dt.date(2026, 12, 20),
        reason="r",
    )
    url = reverse("plans:deadline_withdraw", args=[city.economy_task.pk, change.pk])
    response = client_for(city.finance_staff).post(url, {"reason": "r"}, **HTMX)
    assert response.status_code == 404
    missing = reverse("plans:deadline_withdraw", args=[city.finance_task.pk, 999999])
    assert client_for(city.finance_staff).post(missing, {"reason": "r"}).status_code == 404
    change.refresh_from_db()
    assert change.is_pending


def test_a_change_is_decided_only_through_its_own_task(client, city):
    change = deadlines.request_deadline_change(
        city.finance_task,
        by=city.finance_staff,
        expected_version=1,
        new_due_date=dt.date(2026, 12, 20),
        reason="r",
    )
    url = reverse("plans:deadline_decide", args=[city.economy_task.pk, change.pk])
    response = client_for(city.economy_head).post(url, {"decision": "approve"}, **HTMX)
    assert response.status_code == 404


def test_get_is_not_allowed(city):
    url = reverse("plans:task_deadline", args=[city.finance_task.pk])
    assert client_for(city.finance_staff).get(url).status_code == 405
    withdraw = reverse("plans:deadline_withdraw", args=[city.finance_task.pk, 1])
    assert client_for(city.finance_staff).get(withdraw).status_code == 405


def test_an_unreadable_decision_is_refused_with_a_message(city):
    change = deadlines.request_deadline_change(
        city.finance_task,
        by=city.finance_staff,
        expected_version=1,
        new_due_date=dt.date(2026, 12, 20),
        reason="r",
    )
    url = reverse("plans:deadline_decide", args=[city.finance_task.pk, change.pk])
    response = client_for(city.economy_head).post(url, {"decision": "maybe"}, **HTMX)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    change.refresh_from_db()
    assert change.is_pending
