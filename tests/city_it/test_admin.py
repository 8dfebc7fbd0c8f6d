"""City IT manages the plan in Django admin: every screen opens, admin edits of a key
task are recorded and conflict-safe like any other edit, and a key task's or a
milestone's deadline is not moved around the approval rule: it is read-only once set,
and the admin says it moves on the task page."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.templatetags import admin_list
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Directive
from plans.admin_site import CityAdminSite
from plans.models import Bureau, Indicator, KeyTask
from plans.templatetags import admin_rows
from tests.factories import (
    AgendaItemFactory,
    KeyTaskFactory,
    MeasurementFactory,
    UserFactory,
)


@pytest.fixture
def it_admin(client, city):
    user = UserFactory(username="it_admin", is_staff=True, is_superuser=True)
    client.force_login(user)
    AgendaItemFactory(bureau=city.economy, session__sector=city.sectors[0])
    MeasurementFactory(indicator__sector=city.sectors[0])
    return user


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def test_every_admin_list_search_and_filter_screen_opens(client, it_admin):
    for model, model_admin in admin.site._registry.items():
        response = client.get(admin_url(model, "changelist"), {"q": "부산"})
        assert response.status_code == 200, model
        obj = model.objects.first()
        if obj is not None:
            assert client.get(admin_url(model, "change", obj.pk)).status_code == 200, model
        expected_add = model_admin.has_add_permission(response.wsgi_request)
        if expected_add and model is not Directive:
            assert client.get(admin_url(model, "add")).status_code == 200, model


def _task_form(task, **overrides):
    data = {
        "sector": task.sector_id,
        "bureau": task.bureau_id,
        "owner": task.owner_id or "",
        "code": task.code,
        "title_ko": task.title_ko,
        "title_en": task.title_en,
        "description_ko": "",
        "description_en": "",
        "pillar_ko": "",
        "pillar_en": "",
        "priority": task.priority,
        "start_date": task.start_date.isoformat(),
        "due_date": task.due_date.isoformat(),
        "status": task.status,
        "progress": task.progress,
        "completed_on": "",
        "seen_version": task.version,
    }
    for prefix in ("milestones", "indicators", "history"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data.update(overrides)
    return data


def test_an_admin_edit_is_recorded_in_the_task_history(client, it_admin, city):
    task = city.economy_task
    response = client.post(admin_url(KeyTask, "change", task.pk), _task_form(task, progress=55))
    assert response.status_code == 302, response.context["adminform"].form.errors
    change = task.history.get(kind="progress")
    assert (change.old_value, change.new_value, change.changed_by) == ("40", "55", it_admin)


def test_a_stale_admin_edit_is_refused(client, it_admin, city):
    task = city.economy_task
    form = _task_form(task, progress=70)
    KeyTask.objects.filter(pk=task.pk).update(version=task.version + 1)
    response = client.post(admin_url(KeyTask, "change", task.pk), form)
    assert response.status_code == 200
    task.refresh_from_db()
    assert task.progress == 40


def _milestone_rows(task, rows):
    data = {"milestones-TOTAL_FORMS": len(rows), "milestones-INITIAL_FORMS": 0}
    initial = 0
    for n, row in enumerate(rows):
        milestone = row.get("id")
        if milestone is not None:
            initial += 1
            row = {
                "order": milestone.order,
                "title_ko": milestone.title_ko,
                "title_en": milestone.title_en,
                "due_date": milestone.due_date.isoformat(),
                "done_on": "",
                "task": task.pk,
                **row,
                "id": milestone.pk,
            }
        data.update({f"milestones-{n}-{key}": value for key, value in row.items()})
    data["milestones-INITIAL_FORMS"] = initial
    return data


def test_city_it_cannot_move_a_key_tasks_deadline_in_the_admin(client, it_admin, city):
    task = city.economy_task
    url = admin_url(KeyTask, "change", task.pk)
    page = client.get(url).content.decode()
    assert 'name="due_date"' not in page  # shown, not editable
    # The admin speaks Korean: the deadline moves on the key task's page.
    assert "기한 변경’에서 사유와 승인을 거쳐서만 바뀝니다" in page  # noqa: RUF001
    assert reverse("plans:task_detail", args=[task.pk]) in page

    form = _task_form(task, due_date="2027-12-31", progress=45)
    response = client.post(url, form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    task.refresh_from_db()
    assert task.due_date == city.economy_task.due_date and task.deadline_moves == 0
    assert task.progress == 45  # the rest of the edit is saved
    assert not task.history.filter(kind="due_date").exists()


def test_city_it_cannot_move_a_milestones_deadline_in_the_admin(client, it_admin, city):
    from plans.models import Milestone
    from tests.factories import MilestoneFactory

    task = city.economy_task
    milestone = MilestoneFactory(task=task, order=1, due_date=dt.date(2025, 6, 30))
    url = admin_url(KeyTask, "change", task.pk)
    page = client.get(url).content.decode()
    assert 'name="milestones-0-due_date" value="2025-06-30"' in page
    assert re.search(r'<input[^>]*name="milestones-0-due_date"[^>]*disabled', page)

    rows = [{"id": milestone, "due_date": "2026-06-30", "title_en": "Renamed"}]
    form = {**_task_form(task), **_milestone_rows(task, rows)}
    response = client.post(url, form)
    assert response.status_code == 302
    milestone = Milestone.objects.get(pk=milestone.pk)
    assert milestone.due_date == dt.date(2025, 6, 30) and milestone.deadline_moves == 0
    assert milestone.title_en == "Renamed"


def test_a_new_milestone_and_a_new_key_task_get_their_first_deadline_in_the_admin(
    client, it_admin, city
):
    from plans.models import Milestone

    task = city.economy_task
    url = admin_url(KeyTask, "change", task.pk)
    rows = [{"order": 1, "title_ko": "착공", "title_en": "", "due_date": "2025-03-31"}]
    response = client.post(url, {**_task_form(task), **_milestone_rows(task, rows)})
    assert response.status_code == 302
    milestone = Milestone.objects.get(task=task)
    assert milestone.due_date == milestone.adopted_due_date == dt.date(2025, 3, 31)

    add = client.get(admin_url(KeyTask, "add")).content.decode()
    assert 'name="due_date"' in add


def test_history_cannot_be_edited_in_the_admin(client, it_admin, city):
    from plans.models import StatusUpdate

    entry = StatusUpdate.objects.create(task=city.economy_task, version=1, kind="created")
    response = client.post(admin_url(StatusUpdate, "delete", entry.pk), {"post": "yes"})
    assert response.status_code == 403
    assert StatusUpdate.objects.filter(pk=entry.pk).exists()


def _indicator_form(indicator, rows):
    data = {
        "plan": indicator.plan_id,
        "sector": indicator.sector_id,
        "task": "",
        "code": indicator.code,
        "name_ko": indicator.name_ko,
        "name_en": indicator.name_en,
        "unit_ko": indicator.unit_ko,
        "unit_en": indicator.unit_en,
        "baseline": indicator.baseline,
        "target": indicator.target,
        "target_date": indicator.target_date.isoformat(),
        "direction": indicator.direction,
        "definition_ko": "",
        "definition_en": "",
        "source_ko": "",
        "source_en": "",
        "measurements-TOTAL_FORMS": len(rows),
        "measurements-INITIAL_FORMS": len(rows),
    }
    for n, row in enumerate(rows):
        data.update({f"measurements-{n}-{key}": value for key, value in row.items()})
    return data


def _published_row(measurement, **changes):
    row = {
        "id": measurement.pk,
        "indicator": measurement.indicator_id,
        "as_of": measurement.as_of.isoformat(),
        "value": measurement.value,
        "state": measurement.state,
        "note": "",
        "public_reason": "",
    }
    row.update(changes)
    return row


def test_revising_a_published_figure_in_the_admin_needs_a_public_reason(client, it_admin):
    from plans.models import Indicator, Measurement, MeasurementRevision

    published = Measurement.objects.get()
    indicator = published.indicator
    url = admin_url(Indicator, "change", indicator.pk)
    refused = client.post(url, _indicator_form(indicator, [_published_row(published, value=1)]))
    assert refused.status_code == 200
    (measurement_rows,) = refused.context["inline_admin_formsets"]
    assert measurement_rows.formset.errors[0]["__all__"]
    published.refresh_from_db()
    assert published.value == 208959

    accepted = client.post(
        url,
        _indicator_form(
            indicator,
            [_published_row(published, value=209000, public_reason="Late payroll records")],
        ),
    )
    assert accepted.status_code == 302
    revision = MeasurementRevision.objects.get()
    assert (revision.old_value, revision.new_value, revision.reason) == (
        208959,
        209000,
        "Late payroll records",
    )


def test_a_published_figure_cannot_be_deleted_in_the_admin(client, it_admin):
    from plans.models import Indicator, Measurement

    published = Measurement.objects.get()
    url = admin_url(Indicator, "change", published.indicator_id)
    form = _indicator_form(published.indicator, [_published_row(published, DELETE="on")])
    assert client.post(url, form).status_code == 200
    assert Measurement.objects.filter(pk=published.pk).exists()


def test_the_key_task_list_filters_by_a_headquarters_and_the_bureaus_under_it(
    client, it_admin, city
):
    url = admin_url(KeyTask, "changelist")
    economy = client.get(url, {"headquarters": city.economy.pk})
    shown = set(economy.context["cl"].result_list)
    assert shown == set(KeyTask.objects.filter(bureau__path__startswith=city.economy.path))
    assert city.finance_task in shown  # finance sits under the economy office
    assert not any(task.bureau == city.welfare for task in shown)
    # The filter offers the top of the tree only; a value that is not one filters nothing.
    assert client.get(url, {"headquarters": "x'"}).status_code in (200, 302)


def test_the_key_task_list_shows_what_djangos_own_rows_show(client, it_admin, city):
    """The list writes its rows itself, for speed (plans.templatetags.admin_rows): to the
    character what Django writes, with a task without an owner, a title with markup in
    it, a hidden and a public task, and the link to each task keeping the list's filters."""
    KeyTaskFactory(sector=city.sectors[1], bureau=city.welfare, title_ko="<b>돌봄</b> & 복지")
    KeyTaskFactory(
        sector=city.sectors[2], bureau=city.finance, owner=city.finance_staff, is_public=True
    )
    url = admin_url(KeyTask, "changelist")
    for query in ({}, {"status": KeyTask.Status.ON_TRACK, "o": "-3.8"}, {"q": "돌봄"}):
        response = client.get(url, query)
        cl = response.context["cl"]
        djangos = ["".join(row) for row in admin_list.results(cl)]
        assert djangos, query
        assert ["".join(row) for row in admin_rows.rows(cl)] == djangos, query
        page = response.content.decode()
        assert all(f"<tr>{row}</tr>" in page for row in djangos), query


