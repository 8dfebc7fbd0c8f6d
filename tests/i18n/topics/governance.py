"""Pages of deadline changes, figures verified and published, comments and evidence, the queue."""

from tests.i18n.entries import Page, not_html, page

PAGES: dict[str, Page] = {
    # Deadline changes (issue 12, item 1): asked and decided on the task page, whose
    # body they answer with (checked through plans:task_detail).
    "plans:task_deadline": not_html(
        "POST only: answers with the task page's body; tests/governance/test_deadlines.py"
    ),
    "plans:deadline_decide": not_html(
        "POST only: answers with the task page's body; tests/governance/test_deadline_access.py"
    ),
    # The queue (item 5): the first page after sign-in, its count in the navigation (an
    # HTMX fragment) and the actions beside each item.
    "inbox:queue": page("finance_staff", "economy_head", "mayors_office"),
    # The walk city has a bureau figure waiting to be verified: the count shows it.
    "inbox:count": page("mayors_office", htmx=True),
    "inbox:act": not_html(
        "POST only: answers with the item's outcome; tests/governance/test_queue.py"
    ),
    # Figures (item 2): the mayor's office verifies and publishes on the task page.
    "plans:figure_verify": not_html(
        "POST only: answers with the task page's body; tests/governance/test_figures.py"
    ),
}


def build(city) -> None:
    """Objects these pages need in the walk city (none yet)."""
