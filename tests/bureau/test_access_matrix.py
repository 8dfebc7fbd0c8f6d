"""Every page and partial of this feature against every role: anonymous visitors go
to sign-in, people without the right get 403 and change nothing, unknown tasks 404."""

import pytest
from django.urls import reverse

from plans import permissions
from plans.models import KeyTask, Milestone
from tests.factories import MilestoneFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def endpoints(task, milestone):
    return [
        ("get", reverse("plans:my_tasks")),
        ("get", reverse("plans:task_detail", args=[task.pk])),
        ("get", reverse("plans:task_history", args=[task.pk])),
        ("get", reverse("plans:task_update", args=[task.pk])),
        ("post", reverse("plans:task_update", args=[task.pk])),
        ("post", reverse("plans:task_edit", args=[task.pk])),
        ("post", reverse("plans:task_measurement", args=[task.pk])),
        ("post", reverse("plans:milestone_toggle", args=[task.pk, milestone.pk])),
    ]


def snapshot(task):
    task.refresh_from_db()
    return (task.version, task.progress, list(Milestone.objects.values_list("done_on")))


def test_anonymous_visitors_are_sent_to_sign_in_everywhere(client, city):
    task = city.economy_task
    milestone = MilestoneFactory(task=task)
    before = snapshot(task)
    for method, url in endpoints(task, milestone):
        response = getattr(client, method)(url, {"version": 1, "progress": 99})
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{reverse('login')}?next={url}"), url
    assert snapshot(task) == before


def test_an_htmx_request_after_the_session_ended_loads_sign_in_in_the_window(client, city):
    task = city.economy_task
    milestone = MilestoneFactory(task=task)
    page = "http://testserver/tasks/mine/?sector=1"
    before = snapshot(task)
    for method, url in endpoints(task, milestone):
        response = getattr(client, method)(
            url, {"version": 1, "progress": 99}, HTTP_HX_CURRENT_URL=page, **HTMX
        )
        assert response.status_code == 200, url
        assert response["HX-Redirect"] == f"{reverse('login')}?next=/tasks/mine/%3Fsector%3D1"
    assert snapshot(task) == before


@pytest.mark.parametrize("username", ["welfare_head", "other_staff", "mayors_office"])
def test_people_without_the_right_get_403_on_every_write_and_nothing_changes(
    client, city, username
):
    task = city.economy_task
    milestone = MilestoneFactory(task=task)
    user = getattr(city, username)
    assert not permissions.can_edit_task(user, task)
    client.force_login(user)
    before = snapshot(task)
    for method, url in endpoints(task, milestone)[3:]:
        response = getattr(client, method)(url, {"version": 1, "progress": 99}, **HTMX)
        assert response.status_code == 403, url
    assert snapshot(task) == before
    assert client.get(reverse("plans:task_detail", args=[task.pk])).status_code == 200
    assert client.get(reverse("plans:task_history", args=[task.pk])).status_code == 200


def test_unknown_tasks_and_milestones_are_404(client, city):
    client.force_login(city.economy_head)
    missing = KeyTask(pk=999999)
    milestone = Milestone(pk=999999)
    for method, url in endpoints(missing, milestone)[1:]:
        assert getattr(client, method)(url, {"version": 1}).status_code == 404, url
    task = city.economy_task
    url = reverse("plans:milestone_toggle", args=[task.pk, 999999])
    assert client.post(url, {"version": 1}).status_code == 404


def test_a_bureau_head_may_use_every_endpoint_on_a_sub_bureaus_task(client, city):
    task = city.finance_task
    milestone = MilestoneFactory(task=task)
    client.force_login(city.economy_head)
    for method, url in endpoints(task, milestone):
        response = getattr(client, method)(url, {"version": 1}, **HTMX)
        assert response.status_code == 200, url


def test_headed_subtree_ids_cover_sub_bureaus_and_are_cached(city, django_assert_num_queries):
    head = city.economy_head
    with django_assert_num_queries(1):
        assert set(permissions.headed_subtree_ids(head)) == {city.economy.pk, city.finance.pk}
    with django_assert_num_queries(0):
        permissions.headed_subtree_ids(head)
        assert permissions.headed_bureau_paths(head) == (city.economy.path,)
    assert permissions.headed_subtree_ids(city.finance_staff) == ()
    assert set(permissions.editable_tasks(head)) == {city.economy_task, city.finance_task}
    assert set(permissions.editable_tasks(city.finance_staff)) == {city.finance_task}


def test_a_head_of_two_bureaus_edits_both_subtrees_and_heads_only_those_two(city):
    """The bureaus a head heads and the bureaus under them come from one query: a
    sub-bureau headed by someone else is under them, but not theirs to head."""
    head = city.economy_head
    city.welfare.head = head
    city.welfare.save()
    city.finance.head = city.welfare_head
    city.finance.save()
    head = type(head).objects.get(pk=head.pk)  # nothing kept from before

    assert permissions.headed_bureau_paths(head) == tuple(
        sorted([city.economy.path, city.welfare.path])
    )
    assert set(permissions.headed_subtree_ids(head)) == {
        city.economy.pk,
        city.finance.pk,
        city.welfare.pk,
    }
    welfare_head = type(head).objects.get(pk=city.welfare_head.pk)
    assert permissions.headed_bureau_paths(welfare_head) == (city.finance.path,)
    assert permissions.headed_subtree_ids(welfare_head) == (city.finance.pk,)
    assert permissions.headed_subtree_ids(city.finance_staff) == ()
