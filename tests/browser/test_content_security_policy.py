"""Every page keeps to its Content-Security-Policy in a real Chromium with the policy
on: no violation is reported while each role opens every page (tests/i18n/pages.py)
and while a bureau head edits a task in place with htmx (swaps, the in-row form, the
task page's edit). A violation would be a blocked script or style: a broken page."""

from collections import defaultdict

from playwright.sync_api import expect

from tests.i18n import pages
from tests.i18n.pages import build_walk_city

# Collects the page's violation reports from the first byte (an init script is not
# subject to the policy).
LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')
    + ' ' + (e.sourceFile || '') + ':' + (e.lineNumber || ''));
});
"""


def open_context(browser, browser_context_args):
    context = browser.new_context(**{**browser_context_args, "bypass_csp": False})
    context.add_init_script(LISTEN)
    return context


def violations(page, console) -> list[str]:
    found = page.evaluate("() => window.__cspViolations || []")
    return found + [text for text in console if "Content Security Policy" in text]


def test_no_page_breaks_its_content_security_policy(
    browser, browser_context_args, live_server, city, sign_in
):
    walk_city = build_walk_city(city)
    by_role = defaultdict(list)
    for checked in pages.pages_to_check(walk_city):
        if not checked.htmx:
            by_role[checked.role].append(checked)
    problems, visited = [], 0
    for role, role_pages in by_role.items():
        context = open_context(browser, browser_context_args)
        try:
            page = context.new_page()
            console = []
            page.on("console", lambda message, console=console: console.append(message.text))
            user = pages.user_for(role, walk_city)
            if user is not None:
                sign_in(page, user)
            for checked in role_pages:
                console.clear()
                response = page.goto(live_server.url + checked.url)
                assert response is not None
                assert response.headers.get("content-security-policy"), checked
                problems += [f"{checked}: {v}" for v in violations(page, console)]
                visited += 1
        finally:
            context.close()
    assert visited >= 10
    assert not problems, "\n".join(problems)


def test_editing_in_place_with_htmx_keeps_to_the_policy(
    browser, browser_context_args, live_server, city, sign_in
):
    task = city.finance_task
    context = open_context(browser, browser_context_args)
    try:
        page = context.new_page()
        console = []
        page.on("console", lambda message: console.append(message.text))
        sign_in(page, city.economy_head)
        page.goto(f"{live_server.url}/tasks/mine/")
        page.locator(f"#task-{task.pk} td.update-cell a.btn").click()
        row = page.locator(f"#task-{task.pk}")
        row.locator(f"#task-{task.pk}-progress").fill("65")
        row.locator("button[type=submit]").click()
        expect(row.locator(".saved-cue")).to_be_visible()
        expect(row.locator("svg.progress-bar rect")).to_have_attribute("width", "65")
        page.goto(f"{live_server.url}/tasks/{task.pk}/")
        page.locator("#task-body form button[type=submit]").first.click()
        expect(page.locator("#task-body")).to_be_visible()
        assert violations(page, console) == []
    finally:
        context.close()


def test_the_listener_reports_a_blocked_inline_style(browser, browser_context_args, live_server):
    context = open_context(browser, browser_context_args)
    try:
        page = context.new_page()
        page.route(
            "**/csp-probe/",
            lambda route: route.fulfill(
                body="<!doctype html><p style='color: red'>x</p>",
                headers={
                    "Content-Type": "text/html",
                    "Content-Security-Policy": "style-src 'self'",
                },
            ),
        )
        page.goto(f"{live_server.url}/csp-probe/")
        page.wait_for_function("() => window.__cspViolations.length > 0", timeout=5000)
        assert violations(page, [])[0].startswith("style-src")
    finally:
        context.close()
