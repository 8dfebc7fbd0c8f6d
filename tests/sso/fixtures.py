"""Fixtures of the sign-in tests (tests/sso, and the browser's city-account journey):
the real directory and provider (started once for the run, tests/sso/servers.py), the
tracker configured for them through the same variables city IT sets, and the city's
bureaus given the directory's organisation codes."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.test import override_settings
from django.urls import reverse

from busan_tracker.single_sign_on import single_sign_on
from tests.sso.servers import Directory, Provider


@pytest.fixture(scope="session")
def directory_server(tmp_path_factory):
    server = Directory(tmp_path_factory.mktemp("directory"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def provider_server(tmp_path_factory):
    # The test client's host, and the browser tests' live server on any port.
    callback = "/accounts/city/callback/"
    server = Provider(
        tmp_path_factory.mktemp("provider"),
        redirect_uris=[
            f"http://{host}{callback}" for host in ("testserver", "localhost", "127.0.0.1")
        ],
    )
    yield server
    server.stop()


@pytest.fixture
def configure():
    """Configures the tracker from city IT's variables for one test."""
    applied = []

    def apply(env: dict[str, str]):
        overrides = override_settings(**single_sign_on(env))
        overrides.enable()
        applied.append(overrides)

    yield apply
    for overrides in reversed(applied):
        overrides.disable()


@pytest.fixture
def directory(directory_server, configure):
    """The city directory is on (and the provider off)."""
    configure(directory_server.environment())
    memberships = directory_server.snapshot()
    yield directory_server
    directory_server.restore(memberships)


@pytest.fixture
def provider(provider_server, configure):
    """The city's OpenID provider is on (and the directory off)."""
    configure(provider_server.environment())
    yield provider_server
    provider_server.reset_claims()


@pytest.fixture
def mapped_city(city):
    """The city's bureaus carry the organisation codes the directory uses."""
    for bureau, code in (
        (city.finance, "6260110"),
        (city.office, "6260010"),
        (city.welfare, "6260200"),
    ):
        bureau.directory_code = code
        bureau.save(update_fields=["directory_code"])
    return city


CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def through_provider(client, start, username: str, password: str, come_back: bool = True):
    """A browser's journey as an HTTP client: the tracker's redirect to the provider, the
    provider's sign-in form, its redirect back to the tracker's callback; returns the
    tracker's answer to the callback (or, with ``come_back=False``, the callback's
    address, unvisited)."""
    response = client.get(start)
    assert response.status_code == 302, response.content[:500]
    url = response["Location"]
    browser = requests.Session()
    for _ in range(10):
        if urlsplit(url).hostname == "testserver":
            parts = urlsplit(url)
            back = f"{parts.path}?{parts.query}"
            return client.get(back) if come_back else back
        page = browser.get(url, allow_redirects=False, timeout=10)
        if page.status_code in (301, 302, 303):
            url = urljoin(url, page.headers["Location"])
            continue
        assert page.status_code == 200, page.text[:2000]
        form = CSRF_FIELD.search(page.text)
        assert form, f"the provider's sign-in form: {page.text[:2000]}"
        next_field = re.search(r'name="next" value="([^"]*)"', page.text)
        signed_in = browser.post(
            url,
            data={
                "csrfmiddlewaretoken": form[1],
                "username": username,
                "password": password,
                "next": next_field[1].replace("&amp;", "&") if next_field else "",
            },
            allow_redirects=False,
            timeout=10,
        )
        if signed_in.status_code == 200:
            return signed_in  # the provider refused the password and shows its form again
        assert signed_in.status_code == 302, signed_in.text[:2000]
        url = urljoin(url, signed_in.headers["Location"])
    raise AssertionError(f"no way back to the tracker from {url}")


@pytest.fixture
def city_account_sign_in(client):
    def sign_in(username: str, password: str = "provider-password", next: str = "", come_back=True):
        start = reverse("sso:oidc_start") + (f"?next={next}" if next else "")
        return through_provider(client, start, username, password, come_back)

    return sign_in
