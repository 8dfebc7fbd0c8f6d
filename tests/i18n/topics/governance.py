"""Pages of deadline changes, figures verified and published, comments and evidence, the queue."""

from tests.i18n.entries import Page, not_html

PAGES: dict[str, Page] = {
    # Deadline changes (issue 12, item 1): asked and decided on the task page, whose
    # body they answer with (checked through plans:task_detail).
    "plans:task_deadline": not_html(
        "POST only: answers with the task page's body; tests/governance/test_deadlines.py"
    ),
    "plans:deadline_decide": not_html(
        "POST only: answers with the task page's body; tests/governance/test_deadline_access.py"
    ),
    # Figures (item 2): the mayor's office verifies and publishes on the task page.
    "plans:figure_verify": not_html(
        "POST only: answers with the task page's body; tests/governance/test_figures.py"
    ),
}


def build(city) -> None:
    """Objects these pages need in the walk city (none yet)."""
