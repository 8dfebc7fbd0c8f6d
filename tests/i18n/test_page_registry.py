"""The URL walker picks up a new page by itself and refuses to skip it silently."""

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import include, path

from busan_tracker.urls import urlpatterns as project_urlpatterns
from tests.i18n import pages


def a_view(request):
    return HttpResponse("<p>새 페이지</p>")


class WithANewPage:
    """The project's URLs plus a page another branch just added."""

    new_app = ([path("reports/", a_view, name="reports")], "newapp")
    urlpatterns = [*project_urlpatterns, path("", include(new_app))]


class WithAnUnnamedPage:
    urlpatterns = [*project_urlpatterns, path("unnamed/", a_view)]


def test_the_walker_lists_every_pattern_of_the_project():
    names = {pattern.name for pattern in pages.url_patterns()}
    assert {"home", "login", "plans:task_detail"} <= names
    assert not any(name.startswith("admin:") for name in names)


@override_settings(ROOT_URLCONF=WithANewPage)
def test_a_page_added_without_registering_it_fails(walk_city):
    assert "newapp:reports" in {p.name for p in pages.url_patterns()}
    with pytest.raises(pages.Unregistered, match="newapp:reports"):
        pages.pages_to_check(walk_city)


@override_settings(ROOT_URLCONF=WithAnUnnamedPage)
def test_a_page_without_a_name_fails(walk_city):
    with pytest.raises(pages.Unregistered, match="'unnamed/' has no name"):
        pages.pages_to_check(walk_city)


def test_registered_pages_come_with_their_url_and_roles(walk_city):
    checked = {(p.name, p.role): p.url for p in pages.pages_to_check(walk_city)}
    assert checked[("plans:task_detail", "mayors_office")] == f"/tasks/{walk_city.finance_task.pk}/"
    assert ("home", "anonymous") in checked
    assert not any(name in ("logout", "plans:set_language") for name, _ in checked)
