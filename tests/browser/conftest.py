"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import os
import shutil
from pathlib import Path

import pytest

from tests.browser.ime import KoreanIME
from tests.conftest import missing

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests
# make between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Without this Chromium still tries to reach Google's hosts from a closed network.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        missing(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # bypass_csp lets the axe audit inject its script; the Content-Security-Policy itself
    # is checked with it on, in contexts of its own (test_content_security_policy.py).
    return {
        **browser_context_args,
        "locale": "ko-KR",
        "timezone_id": "Asia/Seoul",
        "bypass_csp": True,
    }


@pytest.fixture
def sign_in(live_server):
    """Sign a page in through the real sign-in form."""

    def sign_in(page, user, password="password"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("input[name=username]").fill(user.username)
        page.locator("input[name=password]").fill(password)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/**")
        return page

    return sign_in


@pytest.fixture
def korean_ime():
    """``korean_ime(page)``: a Korean input method driven through CDP (tests/browser/ime.py)."""
    return KoreanIME


# The accessibility audit (tests/browser/axe.py), for every browser test.
from tests.browser.axe import axe_audit  # noqa: E402, F401
