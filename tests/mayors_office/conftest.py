"""A city with report sessions, indicators and tasks at known points of their schedules."""

import datetime as dt

import pytest
from django.test import Client

from tests.factories import (
    AgendaItemFactory,
    IndicatorFactory,
    KeyTaskFactory,
    MeasurementFactory,
    ReportSessionFactory,
)

KST = dt.timezone(dt.timedelta(hours=9))


@pytest.fixture
def sessions(city):
    """Two report sessions: sector 1 on 15 Jan 2024, sector 4 on 17 Jan 2024."""
    first = ReportSessionFactory(
        sector=city.sectors[0],
        starts_at=dt.datetime(2024, 1, 15, 10, 0, tzinfo=KST),
        ends_at=dt.datetime(2024, 1, 15, 12, 0, tzinfo=KST),
        theme_ko="민생 안정과 경제 활력 제고",
        theme_en="Stabilizing Livelihoods and Enhancing Economic Vitality",
    )
    AgendaItemFactory(
        session=first,
        order=1,
        bureau=city.economy,
        title_ko="바운스: 중소기업 지원",
        title_en="Bounce: SME support",
        starts_at=dt.datetime(2024, 1, 15, 10, 0, tzinfo=KST),
        ends_at=dt.datetime(2024, 1, 15, 10, 40, tzinfo=KST),
    )
    AgendaItemFactory(
        session=first,
        order=2,
        bureau=city.finance,
        title_ko="금융중심지 조성",
        title_en="Financial centre",
        starts_at=dt.datetime(2024, 1, 15, 10, 40, tzinfo=KST),
        ends_at=dt.datetime(2024, 1, 15, 11, 20, tzinfo=KST),
    )
    second = ReportSessionFactory(
        sector=city.sectors[3],
        starts_at=dt.datetime(2024, 1, 17, 14, 0, tzinfo=KST),
        ends_at=dt.datetime(2024, 1, 17, 16, 0, tzinfo=KST),
        venue_ko="시청 7층 회의실",
        venue_en="City Hall, 7th-floor meeting room",
    )
    return [first, second]


@pytest.fixture
def jobs_indicator(city):
    indicator = IndicatorFactory(
        sector=city.sectors[0],
        code="JOB-FIN",
        is_public=True,
        source_ko="고용노동부 지역일자리 목표 공시제",
        source_en="Regional job target disclosure system",
        definition_ko="시 재정지원 일자리 수(누계)",
        definition_en="Jobs from city-funded programmes (cumulative)",
    )
    MeasurementFactory(
        indicator=indicator,
        as_of=dt.date(2024, 6, 30),
        value=118500,
        state="verified",
        note="내부 메모: 담당자 확인 중",
    )
    MeasurementFactory(
        indicator=indicator, as_of=dt.date(2024, 12, 31), value=208959, state="final"
    )
    return indicator


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def office_client(city):
    return client_for(city.mayors_office)


@pytest.fixture
def head_client(city):
    return client_for(city.economy_head)


@pytest.fixture
def staff_client(city):
    return client_for(city.finance_staff)


@pytest.fixture
def make_task(city):
    def make(**fields):
        defaults = {"sector": city.sectors[0], "bureau": city.economy}
        return KeyTaskFactory(**{**defaults, **fields})

    return make
