"""My tasks: what a bureau head may update, grouped by sector, filtered and sorted."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from plans import deadlines, selectors
from plans.models import KeyTask, WorkPlan
from tests.factories import (
    IndicatorFactory,
    KeyTaskFactory,
    MeasurementFactory,
    SectorFactory,
    WorkPlanFactory,
)

URL = reverse("plans:my_tasks")


def codes(response):
    return [row.task.code for _sector, rows in response.context["groups"] for row in rows]


def test_bureau_head_sees_their_bureaus_tasks_grouped_by_sector(client, city):
    KeyTaskFactory(sector=city.sectors[2], bureau=city.finance, code="3-01")
    client.force_login(city.economy_head)
    response = client.get(URL)
    assert response.status_code == 200
    groups = response.context["groups"]
    assert [(sector.number, [row.task.code for row in rows]) for sector, rows in groups] == [
        (1, ["1-01", "1-02"]),
        (3, ["3-01"]),
    ]
    body = response.content.decode()
    assert "4-01" not in body  # welfare's task is not theirs to update
    assert '<svg class="progress-bar"' in body and '<rect width="40"' in body


def test_a_task_still_open_from_last_years_plan_keeps_its_own_sector_heading(client, city):
    last_year = SectorFactory(plan=WorkPlanFactory(year=2023), number=1, name_en="Old sector")
    KeyTaskFactory(sector=last_year, bureau=city.finance, code="2023-1-09")
    client.force_login(city.economy_head)
    groups = client.get(URL).context["groups"]
    assert sorted((sector.name_en, [row.task.code for row in rows]) for sector, rows in groups) == [
        ("Old sector", ["2023-1-09"]),
        (city.sectors[0].name_en, ["1-01", "1-02"]),
    ]


def test_staff_see_only_the_tasks_assigned_to_them(client, city):
    client.force_login(city.finance_staff)
    assert codes(client.get(URL)) == ["1-02"]


def test_a_user_with_nothing_to_update_is_told_so(client, city):
    client.force_login(city.other_staff)
    response = client.get(URL)
    assert "You have no key tasks to update." in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, city):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_row_shows_days_left_overdue_and_who_updated_last(client, city):
    today = timezone.localdate()
    KeyTaskFactory(
        sector=city.sectors[0], bureau=city.economy, code="1-90", due_date=today - dt.timedelta(3)
    )
    KeyTaskFactory(
        sector=city.sectors[0], bureau=city.economy, code="1-91", due_date=today + dt.timedelta(5)
    )
    task = city.economy_task
    from plans.services import update_key_task

    update_key_task(task, by=city.finance_staff, expected_version=1, progress=41)
    client.force_login(city.economy_head)
    body = client.get(URL).content.decode()
    assert "3 days overdue" in body
    assert "5 days left" in body
    assert "finance_staff" in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"overdue": "on"}, ["1-90"]),
        ({"due_soon": "on"}, ["1-91"]),
        ({"at_risk": "on"}, ["1-92"]),
        ({"status": "at_risk"}, ["1-92"]),
        ({"sector": "2"}, ["2-01"]),
        ({"q": "harbour"}, ["2-01"]),
        ({"q": "1-9"}, ["1-90", "1-91", "1-92", "1-93"]),
        ({"sort": "-progress", "sector": "1"}, ["1-93", "1-92", "1-01", "1-02", "1-90", "1-91"]),
        ({"sector": "nonsense", "sort": "evil", "page": "x"}, None),  # ignored, never a 500
    ],
)
def test_filters_and_sorting(client, city, query, expected):
    today = timezone.localdate()
    economy = city.economy
    KeyTaskFactory(
        sector=city.sectors[0], bureau=economy, code="1-90", due_date=today - dt.timedelta(1)
    )
    KeyTaskFactory(
        sector=city.sectors[0], bureau=economy, code="1-91", due_date=today + dt.timedelta(14)
    )
    KeyTaskFactory(
        sector=city.sectors[0], bureau=economy, code="1-92", status="at_risk", progress=90
    )
    KeyTaskFactory(
        sector=city.sectors[1], bureau=economy, code="2-01", title_en="Harbour", progress=10
    )
    KeyTaskFactory(
        sector=city.sectors[0],
        bureau=economy,
        code="1-93",
        due_date=today - dt.timedelta(9),
        status="done",
        progress=100,
        completed_on=today,
        title_ko="완료",
    )
    client.force_login(city.economy_head)
    response = client.get(URL, query)
    assert response.status_code == 200
    if expected is None:
        assert len(codes(response)) == 7
    else:
        found = codes(response)
        if "sort" not in query:
            found = sorted(found)
        assert found == expected


def test_filtering_with_htmx_returns_only_the_results(client, city):
    client.force_login(city.economy_head)
    response = client.get(URL, {"q": "1-02"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="task-results")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="task-results"')
    assert "1-02" in body and "1-01" not in body


def test_a_head_of_many_tasks_gets_them_page_by_page(client, city):
    KeyTaskFactory.create_batch(120, sector=city.sectors[0], bureau=city.finance)
    size = selectors.MY_TASKS_PAGE_SIZE
    pages = -(-122 // size)
    client.force_login(city.economy_head)
    first = client.get(URL)
    assert len(codes(first)) == size
    assert f"page 1 of {pages}" in first.content.decode()
    last = client.get(URL, {"page": pages})
    assert len(codes(last)) == 122 - (pages - 1) * size
    beyond = client.get(URL, {"page": 999})  # an old link still shows the last page
    assert codes(beyond) == codes(last)


def test_the_row_shows_the_latest_actual_and_its_form_asks_for_a_new_one(client, city):
    task = city.economy_task
    indicator = IndicatorFactory(sector=task.sector, task=task, name_en="Jobs", unit_en="jobs")
    MeasurementFactory(indicator=indicator, as_of=dt.date(2024, 3, 31), value=10)
    MeasurementFactory(indicator=indicator, as_of=dt.date(2024, 6, 30), value=25)
    client.force_login(city.economy_head)
    body = client.get(URL).content.decode()
    assert "Jobs: <strong>25 jobs</strong>" in body
    with_indicator = client.get(reverse("plans:task_update", args=[task.pk]), HTTP_HX_REQUEST="1")
    assert "New actual value (jobs)" in with_indicator.content.decode()
    without = client.get(
        reverse("plans:task_update", args=[city.finance_task.pk]), HTTP_HX_REQUEST="1"
    )
    assert 'name="actual"' not in without.content.decode()


@pytest.mark.parametrize("n", [10, 200])
def test_my_tasks_issues_the_same_queries_for_10_and_200_tasks(
    client, city, n, django_assert_num_queries
):
    KeyTaskFactory.create_batch(n, sector=city.sectors[1], bureau=city.finance)
    for task in KeyTask.objects.filter(bureau=city.finance)[:5]:
        indicator = IndicatorFactory(sector=task.sector, task=task)
        MeasurementFactory(indicator=indicator)
    client.force_login(city.economy_head)
    # session, user, profile (language), sectors, the headed bureaus with their
    # subtree, the page's tasks with the count of all; then, rows not yet cached: those
    # tasks in full, their indicators
    with django_assert_num_queries(8):
        response = client.get(URL, {"sort": "progress"})
    assert response.status_code == 200


def test_moved_deadlines_show_their_slip_at_no_extra_query(client, city, django_assert_num_queries):
    KeyTaskFactory.create_batch(30, sector=city.sectors[1], bureau=city.finance)
    moved = list(KeyTask.objects.filter(bureau=city.finance).order_by("pk")[:5])
    for task in moved:
        deadlines.request_deadline_change(
            task,
            by=city.economy_head,
            expected_version=task.version,
            new_due_date=task.due_date - dt.timedelta(days=10),
            reason="Ahead of schedule",
        )
    client.force_login(city.economy_head)
    # The same eight queries as without slips: a row's slip is read with its task.
    with django_assert_num_queries(8):
        body = client.get(URL, {"sort": "due"}).content.decode()
    assert body.count('<span class="slip">') == 5
    with django_assert_num_queries(6):  # the rows, slips and all, come from the cache
        again = client.get(URL, {"sort": "due"}).content.decode()
    assert again.count('<span class="slip">') == 5


def test_the_filter_form_shows_what_was_asked_for(client, city):
    client.force_login(city.economy_head)
    body = client.get(URL, {"q": "port", "sector": "2", "status": "delayed", "overdue": "on"})
    html = body.content.decode()
    assert 'name="q" id="id_q" value="port"' in html
    assert '<option value="2" selected>' in html
    assert '<option value="delayed" selected>' in html
    assert 'name="overdue" id="id_overdue" checked' in html
    assert 'name="at_risk" id="id_at_risk">' in html


def test_a_change_shows_at_once_although_rows_are_cached(client, city):
    from plans.services import update_key_task

    client.force_login(city.economy_head)
    assert ">40%<" in client.get(URL, {"q": "1-01"}).content.decode()
    update_key_task(city.economy_task, by=city.finance_staff, expected_version=1, progress=77)
    body = client.get(URL, {"q": "1-01"}).content.decode()
    assert ">77%<" in body and ">40%<" not in body


def test_a_second_visit_reads_rows_from_the_cache_with_fewer_queries(
    client, city, django_assert_num_queries
):
    KeyTaskFactory.create_batch(30, sector=city.sectors[1], bureau=city.finance)
    task = KeyTask.objects.filter(bureau=city.finance).first()
    MeasurementFactory(indicator=IndicatorFactory(sector=task.sector, task=task))
    client.force_login(city.economy_head)
    first = client.get(URL).content.decode()
    # session, user, profile, sectors, the headed bureaus with their subtree, the page's
    # tasks with their count: every row is cached, so no task is read in full and no
    # indicator at all
    with django_assert_num_queries(6):
        second = client.get(URL).content.decode()

    # The same page, but for the CSRF token, which is masked afresh on every response.
    def unmasked(html):
        return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", html)

    assert unmasked(second) == unmasked(first)


def test_my_tasks_offers_the_sectors_of_the_current_plan_as_the_plans_move_on(client, city):
    # The sectors' SQL is written once per process (plans.selectors.current_sectors):
    # which plan is current is still decided by the database on every visit.
    def offered():
        client.force_login(city.economy_head)
        form = client.get(URL).context["filter_form"]
        return [label for value, label in form.fields["sector"].choices if value]

    assert offered() == [str(sector) for sector in city.sectors]
    nxt = WorkPlanFactory(year=2025, stage=WorkPlan.Stage.PREPARATION)
    new = SectorFactory(plan=nxt, number=1, name_ko="새 분야", name_en="New sector")
    assert offered() == [str(sector) for sector in city.sectors]  # 2024 is still tracked
    WorkPlan.objects.filter(pk=city.plan.pk).update(stage=WorkPlan.Stage.CLOSED)
    WorkPlan.objects.filter(pk=nxt.pk).update(stage=WorkPlan.Stage.ADOPTED)
    assert offered() == [str(new)]
