"""The city-wide list of overdue and at-risk key tasks: filterable by sector, bureau,
pillar and status, sortable, with the filters in the URL so a view can be shared."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

URL = reverse("review:task_list")


@pytest.fixture
def tasks(city, make_task):
    today = timezone.localdate()
    return {
        "late": make_task(
            code="L-1",
            bureau=city.finance,
            pillar_ko="바운스",
            start_date=today - dt.timedelta(days=60),
            due_date=today - dt.timedelta(days=3),
            progress=90,
            status="on_track",
        ),
        "lagging": make_task(
            code="L-2",
            sector=city.sectors[3],
            bureau=city.welfare,
            pillar_ko="돌봄",
            start_date=today - dt.timedelta(days=50),
            due_date=today + dt.timedelta(days=50),
            progress=10,
            status="on_track",
        ),
        "reported": make_task(
            code="L-3",
            start_date=today - dt.timedelta(days=10),
            due_date=today + dt.timedelta(days=300),
            progress=20,
            status="delayed",
        ),
        "fine": make_task(
            code="L-4",
            start_date=today - dt.timedelta(days=10),
            due_date=today + dt.timedelta(days=10),
            progress=60,
            status="on_track",
        ),
    }


def codes(response):
    return [task.code for task in response.context["page"].object_list]


def test_by_default_it_lists_what_needs_attention(head_client, tasks, city):
    response = head_client.get(URL)
    assert response.status_code == 200
    listed = codes(response)
    assert {"L-1", "L-2", "L-3"} <= set(listed)
    assert "L-4" not in listed
    content = response.content.decode()
    assert 'class="overdue"' in content and 'class="computed-risk"' in content
    assert reverse("plans:task_detail", args=[tasks["late"].pk]) in content


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"flag": "overdue"}, ["L-1"]),
        # the city's 4-01 runs 2024-01-01 → 2026-12-31 at 40%: far behind by now
        ({"flag": "at_risk_computed", "sector": "SECTOR4"}, ["4-01", "L-2"]),
        ({"pillar": "바운스"}, ["L-1"]),
        ({"status": "delayed"}, ["L-3"]),
        (
            {"bureau": "ECONOMY", "flag": "all", "sort": "code"},
            ["1-01", "1-02", "L-1", "L-3", "L-4"],
        ),
        ({"bureau": "FINANCE", "flag": "all", "sort": "code"}, ["1-02", "L-1"]),
    ],
)
def test_filters_from_the_url(head_client, tasks, city, params, expected):
    replace = {
        "SECTOR4": city.sectors[3].pk,
        "ECONOMY": city.economy.pk,  # a bureau includes its sub-bureaus
        "FINANCE": city.finance.pk,
    }
    params = {key: replace.get(value, value) for key, value in params.items()}
    assert codes(head_client.get(URL, params)) == expected


def test_sorting(head_client, tasks):
    by_due = codes(head_client.get(URL, {"flag": "all", "sort": "due"}))
    assert by_due.index("L-1") < by_due.index("L-4") < by_due.index("L-3")
    by_progress = codes(head_client.get(URL, {"flag": "all", "sort": "-progress"}))
    assert by_progress[0] == "L-1"
    by_lag = codes(head_client.get(URL, {"flag": "all", "sort": "lag"}))
    # L-2 is 40 points behind, L-1 10 (its due date passed at 90%), L-4 ahead.
    assert by_lag.index("L-2") < by_lag.index("L-1") < by_lag.index("L-4")


def test_the_filters_stay_in_the_export_links(head_client, tasks, city):
    response = head_client.get(URL, {"sector": city.sectors[0].pk, "flag": "overdue"})
    content = response.content.decode()
    assert f"export.xlsx?sector={city.sectors[0].pk}&amp;flag=overdue" in content


def test_htmx_gets_only_the_results(head_client, tasks):
    response = head_client.get(URL, {"flag": "all"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="results"')
    assert "<form" not in content


@pytest.mark.parametrize(
    "params",
    [
        {"sector": "abc"},
        {"bureau": "999999"},
        {"status": "on_fire"},
        {"sort": "password"},
        {"flag": "x"},
        {"page": "-1"},
        {"page": "zzz"},
    ],
)
def test_a_bad_filter_is_reported_not_an_error(head_client, tasks, params):
    response = head_client.get(URL, params)
    assert response.status_code == 200


def test_staff_cannot_see_the_list(staff_client, tasks):
    assert staff_client.get(URL).status_code == 403
