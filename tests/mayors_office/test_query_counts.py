"""The dashboard, the sector page and the briefing pack issue the same number of
queries for a small plan and one ten times larger: aggregates run in the database."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import services as meeting_services
from plans import services
from tests.factories import (
    BureauFactory,
    IndicatorFactory,
    KeyTaskFactory,
    MeasurementFactory,
    ReportSessionFactory,
)


def grow(city, sessions, factor):
    """Add ``factor`` times (tasks in every sector, bureaus, indicators with actuals, history,
    directives)."""
    for n in range(factor):
        bureau = BureauFactory(parent=city.economy if n % 2 else None)
        for sector in city.sectors:
            task = KeyTaskFactory(
                sector=sector,
                bureau=bureau,
                owner=city.finance_staff,
                start_date=dt.date(2024, 1, 1),
                due_date=dt.date(2024, 6, 30) if n % 3 else dt.date(2027, 1, 1),
                progress=n % 90 + 1,
                status=["on_track", "at_risk", "delayed"][n % 3],
            )
            services.update_key_task(
                task, by=city.economy_head, expected_version=task.version, progress=n % 90 + 2
            )
            indicator = IndicatorFactory(sector=sector, is_public=True)
            MeasurementFactory(indicator=indicator, as_of=dt.date(2024, 3, 31), state="verified")
            MeasurementFactory(indicator=indicator, as_of=dt.date(2024, 6, 30), state="provisional")
        meeting_services.add_directive(
            sessions[0],
            by=city.mayors_office,
            text=f"지시 {n}",
            bureau=bureau,
            due_date=dt.date(2024, 12, 31),
        )


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        lambda s: reverse("review:dashboard"),
        lambda s: reverse("review:sector_detail", args=[1]),
        lambda s: reverse("meetings:briefing", args=[s[1].pk]),
        lambda s: reverse("review:task_list") + "?flag=all",
        lambda s: reverse("meetings:session_detail", args=[s[0].pk]),
        lambda s: reverse("review:public"),
    ],
    ids=["dashboard", "sector", "briefing", "task-list", "session", "public"],
)
def test_queries_do_not_grow_with_the_plan(office_client, city, sessions, url):
    url = url(sessions)
    grow(city, sessions, 2)
    small = count(office_client, url)
    grow(city, sessions, 20)
    large = count(office_client, url)
    assert small == large, (small, large)
    assert large <= 17


def test_the_dashboard_is_a_small_fixed_number_of_queries(
    office_client, city, sessions, django_assert_max_num_queries
):
    grow(city, sessions, 3)
    with django_assert_max_num_queries(14):
        office_client.get(reverse("review:dashboard"))
    with django_assert_max_num_queries(17):
        office_client.get(reverse("meetings:briefing", args=[sessions[1].pk]))


@pytest.mark.parametrize(
    "url",
    [
        lambda s: reverse("review:dashboard"),
        lambda s: reverse("review:sector_detail", args=[1]),
        lambda s: reverse("meetings:briefing", args=[s[1].pk]),
    ],
    ids=["dashboard", "sector", "briefing"],
)
def test_a_second_reader_gets_the_figures_from_the_cache(office_client, city, sessions, url):
    url = url(sessions)
    grow(city, sessions, 3)
    first = count(office_client, url)
    assert count(office_client, url) <= first - 4


def test_a_bureaus_update_shows_on_the_dashboard_at_once(office_client, city, sessions):
    office_client.get(reverse("review:dashboard"))  # the figures are now cached
    task = city.economy_task
    services.update_key_task(
        task, by=city.economy_head, expected_version=task.version, status="delayed"
    )
    page = office_client.get(reverse("review:dashboard"))
    sector = next(overview for row, overview in page.context["sectors"] if row.number == 1)
    assert sector.counts["delayed"] >= 1


def test_a_bureaus_update_shows_on_the_sector_page_at_once(office_client, city, sessions):
    url = reverse("review:sector_detail", args=[1])
    office_client.get(url)  # the figures are now cached
    task = city.economy_task
    services.update_key_task(
        task, by=city.economy_head, expected_version=task.version, status="delayed"
    )
    page = office_client.get(url)
    economy = next(
        overview for bureau, overview in page.context["bureaus"] if bureau == city.economy
    )
    assert economy.counts["delayed"] >= 1


def test_a_new_directive_shows_in_the_briefing_at_once(office_client, city, sessions):
    # The sector's next session follows it up.
    later = ReportSessionFactory(
        sector=city.sectors[0],
        starts_at=dt.datetime(2024, 7, 15, 1, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2024, 7, 15, 3, 0, tzinfo=dt.UTC),
    )
    url = reverse("meetings:briefing", args=[later.pk])
    office_client.get(url)
    meeting_services.add_directive(
        sessions[0],
        by=city.mayors_office,
        text="가덕도 신공항 부지 보상 일정 재점검",
        bureau=city.economy,
        due_date=dt.date(2024, 12, 31),
    )
    assert "가덕도 신공항 부지 보상 일정 재점검" in office_client.get(url).content.decode()
