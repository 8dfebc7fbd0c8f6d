"""The parts of a task page that come when the reader scrolls down to them: its history
and its discussion."""

from playwright.sync_api import expect


def _reach(page, element_id: str):
    # Scrolled to in the page itself: the placeholder may be swapped at any moment (when
    # it is already in view), which a locator's scroll would trip on.
    page.evaluate(f"() => document.getElementById('{element_id}').scrollIntoView()")
    return page.locator(f"#{element_id}")


def reach_the_thread(page):
    thread = _reach(page, "discussion")
    expect(thread.locator("#comment-form")).to_be_visible()
    return thread


def reach_the_history(page):
    """The task's latest changes, once loaded (the placeholder asks for them)."""
    _reach(page, "history")
    history = page.locator("#history:not([hx-get])")
    expect(history).to_be_attached()
    return history
