"""Every page a person can open has a benchmark figure (issue 17): bench/run.py measures
a scenario for it, or bench/scenarios/ says why not. A page added without either fails
here, by name, so a slow new page cannot go unseen."""

from django.http import HttpResponse
from django.test import override_settings
from django.urls import include, path, resolve

from bench import registry, scenarios
from busan_tracker.urls import urlpatterns as project_urlpatterns


def a_view(request):
    return HttpResponse("<p>새 페이지</p>")


class WithANewPage:
    new_app = ([path("reports/", a_view, name="reports")], "newapp")
    urlpatterns = [*project_urlpatterns, path("", include(new_app))]


class WithAnUnnamedPage:
    urlpatterns = [*project_urlpatterns, path("unnamed/", a_view)]


def test_every_page_has_a_figure_or_a_reason():
    missing = registry.unregistered()
    assert not missing, registry.explain(missing)


def test_no_entry_names_a_page_that_is_gone():
    assert registry.stale() == []


def test_the_walk_includes_the_admin_and_its_key_task_list_is_measured():
    names = {pattern.name for pattern in registry.url_patterns()}
    assert "admin:plans_keytask_changelist" in names
    assert "admin:plans_keytask_changelist" in registry.measured()
    assert {"review:task_list", "review:task_export_xlsx", "review:task_export_csv"} <= (
        registry.measured()
    )


@override_settings(ROOT_URLCONF=WithANewPage)
def test_a_page_added_without_a_figure_fails_by_name():
    missing = registry.unregistered()
    assert [pattern.name for pattern in missing] == ["newapp:reports"]
    message = registry.explain(missing)
    assert "newapp:reports  (reports/)" in message and "bench/scenarios/" in message


@override_settings(ROOT_URLCONF=WithAnUnnamedPage)
def test_an_unnamed_page_fails_too():
    (missing,) = registry.unregistered()
    assert "unnamed/  (unnamed/)  <- unnamed: name it first" in registry.explain([missing])


def test_every_fixed_path_opens_the_page_it_is_registered_for():
    for scenario in [*scenarios.scenarios(), *scenarios.exports()]:
        if isinstance(scenario.path, str):
            match = resolve(scenario.path.split("?")[0])
            assert match.view_name == scenario.url, scenario.name


def test_every_exclusion_gives_a_reason():
    assert all(len(reason) > 15 for reason in scenarios.excluded().values())
    assert all(len(reason) > 15 for reason in scenarios.excluded_namespaces().values())
