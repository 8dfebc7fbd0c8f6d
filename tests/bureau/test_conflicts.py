"""Two people editing one task never silently overwrite each other."""

from django.test import Client
from django.urls import reverse

from plans.models import KeyTask
from tests.bureau.conftest import post_data

HTMX = {"HTTP_HX_REQUEST": "true"}


def two_sessions(city):
    """The economy head and the finance staff member who owns finance_task: both may
    edit it, each in their own session."""
    head, other = Client(), Client()
    head.force_login(city.economy_head)
    other.force_login(city.finance_staff)
    return head, other


def test_the_second_editor_sees_the_first_change_and_keeps_their_input(city):
    task = city.finance_task  # finance_staff owns it; economy_head heads the bureau above
    head, staff = two_sessions(city)
    url = reverse("plans:task_update", args=[task.pk])
    seen = post_data(task)  # both loaded the page at version 1

    first = staff.post(url, {**seen, "progress": 50, "note": "Contract signed"}, **HTMX)
    assert first.status_code == 200
    second = head.post(url, {**seen, "status": "at_risk", "progress": 45, "note": "mine"}, **HTMX)

    assert second.status_code == 200
    body = second.content.decode()
    assert "Someone else changed this task after you opened it" in body
    assert "finance_staff" in body  # who
    assert "40% → 50%" in body  # old → new
    assert "Contract signed" in body
    assert 'value="45"' in body and 'value="mine"' in body  # typed values kept
    assert 'name="version" value="2"' in body  # ready to apply on top of the newer version
    assert "Apply my change again" in body
    task.refresh_from_db()
    assert (task.progress, task.status, task.version) == (50, "on_track", 2)


def test_applying_my_change_again_saves_it_on_top_of_the_other_change(city):
    task = city.finance_task
    head, staff = two_sessions(city)
    url = reverse("plans:task_update", args=[task.pk])
    seen = post_data(task)
    staff.post(url, {**seen, "progress": 50}, **HTMX)
    head.post(url, {**seen, "progress": 45, "note": "mine"}, **HTMX)

    again = head.post(url, {**seen, "version": 2, "progress": 45, "note": "mine"}, **HTMX)

    assert "flash-success" in again.content.decode()
    task.refresh_from_db()
    assert (task.progress, task.version) == (45, 3)
    assert list(task.history.order_by("version").values_list("version", "new_value")) == [
        (2, "50"),
        (3, "45"),
    ]


def test_without_javascript_a_conflict_shows_the_form_page_with_the_other_change(city):
    task = city.finance_task
    head, staff = two_sessions(city)
    url = reverse("plans:task_update", args=[task.pk])
    seen = post_data(task)
    staff.post(url, {**seen, "progress": 50})
    response = head.post(url, {**seen, "progress": 45})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" in body and "Someone else changed this task" in body
    assert KeyTask.objects.get(pk=task.pk).progress == 50


def test_the_task_page_form_reports_a_conflict_too(city):
    task = city.finance_task
    head, staff = two_sessions(city)
    seen = {
        "version": 1,
        "status": "on_track",
        "progress": 40,
        "priority": 2,
        "start_date": "2024-01-01",
        "note": "",
    }
    url = reverse("plans:task_edit", args=[task.pk])
    staff.post(url, {**seen, "start_date": "2024-03-01"}, **HTMX)
    response = head.post(url, {**seen, "priority": 1, "note": "raise it"}, **HTMX)
    body = response.content.decode()
    assert "Someone else changed this task" in body
    assert "Mon 1 Jan 2024 → Fri 1 Mar 2024" in body
    assert "raise it" in body
    task.refresh_from_db()
    assert (task.priority, task.start_date.isoformat()) == (2, "2024-03-01")
