"""Every page passes the axe-core audit, in Korean and in English, on a 320 px phone and
a 1280 px desk screen, for each role that can open it.

The pages come from the URL walker (tests/i18n/pages.py): a page added on any branch is
audited as soon as it is registered there, and an unregistered one fails this test.
One browser, one signed-in context per role: each role signs in once through the real
form, then walks its pages in both languages at both widths (the language switches by
the language cookie, the width by resizing the same tab). Screenshots of every page at
both widths go to <output_dir>/screens/<url name>_<language>_<width>.png.
"""

from collections import defaultdict

from django.conf import settings

from tests.browser.axe import axe_violations, describe
from tests.i18n import pages
from tests.i18n.pages import build_walk_city

LANGUAGES = ("ko", "en")
WIDTHS = {320: 720, 1280: 900}

# Facts about the page the audit cannot know: the layout fits the width, the page says
# which language it is in, and a status badge always has words, not colour alone.
PAGE_FACTS = """() => ({
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    lang: document.documentElement.lang,
    mutedBadges: [...document.querySelectorAll('.status-badge')]
        .filter(badge => !badge.innerText.trim()).length,
    h1: document.querySelectorAll('h1').length,
})"""


def page_problems(page, language: str) -> list[str]:
    problems = []
    facts = page.evaluate(PAGE_FACTS)
    if facts["lang"] != language:
        problems.append(f"<html lang={facts['lang']!r}>")
    if facts["overflow"] > 0:
        problems.append(f"{facts['overflow']}px wider than the screen")
    if facts["mutedBadges"]:
        problems.append("a status badge without words")
    if facts["h1"] != 1:
        problems.append(f"{facts['h1']} h1 headings")
    violations = axe_violations(page)
    if violations:
        problems.append("axe-core:\n" + describe(violations))
    return problems


def test_every_page_passes_the_audit_in_both_languages_at_both_widths(
    browser, browser_context_args, live_server, city, sign_in, output_dir
):
    walk_city = build_walk_city(city)
    by_role = defaultdict(list)
    for page_to_check in pages.pages_to_check(walk_city):
        if not page_to_check.htmx:  # fragments are audited inside their page
            by_role[page_to_check.role].append(page_to_check)
    screens = output_dir / "screens"
    screens.mkdir(parents=True, exist_ok=True)

    # Screenshots of each page once (as the first role registered for it), both widths.
    shot_roles = {}
    for role, role_pages in by_role.items():
        for checked in role_pages:
            shot_roles.setdefault(checked.name, role)

    problems, audited = [], 0
    for role, role_pages in by_role.items():
        context = browser.new_context(**browser_context_args)
        try:
            page = context.new_page()
            user = pages.user_for(role, walk_city)
            if user is not None:
                sign_in(page, user)
            for language in LANGUAGES:
                context.add_cookies(
                    [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language,
                      "url": live_server.url}]
                )  # fmt: skip
                for checked in role_pages:
                    response = page.goto(live_server.url + checked.url)
                    if response is None or response.status != checked.status:
                        status = response and response.status
                        problems.append(f"{checked} [{language}]: HTTP {status}")
                        continue
                    # One load per page and language; the width changes by resizing the tab.
                    for width, height in WIDTHS.items():
                        where = f"{checked} [{language}, {width}px]"
                        page.set_viewport_size({"width": width, "height": height})
                        problems.extend(f"{where}: {p}" for p in page_problems(page, language))
                        if shot_roles[checked.name] == role:
                            name = checked.name.replace(":", "-")
                            page.screenshot(
                                path=screens / f"{name}_{language}_{width}.png", full_page=True
                            )
                        audited += 1
        finally:
            context.close()

    assert audited >= 2 * 2 * 4  # every language, width and page really walked
    assert not problems, "\n".join(problems)
