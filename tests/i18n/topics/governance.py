"""Pages of deadline changes, figures verified and published, comments and evidence, the queue."""

import datetime as dt

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
    # A waiting request withdrawn by its asker or their bureau head (the task page shows
    # the form and, after, the withdrawn request: build below gives it one of each).
    "plans:deadline_withdraw": not_html(
        "POST only: answers with the task page's body; "
        "tests/governance/test_withdrawing_a_deadline_change.py"
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
    """On finance_task's page: a request of its owner to move the task's deadline, waiting
    for the bureau head (the head decides or withdraws it, the owner withdraws it), and
    one to move a milestone's, withdrawn, so the page is walked with both."""
    from plans import deadlines
    from plans.models import KeyTask

    task = KeyTask.objects.get(pk=city.finance_task.pk)
    milestone = task.milestones.filter(done_on__isnull=True).order_by("order").first()
    withdrawn = deadlines.request_deadline_change(
        task,
        by=city.finance_staff,
        expected_version=task.version,
        new_due_date=milestone.due_date + dt.timedelta(days=14),
        reason="현장 점검 일정 조정",
        milestone=milestone,
    )
    deadlines.withdraw_deadline_change(withdrawn, by=city.finance_staff, reason="일정 재확인")
    task.refresh_from_db()
    city.deadline_change = deadlines.request_deadline_change(
        task,
        by=city.finance_staff,
        expected_version=task.version,
        new_due_date=task.due_date + dt.timedelta(days=20),
        reason="참여기업 모집 지연",
    )
