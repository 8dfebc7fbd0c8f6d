"""The sign-in page offers the city account when single sign-on is on, in Korean and
English, and stays the tracker's own form when it is off."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.i18n.untranslated import untranslated

# What this checks does not depend on the database: run once, in the PostgreSQL stage.
pytestmark = pytest.mark.once

DIRECTORY = {
    "LDAP_SERVER_URI": "ldap://127.0.0.1:1",
    "LDAP_USER_SEARCH_BASE": "ou=people,dc=busan,dc=example",
}
PROVIDER = {
    "OIDC_RP_CLIENT_ID": "busan-tracker",
    "OIDC_RP_CLIENT_SECRET": "secret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "http://127.0.0.1:1/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "http://127.0.0.1:1/token",
    "OIDC_OP_USER_ENDPOINT": "http://127.0.0.1:1/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "http://127.0.0.1:1/jwks",
}
CITY_BUTTON = {"ko": "시 통합계정으로 로그인", "en": "Sign in with the city account"}


def sign_in_page(client, language: str, next: str = "") -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(reverse("login") + (f"?next={next}" if next else "")).content.decode()


def test_without_single_sign_on_the_page_is_the_trackers_own_form(client, db):
    page = sign_in_page(client, "en")
    assert "city account" not in page and reverse("sso:oidc_start") not in page
    assert 'name="password"' in page


@pytest.mark.parametrize("language", ["ko", "en"])
def test_with_the_provider_on_the_page_offers_the_city_account_and_keeps_the_way_back(
    client, db, configure, language
):
    configure(PROVIDER)
    page = sign_in_page(client, language, next="/dashboard/tasks/%3Fflag%3Doverdue")
    assert CITY_BUTTON[language] in page
    assert f'href="{reverse("sso:oidc_start")}?next=/dashboard/tasks/%3Fflag%3Doverdue"' in page
    assert 'name="password"' in page, "tracker accounts (city IT's) still sign in"
    if language == "ko":
        assert not untranslated(page)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_with_the_directory_on_the_form_says_the_city_account_works_in_it(
    client, db, configure, language
):
    configure(DIRECTORY)
    page = sign_in_page(client, language)
    assert 'id="sign-in-directory"' in page
    assert reverse("sso:oidc_start") not in page
    if language == "ko":
        assert not untranslated(page)


def test_with_both_on_the_page_reads_in_korean(client, db, configure):
    configure({**DIRECTORY, **PROVIDER})
    page = sign_in_page(client, "ko")
    assert CITY_BUTTON["ko"] in page and 'id="sign-in-directory"' in page
    assert not untranslated(page)


@pytest.mark.parametrize("ways", [{}, DIRECTORY, PROVIDER, {**DIRECTORY, **PROVIDER}])
def test_the_sign_in_page_reads_nothing_from_the_database(
    client, db, configure, ways, django_assert_num_queries
):
    configure(ways)
    with django_assert_num_queries(0):
        assert client.get(reverse("login")).status_code == 200
