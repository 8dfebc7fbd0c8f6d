"""Shared fixtures: a small city (plan, bureau tree, one user per role) and the
checks that the real services the suite relies on are there."""

import datetime as dt
import os
import socket
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import (
    BureauFactory,
    IndicatorFactory,
    KeyTaskFactory,
    MeasurementFactory,
    ProfileFactory,
    SectorFactory,
    UserFactory,
    WorkPlanFactory,
)

# The single sign-on servers and settings, shared by tests/sso and the browser tests.
pytest_plugins = ["tests.sso.fixtures"]

IN_CI = os.environ.get("CI", "").lower() == "true"
OUTPUT_DIR = Path(os.environ.get("TEST_OUTPUT_DIR", settings.BASE_DIR / "test-output"))


def pytest_configure(config):
    # The production hasher's deliberate slowness adds minutes to a suite of sign-ins.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def missing(reason: str):
    """A missing service is a failure in CI and a skip on a developer's machine."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: nothing is skipped)", pytrace=False)
    pytest.skip(reason)


def port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, port)) == 0


def free_port() -> int:
    """A port on 127.0.0.1 nobody listens on now, for a server a test starts."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def _service_markers(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        missing("needs PostgreSQL: run with DATABASE_URL=postgres://…")


@pytest.fixture(autouse=True)
def _empty_cache():
    # Cached rows and figures are keyed on ids the next test's database hands out
    # again: every story starts with an empty cache.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def output_dir() -> Path:
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    return OUTPUT_DIR


@pytest.fixture
def city(db):
    """A plan with its five sectors and a small organisation:

    economy (headquarters, head: economy_head)
      └ finance (department; staff: finance_staff)
    welfare (headquarters, head: welfare_head)
    mayors-office (office; mayors_office)
    """
    plan = WorkPlanFactory()
    sectors = [SectorFactory(plan=plan, number=n) for n in range(1, 6)]
    economy = BureauFactory(
        code="economy", name_ko="경제정책실", name_en="Economic Policy Office", kind="headquarters"
    )
    finance = BureauFactory(
        code="finance",
        name_ko="금융창업정책관",
        name_en="Finance Division",
        kind="department",
        parent=economy,
    )
    welfare = BureauFactory(
        code="welfare", name_ko="사회복지국", name_en="Social Welfare Bureau", kind="headquarters"
    )
    office = BureauFactory(
        code="mayors-office", name_ko="정책기획관", name_en="Policy Planning", kind="office"
    )

    def person(username, bureau, **profile):
        user = UserFactory(username=username, last_name=username)
        ProfileFactory(user=user, bureau=bureau, **profile)
        return user

    economy_head = person("economy_head", economy)
    welfare_head = person("welfare_head", welfare)
    finance_staff = person("finance_staff", finance)
    other_staff = person("other_staff", finance)
    mayors_office = person("mayors_office", office, is_mayors_office=True)
    economy.head = economy_head
    economy.save()
    welfare.head = welfare_head
    welfare.save()

    return SimpleNamespace(
        plan=plan,
        sectors=sectors,
        economy=economy,
        finance=finance,
        welfare=welfare,
        office=office,
        economy_head=economy_head,
        welfare_head=welfare_head,
        finance_staff=finance_staff,
        other_staff=other_staff,
        mayors_office=mayors_office,
        economy_task=KeyTaskFactory(sector=sectors[0], bureau=economy, code="1-01"),
        finance_task=KeyTaskFactory(
            sector=sectors[0], bureau=finance, owner=finance_staff, code="1-02"
        ),
        welfare_task=KeyTaskFactory(sector=sectors[3], bureau=welfare, code="4-01", is_public=True),
    )


# --- shared by the review, public and session stories ------------------------------


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


def shown_history(client, task) -> str:
    """The task page's history as the page loads it when the reader scrolls to it."""
    url = reverse("plans:task_history", args=[task.pk])
    return client.get(url, HTTP_HX_REQUEST="true").content.decode()


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
