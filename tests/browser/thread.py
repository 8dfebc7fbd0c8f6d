"""The discussion on a task page comes when the reader scrolls down to it."""

from playwright.sync_api import expect


def reach_the_thread(page):
    # Scrolled to in the page itself: the placeholder may be swapped for the thread at
    # any moment (when it is already in view), which a locator's scroll would trip on.
    page.evaluate("() => document.getElementById('discussion').scrollIntoView()")
    thread = page.locator("#discussion")
    expect(thread.locator("#comment-form")).to_be_visible()
    return thread
