"""Findings of the 2026-12-01 review: a non-path ``next`` on a plain POST saved the
change and then failed in ``redirect()`` (so the retry got a conflict), and a malformed
URL in ``next``, ``Referer`` or ``HX-Current-URL`` raised ValueError, anonymous too."""

import pytest
from django.urls import reverse

from plans.redirects import same_site_path
from tests.conftest import client_for

NOT_PATHS = ["0", "admin:index", "NaN", "\uff11\uff12\uff13", "http://[", "plans:my_tasks"]


def update(client, task, next_value, **headers):
    url = reverse("plans:task_update", args=[task.pk])
    data = {"version": task.version, "status": "on_track", "progress": 55, "next": next_value}
    return client.post(url, data, headers=headers)


@pytest.mark.parametrize("next_value", NOT_PATHS)
def test_a_plain_update_with_a_non_path_next_saves_once_and_returns_to_my_tasks(city, next_value):
    task = city.finance_task
    client = client_for(city.finance_staff)
    response = update(client, task, next_value)
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:my_tasks")
    task.refresh_from_db()
    assert (task.progress, task.version) == (55, 2)
    assert task.history.filter(kind="progress").count() == 1


@pytest.mark.parametrize("header", ["Referer", "HX-Current-URL"])
@pytest.mark.parametrize("htmx", [False, True])
def test_a_malformed_url_in_a_header_is_ignored(city, header, htmx):
    task = city.finance_task
    headers = {header: "http://["}
    if htmx:
        headers["HX-Request"] = "true"
    response = update(client_for(city.finance_staff), task, "", **headers)
    assert response.status_code == (200 if htmx else 302)
    task.refresh_from_db()
    assert task.progress == 55


@pytest.mark.parametrize("header", ["Referer", "HX-Current-URL"])
def test_anonymous_requests_with_malformed_urls_are_sent_to_sign_in(client, city, header):
    url = reverse("plans:task_update", args=[city.finance_task.pk])
    for headers in ({header: "http://["}, {header: "http://[", "HX-Request": "true"}):
        response = client.post(url, {"next": "http://["}, headers=headers)
        assert response.status_code in (200, 302)
        target = response.get("HX-Redirect") or response["Location"]
        assert target.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/tasks/mine/?sector=1", "/tasks/mine/?sector=1"),
        ("http://testserver/dashboard/", "/dashboard/"),
        ("https://evil.example/dashboard/", None),
        ("//evil.example/", None),
        ("/\\evil.example", None),
        ("http://[", None),
        ("javascript:alert(1)", None),
        ("0", None),
        ("admin:index", None),
        ("/tasks/\x00/", None),
        (None, None),
    ],
)
def test_only_a_path_of_this_site_is_a_place_to_return_to(value, expected):
    assert same_site_path(value, "testserver") == expected
