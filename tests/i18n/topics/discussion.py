"""Pages of comments and evidence on key tasks (issue 12 item 3): the thread on its own
page and as the task page's fragment; writes and downloads answered elsewhere. And each
person's email settings (item 6: a daily digest or one email for each reminder)."""

from tests.i18n.entries import Page, not_html, page

PAGES: dict[str, Page] = {
    "discussion:thread": page(
        "finance_staff",
        "economy_head",
        "mayors_office",
        fragment=True,
        kwargs=lambda c: {"pk": c.finance_task.pk},
    ),
    "discussion:comment": not_html(
        "POST only: answers with the thread (checked through discussion:thread) or a redirect"
    ),
    "discussion:withdraw_comment": not_html("POST only: answers with the thread or a redirect"),
    "discussion:withdraw_file": not_html("POST only: answers with the thread or a redirect"),
    "reminders:notifications": page("finance_staff", "economy_head", "mayors_office"),
    "discussion:file": not_html(
        "a download (Content-Disposition: attachment): tests/discussion/test_url_roles.py"
    ),
}


def build(city) -> None:
    """Objects these pages need in the walk city (none: the thread reads finance_task)."""
