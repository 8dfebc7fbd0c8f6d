"""Who may do what with next year's plan, built on the roles of ``plans.permissions``
(the one place that says who is the mayor's office, a bureau head or staff).

- the mayor's office opens next year's plan, carries tasks over, sets the deadline,
  reads every submission, returns or accepts it, adopts and closes plans;
- a bureau head drafts and submits the submission of a bureau they head (or one under
  it) and delegates drafting to staff; a delegate drafts with them (but does not submit);
- every city user sees which years exist; anonymous visitors see none of it.
"""

from __future__ import annotations

from django.db.models import QuerySet

from plans.models import WorkPlan
from plans.permissions import (
    can_manage_bureau,
    can_view_plan,
    headed_subtree_ids,
    is_bureau_head,
    is_mayors_office,
    require,
)

from .models import Submission

__all__ = [
    "can_delegate",
    "can_draft",
    "can_prepare_plans",
    "can_read_submission",
    "can_review_submissions",
    "can_submit",
    "can_view_years",
    "require",
    "returned_to_revise",
    "submissions_to_decide",
]


def can_view_years(user) -> bool:
    return can_view_plan(user)


def can_prepare_plans(user) -> bool:
    """Open next year's plan, carry over, set the deadline, adopt, close."""
    return is_mayors_office(user)


can_review_submissions = can_prepare_plans


def _is_delegate(user, submission: Submission | None) -> bool:
    if submission is None or submission.pk is None or not can_view_plan(user):
        return False
    # Read from the delegates already loaded when the submission came with them (a
    # session's presenting bureaus), so the check costs no query per bureau.
    return any(person.pk == user.pk for person in submission.delegates.all())


def can_read_submission(user, bureau, submission: Submission | None) -> bool:
    return (
        is_mayors_office(user) or can_manage_bureau(user, bureau) or _is_delegate(user, submission)
    )


def can_draft(user, bureau, submission: Submission | None) -> bool:
    """Write the bureau's drafts (whatever the state; the state says whether now)."""
    return can_manage_bureau(user, bureau) or _is_delegate(user, submission)


def can_submit(user, bureau) -> bool:
    """Only the bureau's head (or a head above it) answers for the submission."""
    return can_manage_bureau(user, bureau)


can_delegate = can_submit


# --- what waits for whom (the queue) -------------------------------------------------


def submissions_to_decide(user) -> QuerySet[Submission]:
    """Submissions waiting for the mayor's office's decision: submitted, of a plan still
    in preparation. Nothing for anyone else."""
    if not can_review_submissions(user):
        return Submission.objects.none()
    return Submission.objects.filter(
        state=Submission.State.SUBMITTED, plan__stage=WorkPlan.Stage.PREPARATION
    )


def returned_to_revise(user) -> QuerySet[Submission]:
    """Submissions the mayor's office returned to bureaus this user answers for (heads
    of the bureau or a bureau above, ``can_submit``), of a plan still in preparation."""
    if not is_bureau_head(user):
        return Submission.objects.none()
    return Submission.objects.filter(
        state=Submission.State.RETURNED,
        plan__stage=WorkPlan.Stage.PREPARATION,
        bureau_id__in=headed_subtree_ids(user),
    )
