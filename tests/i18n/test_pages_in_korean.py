"""Every page a person can open reads in Korean: no English left untranslated.

Walks the URL configuration (tests/i18n/pages.py): each pattern must be registered
with the roles that can open it; each page is rendered in Korean for each role and its
readable text checked by tests/i18n/untranslated.py."""

import pytest
from django.conf import settings

from tests.i18n import pages
from tests.i18n.untranslated import readable_text, untranslated

PATTERNS = pages.url_patterns()


def test_the_registry_names_no_page_that_is_gone():
    assert pages.stale_entries() == [], "remove or rename these entries in tests/i18n/pages.py"


@pytest.mark.parametrize("pattern", PATTERNS, ids=[p.name for p in PATTERNS])
def test_every_page_reads_in_korean(client, walk_city, pattern):
    try:
        to_check = pages.pages_for(pattern, walk_city)
    except pages.Unregistered as unregistered:
        pytest.fail(str(unregistered), pytrace=False)
    check_in_korean(client, walk_city, to_check)


@pytest.mark.parametrize("error_page", pages.ERROR_PAGES, ids=str)
def test_the_error_pages_read_in_korean(client, walk_city, error_page):
    check_in_korean(client, walk_city, [error_page])


def check_in_korean(client, walk_city, to_check):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    for page in to_check:
        client.logout()
        user = pages.user_for(page.role, walk_city)
        if user is not None:
            client.force_login(user)
        headers = {"HX-Request": "true"} if page.htmx else {}
        response = client.get(page.url, headers=headers)
        assert response.status_code == page.status, f"{page}: {response.status_code}"
        assert "text/html" in response["Content-Type"]
        html = response.content.decode()
        if not page.htmx:
            assert '<html lang="ko"' in html, page
        assert readable_text(html), f"{page} shows no text at all"
        findings = untranslated(html)
        assert not findings, f"{page} has English left:\n  " + "\n  ".join(findings)


@pytest.mark.parametrize(
    ("html", "finding"),
    [
        ("<p>Sign in</p>", "catalogue string 'Sign in'"),
        ('<button aria-label="Main navigation">≡</button>', "'Main navigation'"),
        ("<p>2024 work plan</p>", "'%(year)s work plan'"),
        # A plural with a count (the catalogue has several: '%(total)s key tasks', …).
        ("<h4>3 key tasks</h4>", ")s key tasks'"),
        ("<p>Nothing was marked for translation here</p>", "English phrase"),
    ],
)
def test_the_checker_catches_english(html, finding):
    findings = untranslated(f'<html lang="ko"><body>{html}</body></html>')
    assert findings and finding in findings[0]


@pytest.mark.parametrize(
    "html",
    [
        '<option value="en" lang="en">English</option>',
        "<script>const signIn = 'Sign in to continue';</script>",
        '<a class="status-done" href="/home/">홈</a>',
        "<p>BuTX · AI 인재 4,482명</p>",
        "<p>로그인</p>",
        # A signed link in a text email: its token once held the catalogue's "Id".
        "<pre>확인 링크 https://tracker.busan.example/reminders/acknowledge/"
        "MTA:1xYgM5:Id4lIV7zNOenc94uTqteAXLF11StG9IKWG14ljBHItk/</pre>",
        # The first characters of an API token, random too.
        "<p><code>bt_9no3Id…</code></p>",
    ],
)
def test_the_checker_leaves_korean_and_deliberate_english_alone(html):
    assert untranslated(f'<html lang="ko"><body>{html}</body></html>') == []
