"""A city with report sessions, indicators and tasks at known points of their schedules."""

import datetime as dt

import pytest

from tests.factories import (
    AgendaItemFactory,
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