def test_the_key_task_list_takes_as_many_queries_for_a_page_of_tasks_as_for_a_few(
    client, it_admin, city
):
    url = admin_url(KeyTask, "changelist")

    def queries():
        client.get(url)  # the filters' lists: read again once after a bureau is added
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return [q["sql"] for q in ctx.captured_queries]

    few = queries()
    for n in range(50):  # each in its own bureau, with its own owner
        KeyTaskFactory(sector=city.sectors[n % 5], owner=UserFactory())
    assert len(queries()) == len(few) == 5, "\n".join(few)  # session, person, profile, count, rows


def test_the_admin_sidebar_on_the_key_task_list_follows_a_persons_permissions_at_once(client, city):
    clerk = UserFactory(username="clerk", is_staff=True)
    for codename in ("view_keytask", "view_indicator"):
        clerk.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(clerk)
    url = admin_url(KeyTask, "changelist")
    add_indicator = f'href="{admin_url(Indicator, "add")}"'

    sidebar = _sidebar(client.get(url))
    assert '<tr class="model-keytask current-model">' in sidebar
    assert admin_url(Indicator, "changelist") in sidebar
    assert add_indicator not in sidebar
    assert admin_url(Bureau, "changelist") not in sidebar

    clerk.user_permissions.add(Permission.objects.get(codename="add_indicator"))
    assert add_indicator in _sidebar(client.get(url))
    # Another list marks its own row, as Django's sidebar does.
    other = _sidebar(client.get(admin_url(Indicator, "changelist")))
    assert '<tr class="model-indicator current-model">' in other
    assert '<tr class="model-keytask">' in other


