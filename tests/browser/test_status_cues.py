"""Status is never told by colour alone, and a fresh browser asking for English still
gets the city's Korean."""

from playwright.sync_api import expect

from plans.models import KeyTask

# Six badges as the templates write them; each must differ from the others by its
# shape (the ::before icon) as well as by its colour, and pass axe's contrast check.
BADGES = """statuses => {
    const main = document.querySelector('main');
    return statuses.map(([status, label]) => {
        const badge = document.createElement('span');
        badge.className = `status-badge status-${status}`;
        badge.textContent = label;
        main.appendChild(badge);
        const icon = getComputedStyle(badge, '::before').content;
        return {status, icon, text: badge.innerText.trim()};
    });
}"""


def test_every_status_has_its_own_shape_and_words(page, live_server, city, axe_audit):
    page.goto(f"{live_server.url}/accounts/login/")
    statuses = [[value, str(label)] for value, label in KeyTask.Status.choices]
    badges = page.evaluate(BADGES, statuses)
    icons = [badge["icon"] for badge in badges]
    assert all(icon not in ("none", "normal", "") for icon in icons), badges
    assert len(set(icons)) == len(statuses), f"two statuses share a shape: {badges}"
    assert all(badge["text"] for badge in badges)
    axe_audit(page, "status badges")


def test_a_browser_set_to_english_still_opens_in_korean(browser, live_server, city):
    context = browser.new_context(locale="en-US", timezone_id="Asia/Seoul")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/")
        expect(page.locator("html")).to_have_attribute("lang", "ko")
        expect(page.locator(".skip-link")).to_have_text("본문 바로가기")
    finally:
        context.close()
