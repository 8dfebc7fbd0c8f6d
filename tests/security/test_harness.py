"""The hostile-input test fails when a view fails: an exception or a 5xx answer is
reported with the request that caused it, and its random examples find what only a
hostile value breaks."""

from collections import defaultdict

import pytest
from django.test import Client

from tests.i18n.pages import ANONYMOUS, Pattern
from tests.security.surfaces import Surface, read_page
from tests.security.test_hostile_input import City, HostileRequest, check, drive


def bare_city(**surfaces):
    return City(walk=None, sessions={}, surfaces=surfaces, ids=["1"])


@pytest.mark.urls("tests.security.broken_urls")
def test_an_exception_fails_the_check_and_names_the_request(db):
    request = HostileRequest(ANONYMOUS, "POST", "/fragile/", [("q", "\x00")])
    with pytest.raises(AssertionError, match=r"POST '/fragile/' as anonymous .*ValueError"):
        check(Client(), bare_city(), request)


@pytest.mark.urls("tests.security.broken_urls")
def test_a_500_answer_fails_the_check(db):
    with pytest.raises(AssertionError, match="answered 500"):
        check(Client(), bare_city(), HostileRequest(ANONYMOUS, "GET", "/answers-500/"))


@pytest.mark.urls("tests.security.broken_urls")
def test_the_offered_value_passes(db):
    check(Client(), bare_city(), HostileRequest(ANONYMOUS, "GET", "/fragile/", [("q", "a")]))


@pytest.mark.urls("tests.security.broken_urls")
def test_the_random_examples_find_a_field_that_only_hostile_values_break(db):
    surface = Surface(paths={"/fragile/"})
    surface.add_fields([("q", "a")])
    with pytest.raises(AssertionError, match="fragile"):
        drive(Pattern("fragile", "fragile/"), bare_city(fragile=surface), Client(), shrink=False)


def test_forms_links_and_targets_are_read_from_a_page():
    surfaces = defaultdict(Surface)
    html = """
      <form method="post" action="/tasks/1/update/" hx-post="/tasks/1/update/"
            hx-target="#task-1"><input type="hidden" name="version" value="3">
        <select name="status"><option value="on_track">x</option></select>
        <textarea name="note"></textarea><input type="checkbox" name="done"></form>
      <a href="/tasks/mine/?sector=2&amp;sort=due">x</a>
    """
    read_page(html, "http://testserver/tasks/mine/", surfaces)
    update = surfaces["plans:task_update"]
    assert update.methods == {"POST"} and update.paths == {"/tasks/1/update/"}
    assert dict(update.fields) == {
        "version": {"3"},
        "status": {"on_track"},
        "note": {""},
        "done": {"on"},
    }
    assert update.targets == {"task-1"}
    assert dict(surfaces["plans:my_tasks"].fields) == {"sector": {"2"}, "sort": {"due"}}
