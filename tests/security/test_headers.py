"""What every answer carries: a Content-Security-Policy with no inline script or style
(and pages that need none), ``Cache-Control: no-store`` on whatever a signed-in user
sees, and, under the production settings, every cookie Secure. The last test runs the
app as production does (gunicorn, BUSAN_ENV=production) and reads its real headers."""

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import client_for
from tests.i18n import pages
from tests.i18n.pages import build_walk_city

# What this checks does not depend on the database: run once, in the PostgreSQL stage.
pytestmark = pytest.mark.once

INLINE = [
    (re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.S), "a style attribute"),
    (re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.S), "an event-handler attribute"),
    (re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.S), "an inline script"),
    (re.compile(r"<style[\s>]"), "a style element"),
    (re.compile(r"javascript:"), "a javascript: URL"),
]


def test_the_policy_allows_nothing_inline_and_nothing_foreign(client, db):
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe" not in policy


def test_no_page_needs_inline_script_or_style(client, city):
    """Every registered page as every role, and its HTMX fragment: nothing the policy
    would block (the browser check, tests/browser/test_content_security_policy.py,
    confirms it in Chromium)."""
    walk_city = build_walk_city(city)
    problems = []
    for page in pages.pages_to_check(walk_city):
        client.logout()
        user = pages.user_for(page.role, walk_city)
        if user is not None:
            client.force_login(user)
        headers = {"HX-Request": "true"} if page.htmx else {}
        response = client.get(page.url, headers=headers)
        assert "Content-Security-Policy" in response, page
        html = response.content.decode()
        problems += [f"{page}: {what}" for pattern, what in INLINE if pattern.search(html)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("name", "kwargs", "htmx"),
    [
        ("plans:my_tasks", None, False),
        ("plans:my_tasks", None, True),
        ("review:dashboard", None, False),
        ("review:task_export_xlsx", None, False),
        ("review:task_export_csv", None, False),
        ("meetings:sessions_ics", None, False),
        ("home", None, False),
    ],
)
def test_what_a_signed_in_user_sees_is_never_stored(city, name, kwargs, htmx):
    client = client_for(city.mayors_office)
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(reverse(name, kwargs=kwargs), headers=headers)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_public_page_for_residents_may_be_cached(client, city):
    assert "no-store" not in client.get(reverse("review:public")).get("Cache-Control", "")


# --- the production settings, served by gunicorn -------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """Just enough of a browser over http.client: cookies, HTTPS said by the proxy."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.set_cookies: list[SimpleCookie] = []

    def request(self, method: str, path: str, body: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {
            "Host": "tracker.busan.example",
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = "https://tracker.busan.example" + path
        connection.request(method, path, data, headers)
        response = connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            self.set_cookies.append(cookie)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        connection.close()
        return response, content.decode(errors="replace")


@pytest.fixture
def production_server(tmp_path, output_dir):
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE",)},
        "BUSAN_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "tracker.busan.example",
        "BUSAN_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        # Kept between runs: collectstatic then copies only what changed.
        "STATIC_ROOT": str(output_dir / "production-static"),
        "CACHE_URL": "locmem://",
    }
    manage = [sys.executable, "manage.py"]
    for step in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(manage + step, cwd=settings.BASE_DIR, env=env, check=True, timeout=300)
    make_user = (
        "from django.contrib.auth import get_user_model; from plans.models import Profile, "
        "WorkPlan; u = get_user_model().objects.create_user('head', 'head@busan.example', "
        "'harbour-bridge-2024', is_superuser=True); Profile.objects.create(user=u, "
        "is_mayors_office=True); WorkPlan.objects.create(year=2024, core_goal_ko='목표')"
    )
    subprocess.run([*manage, "shell", "-c", make_user], cwd=settings.BASE_DIR, env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "busan_tracker.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--log-level", "warning"],
        cwd=settings.BASE_DIR, env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert server.poll() is None, "gunicorn exited"
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield Browser(port)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def test_production_answers_with_secure_headers_and_secure_cookies(production_server):
    browser = production_server
    response, page = browser.request("GET", "/accounts/login/")
    assert response.status == 200
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    response, _ = browser.request(
        "POST",
        "/accounts/login/",
        {"csrfmiddlewaretoken": token, "username": "head", "password": "harbour-bridge-2024"},
    )
    assert response.status == 302, "signing in under production settings failed"
    response, page = browser.request("GET", "/dashboard/")
    assert response.status == 200
    assert "no-store" in response.headers["Cache-Control"]
    response, _ = browser.request("GET", "/dashboard/tasks/export.csv")
    assert "no-store" in response.headers["Cache-Control"]

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response, _ = browser.request(
        "POST", "/i18n/setlang/", {"csrfmiddlewaretoken": token, "language": "en", "next": "/"}
    )
    assert response.status == 302

    seen = {}
    for cookie in browser.set_cookies:
        for name, morsel in cookie.items():
            seen[name] = morsel
    assert {"csrftoken", "sessionid", "django_language"} <= set(seen)
    for name, morsel in seen.items():
        assert morsel["secure"], f"cookie {name} is not Secure"
    assert seen["sessionid"]["httponly"] and seen["django_language"]["httponly"]
    assert seen["sessionid"]["expires"] == ""  # ends with the browser
