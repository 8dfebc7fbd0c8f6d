"""The discussion on a task page comes when the reader scrolls down to it."""

from playwright.sync_api import expect


def reach_the_thread(page):
    thread = page.locator("#discussion")
    thread.scroll_into_view_if_needed()
    expect(thread.locator("#comment-form")).to_be_visible()
    return thread
