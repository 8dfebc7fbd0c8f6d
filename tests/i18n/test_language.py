"""Korean first: a fresh visitor reads Korean whatever their browser asks for; the
language switch remembers a choice in the browser and, for staff, in their profile."""

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from plans.languages import in_language_of, language_of
from plans.models import Profile
from tests.factories import UserFactory

COOKIE = settings.LANGUAGE_COOKIE_NAME


def page_language(response) -> str:
    html = response.content.decode()
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("accept", ["en-US,en;q=0.9", "en", "ja-JP,en;q=0.5", "ko-KR", ""])
def test_a_fresh_visitor_reads_korean_whatever_the_browser_asks_for(client, city, accept):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=accept)
    assert page_language(response) == "ko"
    assert response["Content-Language"] == "ko"
    assert "로그인" in response.content.decode()


def test_a_visitor_who_chose_english_reads_english(client, city):
    client.cookies[COOKIE] = "en"
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="ko")
    assert page_language(response) == "en"
    assert "Sign in" in response.content.decode()


def test_an_unknown_language_cookie_falls_back_to_korean(client, city):
    client.cookies[COOKIE] = "fr"
    assert page_language(client.get(reverse("login"))) == "ko"


def test_staff_read_the_language_saved_in_their_profile(client, city):
    Profile.objects.filter(user=city.finance_staff).update(language="en")
    client.force_login(city.finance_staff)
    assert page_language(client.get(reverse("home"))) == "en"


def test_the_switch_in_this_browser_wins_over_the_profile(client, city):
    Profile.objects.filter(user=city.finance_staff).update(language="en")
    client.force_login(city.finance_staff)
    client.cookies[COOKIE] = "ko"
    assert page_language(client.get(reverse("home"))) == "ko"


def test_a_visitor_switches_to_english_and_lands_back_on_the_same_page(client, city):
    response = client.post(
        reverse("plans:set_language"), {"language": "en", "next": reverse("login")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert response.cookies[COOKIE].value == "en"
    # Remembered beyond this browser session.
    assert int(response.cookies[COOKIE]["max-age"]) >= 60 * 60 * 24 * 30
    assert page_language(client.get(reverse("login"))) == "en"


def test_staff_choice_is_saved_and_follows_them_to_another_device(client, city):
    client.force_login(city.finance_staff)
    client.post(reverse("plans:set_language"), {"language": "en", "next": "/"})
    assert Profile.objects.get(user=city.finance_staff).language == "en"

    phone = Client()  # no language cookie there
    phone.force_login(city.finance_staff)
    assert page_language(phone.get(reverse("home"))) == "en"

    client.post(reverse("plans:set_language"), {"language": "ko", "next": "/"})
    assert Profile.objects.get(user=city.finance_staff).language == "ko"
    assert page_language(phone.get(reverse("home"))) == "ko"


def test_a_user_without_a_profile_gets_one_with_the_choice(client, db):
    admin = UserFactory(username="it_admin")
    client.force_login(admin)
    client.post(reverse("plans:set_language"), {"language": "en", "next": "/"})
    assert Profile.objects.get(user=admin).language == "en"


def test_an_unknown_language_changes_nothing(client, city):
    client.force_login(city.finance_staff)
    response = client.post(reverse("plans:set_language"), {"language": "xx", "next": "/"})
    assert response.status_code == 302
    assert COOKIE not in response.cookies
    assert Profile.objects.get(user=city.finance_staff).language == "ko"


def test_the_switch_never_redirects_off_site(client, city):
    response = client.post(
        reverse("plans:set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_the_switch_only_answers_posts(client, city):
    assert client.get(reverse("plans:set_language")).status_code == 405


def test_every_page_carries_the_switch_pointing_at_the_remembering_view(client, city):
    html = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("plans:set_language")}"' in html


def test_mail_and_exports_for_someone_else_use_their_language(city):
    Profile.objects.filter(user=city.welfare_head).update(language="en")
    city.welfare_head.refresh_from_db()
    with in_language_of(city.welfare_head):
        assert gettext("key task") == "key task"
    with in_language_of(city.finance_staff):
        assert gettext("key task") == "핵심과제"
    assert language_of(UserFactory(username="no_profile")) == "ko"
    assert language_of(AnonymousUser()) == "ko"
    assert language_of(None) == "ko"
