"""The home page shows the plan: its five sectors, their sessions and task counts."""

import pytest
from django.urls import reverse

from tests.factories import KeyTaskFactory, ReportSessionFactory


@pytest.fixture
def first_session(city):
    return ReportSessionFactory(sector=city.sectors[0])


def test_it_shows_the_five_sectors_with_their_session_dates(client, city, first_session):
    client.force_login(city.finance_staff)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    page = response.content.decode()
    for sector in city.sectors:
        assert sector.name_ko in page
    # 01:00 UTC is 10:00 in Seoul: dates are shown in the city's time.
    assert "2024-01-15" in page and "10:00" in page
    assert first_session.venue_ko in page


def test_it_counts_key_tasks_by_status_for_signed_in_users(client, city):
    KeyTaskFactory(sector=city.sectors[0], bureau=city.economy, status="delayed", progress=10)
    client.force_login(city.economy_head)
    response = client.get(reverse("home"))
    summary = {sector.number: overview for sector, overview, _ in response.context["sectors"]}
    counted = {
        n: {status: k for status, _label, k in summary[n].reported_status_counts()} for n in (1, 4)
    }
    assert counted[1] == {"on_track": 2, "delayed": 1}
    assert summary[1].total == 3
    assert counted[4] == {"on_track": 1}


def test_anonymous_visitors_see_sectors_but_no_internal_counts(client, city, first_session):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert city.sectors[0].name_ko in page
    assert "status-badge" not in page
    assert reverse("login") in page


def test_the_page_speaks_english_when_asked(client, city):
    client.force_login(city.finance_staff)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("home"))
    assert "Sector 1" in response.content.decode()


def test_home_query_count_does_not_grow_with_tasks(client, city, django_assert_max_num_queries):
    client.force_login(city.mayors_office)
    for n in range(30):
        KeyTaskFactory(sector=city.sectors[n % 5], bureau=city.welfare)
    with django_assert_max_num_queries(10):
        client.get(reverse("home"))


def test_staff_sign_in_and_out(client, city):
    response = client.post(reverse("login"), {"username": "finance_staff", "password": "password"})
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == city.finance_staff
    client.post(reverse("logout"))
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_a_wrong_password_keeps_the_username_and_explains(client, city):
    response = client.post(reverse("login"), {"username": "finance_staff", "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'value="finance_staff"' in response.content.decode()


def _token_in(page: str) -> str:
    import re

    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


@pytest.mark.parametrize("name", ["home", "review:public"])
def test_residents_share_one_rendering_but_each_gets_their_own_token(city, name):
    """The page kept for visitors carries each visitor's own CSRF token, so the
    language switch works for every one of them."""
    from django.test import Client

    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    pages = [visitor.get(reverse(name)).content.decode() for visitor in (first, second)]
    assert _token_in(pages[0]) != _token_in(pages[1])
    assert "csrf-token-of-this-visitor" not in pages[0] + pages[1]
    # Each visitor's token is accepted with their own cookie: the language changes.
    answer = second.post(
        reverse("plans:set_language"),
        {"language": "en", "next": reverse(name), "csrfmiddlewaretoken": _token_in(pages[1])},
    )
    assert answer.status_code == 302


def test_a_session_scheduled_shows_on_the_home_page_at_once(client, city, office_client):
    import datetime as dt

    from meetings import services

    before = client.get(reverse("home")).content.decode()
    assert "벡스코 컨벤션홀" not in before
    services.schedule_session(
        by=city.mayors_office,
        sector=city.sectors[2],
        starts_at=dt.datetime(2024, 9, 2, 1, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2024, 9, 2, 3, 0, tzinfo=dt.UTC),
        venue_ko="벡스코 컨벤션홀",
    )
    assert "벡스코 컨벤션홀" in client.get(reverse("home")).content.decode()


def test_a_visitor_with_a_message_sees_it_though_the_page_is_kept(client, city, rf):
    from django.contrib import messages
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    from review.views import home

    client.get(reverse("home"))  # the page is now kept for visitors
    request = rf.get(reverse("home"))
    request.user, request.session = AnonymousUser(), SessionStore()
    request._messages = FallbackStorage(request)
    messages.info(request, "안내: 비밀번호 재설정 메일을 보냈습니다")
    assert "안내: 비밀번호 재설정 메일을 보냈습니다" in home(request).content.decode()