def test_the_admin_works_out_a_list_of_apps_once_for_everyone_who_may_do_the_same(city):
    """The site's list of apps and models (the sidebar, the index) is kept under what a
    person may do with each model: two clerks with the same permissions share one, and
    a permission granted gives its holder another list at once, Django's own."""

    def clerk(username, *codenames):
        person = UserFactory(username=username, is_staff=True)
        for codename in codenames:
            person.user_permissions.add(Permission.objects.get(codename=codename))
        request = RequestFactory().get("/admin/")
        request.user = type(person).objects.get(pk=person.pk)  # no permissions read yet
        return request

    site = admin.site
    assert isinstance(site, CityAdminSite)
    first, second = clerk("clerk1", "view_keytask"), clerk("clerk2", "view_keytask")
    kept = site.get_app_list(first)
    assert site.get_app_list(second) is kept
    assert kept == admin.AdminSite.get_app_list(site, second)
    assert [model["object_name"] for app in kept for model in app["models"]] == ["KeyTask"]

    more = clerk("clerk3", "view_keytask", "add_indicator")
    theirs = site.get_app_list(more)
    assert theirs is not kept
    assert theirs == admin.AdminSite.get_app_list(site, more)
    indicators = next(m for app in theirs for m in app["models"] if m["model"] is Indicator)
    assert indicators["add_url"] == admin_url(Indicator, "add")
    assert site.get_app_list(more, "plans") == admin.AdminSite.get_app_list(site, more, "plans")


