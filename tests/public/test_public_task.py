"""Residents open a page per public key task: where it stands, its milestones and its
published figures, with the statuses explained; never an internal task, never who owns
it or what the bureau noted (issue 15, item 12)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans import services
from plans.models import Measurement
from tests.conftest import client_for
from tests.factories import IndicatorFactory, MeasurementFactory, MilestoneFactory


def url(task):
    return reverse("review:public_task", args=[task.pk])


@pytest.fixture
def public_task(city):
    task = city.welfare_task  # the one public task
    task = services.update_key_task(
        task,
        by=city.welfare_head,
        expected_version=task.version,
        status="at_risk",
        progress=35,
        note="예산 협의 지연 — 내부 메모",
    )
    MilestoneFactory(task=task, title_ko="통합돌봄 조례 제정", due_date=dt.date(2024, 3, 31),
                     done_on=dt.date(2024, 3, 20))  # fmt: skip
    MilestoneFactory(task=task, title_ko="시범사업 16개 구·군 확대", due_date=dt.date(2024, 10, 31))
    care = IndicatorFactory(
        sector=task.sector, task=task, code="CARE-USERS", name_ko="통합돌봄 이용자 수",
        unit_ko="명", target=12000, is_public=True,
    )  # fmt: skip
    MeasurementFactory(indicator=care, as_of=dt.date(2024, 6, 30), value=5400, state="verified")
    MeasurementFactory(indicator=care, as_of=dt.date(2024, 9, 30), value=8100, state="provisional")
    internal = IndicatorFactory(
        sector=task.sector, task=task, code="CARE-COST", name_ko="내부 예산 집행률", is_public=False
    )
    MeasurementFactory(indicator=internal, value=10)
    return task


def test_a_resident_reads_where_a_public_task_stands(client, city, public_task):
    response = client.get(url(public_task))
    assert response.status_code == 200
    page = response.content.decode()
    for shown in [
        public_task.title_ko,
        "지연 우려",  # its status
        "35%",
        "통합돌봄 조례 제정",
        "2024년 3월 20일 (수)",  # the milestone done on
        "시범사업 16개 구·군 확대",
        "통합돌봄 이용자 수",
        "5,400명",  # the published figure
        "목표",
        "최종 업데이트",
        "상태 설명",  # the legend
        "일정이 늦어질 우려",
    ]:
        assert shown in page, shown
    # Only what may be shown: no provisional figure, internal indicator, owner or note.
    assert "8,100" not in page
    assert "내부 예산 집행률" not in page
    assert "내부 메모" not in page
    assert city.welfare_head.username not in page


@pytest.mark.parametrize("who", ["anonymous", "finance_staff", "mayors_office"])
def test_an_internal_task_has_no_public_page_whoever_asks(client, city, who):
    if who != "anonymous":
        client = client_for(getattr(city, who))
    assert client.get(url(city.economy_task)).status_code == 404
    assert client.get(reverse("review:public_task", args=[999999])).status_code == 404


def test_the_public_page_links_each_task_explains_the_statuses_and_says_when_it_changed(
    client, city, public_task
):
    response = client.get(reverse("review:public"))
    page = response.content.decode()
    assert f'href="{url(public_task)}"' in page
    assert "상태 설명" in page and "계획대로 추진 중" in page
    public_task.refresh_from_db()
    published = Measurement.objects.published().get(indicator__code="CARE-USERS")
    newest = max(public_task.updated_at, published.recorded_at)
    assert response.context["last_updated"] == newest
    assert "최종 업데이트" in page


def test_the_last_updated_line_follows_a_newly_published_figure(client, city, public_task):
    care = public_task.indicators.get(code="CARE-USERS")
    later = MeasurementFactory(indicator=care, as_of=dt.date(2024, 12, 31), value=12500)
    response = client.get(reverse("review:public"))
    assert response.context["last_updated"] == later.recorded_at


def queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_public_task_page_costs_the_same_queries_for_ten_times_the_data(
    client, city, public_task
):
    def grow(n):
        for i in range(n):
            MilestoneFactory(task=public_task, title_ko=f"단계 {i}", due_date=dt.date(2024, 12, 1))
            indicator = IndicatorFactory(
                sector=public_task.sector, task=public_task, is_public=True
            )
            MeasurementFactory(indicator=indicator, state="verified")

    grow(2)
    small = queries(client, url(public_task))
    grow(20)
    assert queries(client, url(public_task)) == small
    assert small <= 8
