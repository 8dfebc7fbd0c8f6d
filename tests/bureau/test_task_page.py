"""The task page: every field, milestones ticked off in place, actuals over time, the
history newest first, and the edit form for those who may edit."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from discussion.models import Comment, Mention
from plans import services
from plans.models import DeadlineChange, KeyTask, StatusUpdate
from tests.conftest import shown_history
from tests.factories import IndicatorFactory, KeyTaskFactory, MeasurementFactory, MilestoneFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def page_url(task):
    return reverse("plans:task_detail", args=[task.pk])


def edit_data(task, **values):
    data = {
        "version": task.version,
        "status": task.status,
        "progress": task.progress,
        "priority": task.priority,
        "start_date": task.start_date.isoformat(),
        "note": "",
    }
    data.update(values)
    return data


def test_the_page_shows_fields_milestones_actuals_and_history_newest_first(client, city, kpi_task):
    services.update_key_task(
        kpi_task, by=city.finance_staff, expected_version=1, progress=50, note="first"
    )
    services.update_key_task(
        kpi_task, by=city.economy_head, expected_version=2, status="at_risk", note="second"
    )
    client.force_login(city.economy_head)
    body = client.get(page_url(kpi_task)).content.decode()
    for text in ("1-01", "Economic Policy Office", "Budget secured", "Work starts", "Jobs"):
        assert text in body
    assert body.index("2024-06-30") < body.index("2024-09-30")  # actuals oldest first
    assert f'action="/tasks/{kpi_task.pk}/edit/"' in body
    # The history comes when the reader scrolls to it; without JavaScript, a link.
    history_url = reverse("plans:task_history", args=[kpi_task.pk])
    assert f'hx-get="{history_url}" hx-trigger="intersect once"' in body
    assert f'<a href="{history_url}">' in body
    history = shown_history(client, kpi_task)
    assert history.index("second") < history.index("first")  # newest first
    assert "<del>On track</del> → <ins>At risk</ins>" in history
    assert "<del>40%</del> → <ins>50%</ins>" in history


def test_staff_of_another_bureau_read_the_page_without_edit_controls(client, city, kpi_task):
    client.force_login(city.welfare_head)
    body = client.get(page_url(kpi_task)).content.decode()
    assert "Budget secured" in body
    assert "/edit/" not in body
    assert "/toggle/" not in body
    assert "/actuals/" not in body


def test_ticking_a_milestone_off_is_recorded_in_the_history(client, city, kpi_task):
    milestone = kpi_task.milestones.get(title_en="Budget secured")
    client.force_login(city.economy_head)
    url = reverse("plans:milestone_toggle", args=[kpi_task.pk, milestone.pk])
    response = client.post(url, {"version": 1, "done": "on"}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="task-body"')
    milestone.refresh_from_db()
    assert milestone.done_on == timezone.localdate()
    assert milestone.done_by == city.economy_head
    kpi_task.refresh_from_db()
    assert kpi_task.version == 2
    entry = kpi_task.history.get(version=2)
    assert (entry.kind, entry.milestone) == ("milestone", milestone)
    assert entry.changed_by == city.economy_head
    assert "Budget secured" in body
    history = shown_history(client, kpi_task)
    assert "open → done on" in history.replace("</del> → <ins>", " → ")


def test_reopening_a_milestone_without_javascript_redirects(client, city, kpi_task):
    milestone = kpi_task.milestones.first()
    services.toggle_milestone(milestone, by=city.economy_head, expected_version=1, done=True)
    client.force_login(city.economy_head)
    url = reverse("plans:milestone_toggle", args=[kpi_task.pk, milestone.pk])
    response = client.post(url, {"version": 2, "done": ""})
    assert response.status_code == 302
    assert response["Location"] == page_url(kpi_task)
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_a_milestone_of_another_task_is_a_404(client, city, kpi_task):
    other = MilestoneFactory(task=city.finance_task)
    client.force_login(city.economy_head)
    url = reverse("plans:milestone_toggle", args=[kpi_task.pk, other.pk])
    assert client.post(url, {"version": 1, "done": "on"}).status_code == 404


def test_a_stale_milestone_tick_offers_to_apply_it_again(client, city, kpi_task):
    milestone = kpi_task.milestones.first()
    services.update_key_task(kpi_task, by=city.finance_staff, expected_version=1, progress=60)
    client.force_login(city.economy_head)
    url = reverse("plans:milestone_toggle", args=[kpi_task.pk, milestone.pk])
    body = client.post(url, {"version": 1, "done": "on"}, **HTMX).content.decode()
    assert "Someone else changed this task" in body
    assert "Apply my change again" in body
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_recording_an_actual_adds_it_to_the_series_and_the_history(client, city, kpi_task):
    client.force_login(city.economy_head)
    url = reverse("plans:task_measurement", args=[kpi_task.pk])
    response = client.post(
        url,
        {"version": 1, "indicator": kpi_task.indicator.pk, "as_of": "2024-12-31", "value": "2100"},
        **HTMX,
    )
    body = response.content.decode()
    assert "2024-12-31" in body
    assert kpi_task.indicator.measurements.count() == 3
    entry = KeyTask.objects.get(pk=kpi_task.pk).history.get(version=2)
    assert (entry.kind, entry.indicator, entry.as_of, entry.old_value, entry.new_value) == (
        "actual",
        kpi_task.indicator,
        dt.date(2024, 12, 31),
        "",
        "2100",
    )


def test_an_actual_dated_in_the_future_is_refused(client, city, kpi_task):
    client.force_login(city.economy_head)
    url = reverse("plans:task_measurement", args=[kpi_task.pk])
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    body = client.post(
        url, {"version": 1, "indicator": kpi_task.indicator.pk, "as_of": future, "value": "1"}
    ).content.decode()
    assert "An actual value cannot be dated in the future." in body
    assert kpi_task.indicator.measurements.count() == 2


def test_editing_the_task_without_javascript_redirects_to_its_page(client, city):
    task = city.economy_task
    client.force_login(city.economy_head)
    response = client.post(
        reverse("plans:task_edit", args=[task.pk]),
        edit_data(task, start_date="2024-02-01", priority=1, note="Re-planned"),
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.start_date, task.priority) == (dt.date(2024, 2, 1), 1)
    assert set(task.history.values_list("kind", flat=True)) == {"start_date", "priority"}


def test_a_due_date_before_the_start_is_refused_beside_the_field(client, city):
    task = city.economy_task
    client.force_login(city.economy_head)
    response = client.post(
        reverse("plans:task_deadline", args=[task.pk]),
        {"version": 1, "target": "0", "new_due_date": "2023-01-01", "reason": "Re-planned"},
        **HTMX,
    )
    body = response.content.decode()
    assert "The due date cannot be before the start date." in body
    assert 'value="2023-01-01"' in body
    task.refresh_from_db()
    assert task.version == 1


@pytest.mark.parametrize("name", ["plans:task_edit", "plans:task_measurement", "plans:task_update"])
def test_writes_to_another_bureaus_task_are_forbidden(client, city, name):
    task = city.welfare_task
    client.force_login(city.economy_head)
    response = client.post(reverse(name, args=[task.pk]), edit_data(task, progress=99), **HTMX)
    assert response.status_code == 403
    task.refresh_from_db()
    assert (task.progress, task.version) == (40, 1)


@pytest.mark.parametrize("name", ["plans:task_edit", "plans:task_measurement"])
def test_writes_to_an_unknown_task_are_a_404(client, city, name):
    client.force_login(city.economy_head)
    assert client.post(reverse(name, args=[999999]), {"version": 1}).status_code == 404


def test_the_mayors_office_reads_but_does_not_edit(client, city):
    client.force_login(city.mayors_office)
    task = city.economy_task
    assert client.get(page_url(task)).status_code == 200
    response = client.post(reverse("plans:task_edit", args=[task.pk]), edit_data(task))
    assert response.status_code == 403


@pytest.mark.parametrize("n", [10, 200])
def test_the_task_page_issues_the_same_queries_for_10_and_200_rows(
    client, city, n, django_assert_num_queries
):
    task = KeyTaskFactory(sector=city.sectors[0], bureau=city.finance)
    for i in range(n // 10):
        milestone = MilestoneFactory(task=task)
        DeadlineChange.objects.create(
            task=task,
            milestone=milestone,
            old_due_date=milestone.due_date,
            new_due_date=milestone.due_date + dt.timedelta(days=30),
            reason="예산 조정",
            needs=DeadlineChange.Approver.MAYORS_OFFICE,
            requested_by=city.finance_staff,
        )
        indicator = IndicatorFactory(sector=task.sector, task=task)
        for month in range(1, 10):
            MeasurementFactory(indicator=indicator, as_of=dt.date(2024, month, 1), value=i)
    StatusUpdate.objects.bulk_create(
        StatusUpdate(
            task=task,
            version=version + 2,
            changed_by=city.economy_head if version % 2 else city.finance_staff,
            kind="progress",
            old_value=str(version % 100),
            new_value=str(version % 100 + 1),
        )
        for version in range(n)
    )
    for i in range(n // 10):
        comment = Comment.objects.create(task=task, author=city.finance_staff, body=f"의견 {i}")
        Mention.objects.create(comment=comment, person=city.mayors_office)
    client.force_login(city.economy_head)
    # session, user, profile, task, milestones, indicators, measurements, headed bureaus,
    # deadline changes; the history and the discussion come in requests of their own
    # (below, and tests/discussion/test_comments.py)
    with django_assert_num_queries(9):
        response = client.get(page_url(task))
    assert response.status_code == 200
    assert response.content.decode().count("예산 조정") == n // 10


def a_task_with_versions(city, n):
    """A task changed ``n - 1`` times after its creation, a progress change each."""
    task = KeyTaskFactory(sector=city.sectors[0], bureau=city.finance, progress=0)
    StatusUpdate.objects.bulk_create(
        StatusUpdate(
            task=task,
            version=version,
            changed_by=city.finance_staff,
            kind="progress",
            old_value=str(version - 2),
            new_value=str(version - 1),
        )
        for version in range(2, n + 1)
    )
    KeyTask.objects.filter(pk=task.pk).update(version=n)
    task.refresh_from_db()
    return task


def progress_changes(html):
    return re.findall(r"<ins>(\d+)%</ins>", html)


def test_the_task_page_shows_the_latest_changes_and_links_to_every_one(client, city):
    task = a_task_with_versions(city, 120)
    client.force_login(city.economy_head)
    shown = shown_history(client, task)
    # versions 120 down to 111: progress 119 down to 110
    assert progress_changes(shown) == [str(n) for n in range(119, 109, -1)]
    history_url = reverse("plans:task_history", args=[task.pk])
    assert f'href="{history_url}"' in shown

    first = client.get(history_url).content.decode()
    assert progress_changes(first) == [str(n) for n in range(119, 69, -1)]
    assert 'href="?page=2"' in first  # older changes
    last = client.get(history_url, {"page": 3}).content.decode()
    # versions 20 down to 2 changed the progress; version 1 has no row in this story
    assert progress_changes(last) == [str(n) for n in range(19, 0, -1)]
    assert client.get(history_url, {"page": "<script>"}).status_code == 200


def test_a_task_with_few_changes_has_no_link_to_more(client, city):
    task = a_task_with_versions(city, 5)
    client.force_login(city.finance_staff)
    shown = shown_history(client, task)
    assert progress_changes(shown) == ["4", "3", "2", "1"]
    assert reverse("plans:task_history", args=[task.pk]) not in shown


@pytest.mark.parametrize("n", [10, 200])
def test_the_history_page_reads_the_same_queries_for_10_and_200_versions(
    client, city, n, django_assert_num_queries
):
    task = a_task_with_versions(city, n)
    client.force_login(city.mayors_office)
    # session, user, profile, task, its history rows
    with django_assert_num_queries(5):
        response = client.get(reverse("plans:task_history", args=[task.pk]))
    assert response.status_code == 200
    # and the latest versions as the task page loads them: the same queries
    with django_assert_num_queries(5):
        shown = shown_history(client, task)
    assert len(progress_changes(shown)) == min(n - 1, 10)