def test_the_key_task_lists_filters_show_a_renamed_sector_and_headquarters_at_once(
    client, it_admin, city
):
    url = admin_url(KeyTask, "changelist")
    assert city.sectors[0].name_ko in _filters(client.get(url))

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(url)
        return _filters(page), [q["sql"] for q in ctx.captured_queries]

    # Kept: opening the list again reads no sector and no bureau for its filters.
    _, read = queries()
    assert not [sql for sql in read if 'FROM "plans_sector"' in sql]
    assert not [sql for sql in read if 'FROM "plans_bureau"' in sql]

    city.sectors[0].name_ko = "미래 신산업"
    city.sectors[0].save()
    city.welfare.name_ko = "복지건강국"
    city.welfare.save()
    filters, _ = queries()
    assert f"{city.sectors[0].number}. 미래 신산업" in filters
    assert "복지건강국" in filters


def test_the_key_task_lists_filters_follow_the_chosen_filter_the_language_and_the_counts(
    client, it_admin, city
):
    url = admin_url(KeyTask, "changelist")
    plain = _filters(client.get(url))
    assert "Clear all filters" not in plain and "필터 모두 지우기" not in plain
    chosen = _filters(client.get(url, {"status": KeyTask.Status.DELAYED}))
    delayed = f'<li class="selected">\n    <a href="?status={KeyTask.Status.DELAYED}"'
    assert delayed in chosen
    assert delayed not in _filters(client.get(url, {"o": "2", "p": "1"}))
    # The counts follow the tasks: never kept.
    sector = city.sectors[1]
    with_counts = {"_facets": "1"}
    before = _count(_filters(client.get(url, with_counts)), sector)
    KeyTaskFactory(sector=sector, bureau=city.welfare)
    assert _count(_filters(client.get(url, with_counts)), sector) == before + 1
    # Another language, other filters.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "By status" in _filters(client.get(url))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    assert "By status" not in _filters(client.get(url))


def _count(filters, sector):
    found = re.search(rf">{re.escape(str(sector))} \((\d+)\)</a>", filters)
    assert found, filters
    return int(found.group(1))


def _filters(response):
    page = response.content.decode()
    start = page.index('<nav id="changelist-filter"')
    return page[start : page.index("</nav>", start)]


def _sidebar(response):
    page = response.content.decode()
    start = page.index('<nav class="sticky" id="nav-sidebar"')
    return page[start : page.index("</nav>", start)]
