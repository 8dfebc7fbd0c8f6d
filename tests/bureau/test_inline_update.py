"""A bureau head keeps a task current from the My tasks row, with or without JavaScript."""

from django.urls import reverse

from plans.models import KeyTask, StatusUpdate
from tests.bureau.conftest import post_data

HTMX = {"HTTP_HX_REQUEST": "true"}


def update_url(task):
    return reverse("plans:task_update", args=[task.pk])


def test_bureau_head_updates_status_inline_and_gets_the_row_back(client, city):
    task = city.economy_task
    client.force_login(city.economy_head)
    response = client.post(
        update_url(task), post_data(task, status="at_risk", progress=55, note="Budget late"), **HTMX
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<tr id="task-{task.pk}"')
    assert "flash-success" in body
    assert "<html" not in body
    assert "status-at_risk" in body and ">55%<" in body and "economy_head" in body
    task.refresh_from_db()
    assert (task.status, task.progress, task.version) == ("at_risk", 55, 2)
    assert task.updated_by == city.economy_head
    changes = {u.kind: (u.old_value, u.new_value, u.note) for u in task.history.all()}
    assert changes["status"] == ("on_track", "at_risk", "Budget late")
    assert changes["progress"] == ("40", "55", "Budget late")


def test_without_javascript_the_update_redirects_back_to_the_filtered_list(client, city):
    task = city.economy_task
    client.force_login(city.economy_head)
    next_url = reverse("plans:my_tasks") + "?status=on_track"
    response = client.post(update_url(task), post_data(task, progress=60, next=next_url))
    assert response.status_code == 302
    assert response["Location"] == next_url
    task.refresh_from_db()
    assert task.progress == 60


def test_an_outside_next_url_is_ignored(client, city):
    task = city.economy_task
    client.force_login(city.economy_head)
    response = client.post(update_url(task), post_data(task, next="https://evil.example/"))
    assert response["Location"] == reverse("plans:my_tasks")


def test_an_invalid_progress_is_refused_inline_with_the_typed_values_kept(client, city):
    task = city.economy_task
    client.force_login(city.economy_head)
    response = client.post(
        update_url(task), post_data(task, progress=150, note="typed note"), **HTMX
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'aria-invalid="true"' in body
    assert 'value="150"' in body
    assert 'value="typed note"' in body
    assert '<div class="quick-update">' in body
    task.refresh_from_db()
    assert (task.progress, task.version) == (40, 1)


def test_without_javascript_an_invalid_value_re_renders_the_form_page(client, city):
    task = city.economy_task
    client.force_login(city.economy_head)
    response = client.post(update_url(task), post_data(task, progress="lots"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" in body
    assert 'value="lots"' in body
    assert 'aria-invalid="true"' in body


def test_progress_while_not_started_is_refused_with_a_message(client, city):
    task = city.economy_task
    client.force_login(city.economy_head)
    response = client.post(
        update_url(task), post_data(task, status="not_started", progress=100), **HTMX
    )
    assert "A task that has not started cannot show progress" in response.content.decode()
    task.refresh_from_db()
    assert task.status == "on_track"


def test_done_below_full_progress_is_refused_with_a_message(client, city):
    task = city.economy_task
    client.force_login(city.economy_head)
    response = client.post(update_url(task), post_data(task, status="done", progress=80), **HTMX)
    assert "Only a task at 100% progress can be marked done" in response.content.decode()
    task.refresh_from_db()
    assert task.status == "on_track"


def test_done_at_full_progress_gets_a_completion_date(client, city):
    task = city.economy_task
    client.force_login(city.economy_head)
    client.post(update_url(task), post_data(task, status="done", progress=100), **HTMX)
    task.refresh_from_db()
    assert task.status == "done"
    assert task.completed_on is not None


def test_a_new_actual_is_recorded_with_the_status_as_one_change(client, kpi_task, city):
    client.force_login(city.economy_head)
    client.post(
        update_url(kpi_task),
        post_data(kpi_task, progress=70, indicator=kpi_task.indicator.pk, actual="1800"),
        **HTMX,
    )
    kpi_task.refresh_from_db()
    assert kpi_task.version == 2
    kinds = set(kpi_task.history.filter(version=2).values_list("kind", "indicator__code"))
    assert kinds == {("progress", None), ("actual", "KPI-JOBS")}
    assert kpi_task.indicator.measurements.latest().value == 1800


def test_staff_cannot_update_another_bureaus_task(client, city):
    task = city.welfare_task
    client.force_login(city.finance_staff)
    response = client.post(update_url(task), post_data(task, progress=99), **HTMX)
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.progress == 40
    assert not StatusUpdate.objects.filter(task=task).exists()


def test_staff_update_the_task_assigned_to_them(client, city):
    task = city.finance_task
    client.force_login(city.finance_staff)
    response = client.post(update_url(task), post_data(task, progress=45), **HTMX)
    assert response.status_code == 200
    task.refresh_from_db()
    assert task.progress == 45


def test_an_unknown_task_is_a_404(client, city):
    client.force_login(city.economy_head)
    response = client.post(reverse("plans:task_update", args=[999999]), {"version": 1})
    assert response.status_code == 404


def test_anonymous_updates_are_sent_to_sign_in(client, city):
    task = city.economy_task
    response = client.post(update_url(task), post_data(task, progress=99))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert KeyTask.objects.get(pk=task.pk).progress == 40


def test_update_opens_the_form_in_the_row_and_cancel_closes_it(client, city):
    task = city.economy_task
    client.force_login(city.economy_head)
    opened = client.get(update_url(task), {"next": "/tasks/mine/?sector=1"}, **HTMX)
    body = opened.content.decode()
    assert body.lstrip().startswith(f'<tr id="task-{task.pk}"')
    assert f'id="task-{task.pk}-status"' in body
    assert 'name="version" value="1"' in body
    assert 'name="next" value="/tasks/mine/?sector=1"' in body
    closed = client.get(update_url(task), {"close": "1"}, **HTMX).content.decode()
    assert "<form" not in closed


def test_without_javascript_update_opens_the_form_on_its_own_page(client, city):
    client.force_login(city.economy_head)
    body = client.get(update_url(city.economy_task)).content.decode()
    assert "<html" in body and f'id="task-{city.economy_task.pk}-progress"' in body


def test_the_list_carries_no_forms_until_one_is_opened(client, city):
    client.force_login(city.economy_head)
    body = client.get(reverse("plans:my_tasks")).content.decode()
    assert 'name="progress"' not in body
    assert f'hx-get="{update_url(city.economy_task)}"' in body


def test_the_form_returns_to_the_page_it_was_opened_from(client, city):
    task = city.economy_task
    client.force_login(city.economy_head)
    htmx = client.get(
        update_url(task), HTTP_HX_CURRENT_URL="http://testserver/tasks/mine/?sector=1", **HTMX
    )
    assert 'name="next" value="/tasks/mine/?sector=1"' in htmx.content.decode()
    plain = client.get(update_url(task), HTTP_REFERER="http://testserver/tasks/mine/?page=2")
    assert 'name="next" value="/tasks/mine/?page=2"' in plain.content.decode()
    elsewhere = client.get(update_url(task), HTTP_REFERER="https://evil.example/tasks/mine/")
    assert 'name="next" value="/tasks/mine/"' in elsewhere.content.decode()


def test_opening_another_bureaus_task_is_forbidden(client, city):
    client.force_login(city.finance_staff)
    assert client.get(update_url(city.welfare_task), **HTMX).status_code == 403


def test_other_methods_are_not_allowed(client, city):
    client.force_login(city.economy_head)
    assert client.put(update_url(city.economy_task)).status_code == 405


def test_csrf_is_enforced_and_the_htmx_header_satisfies_it(city):
    from django.test import Client

    task = city.economy_task
    client = Client(enforce_csrf_checks=True)
    client.force_login(city.economy_head)
    page = client.get(reverse("plans:my_tasks"))
    token = page.cookies["csrftoken"].value
    refused = client.post(update_url(task), post_data(task), **HTMX)
    assert refused.status_code == 403
    accepted = client.post(
        update_url(task), post_data(task, progress=41), HTTP_X_CSRFTOKEN=token, **HTMX
    )
    assert accepted.status_code == 200
    task.refresh_from_db()
    assert task.progress == 41


def test_saving_a_row_reads_no_indicators_for_a_task_without_any(
    client, city, django_assert_num_queries
):
    task = city.economy_task
    client.force_login(city.economy_head)
    # session, user, profile (language), the task with its bureau (which they head, so
    # their other bureaus need not be read); then the version-checked UPDATE and the
    # history row inside a transaction (a savepoint here, as the test runs in one)
    with django_assert_num_queries(8):
        response = client.post(update_url(task), post_data(task, progress=45), **HTMX)
    assert "flash-success" in response.content.decode()


def test_a_new_actual_shows_in_the_saved_row(client, kpi_task, city, django_assert_max_num_queries):
    client.force_login(city.economy_head)
    data = post_data(kpi_task, indicator=kpi_task.indicator.pk, actual="1800")
    # As above, plus the indicators (before the save and again after it, for the row)
    # and the measurement service's reads and writes, with the figure's checks (its
    # plan's year and the indicator's other figures, for the pace).
    with django_assert_max_num_queries(20):
        body = client.post(update_url(kpi_task), data, **HTMX).content.decode()
    assert "flash-success" in body
    assert "1,800" in body and "1,500" not in body
