"""Deadline changes: the one place that decides who must approve a move of a key task's
or a milestone's due date, and when it takes effect.

- Every change carries a reason.
- The bureau head (of the task's bureau or a bureau above) and the mayor's office move a
  deadline at once when the move is small: at most ``DEADLINE_CHANGE_APPROVAL_DAYS``
  days (default 30) either way and not past the plan's year.
- A staff member's change needs the bureau head's approval; a larger move, or one past
  the plan's year, needs the mayor's office's as well (the head endorses it first when a
  staff member asked).
- Until approved, ``due_date`` keeps the old deadline, so overdue, reminders and
  escalation (``KeyTaskQuerySet``) go on reading the deadline in force: one rule.
- Until it is decided, the person who asked (or their bureau head) may withdraw a
  change, with a reason; it leaves the deciders' queue and stays on record as withdrawn.
- The request, each decision and a withdrawal are rows of the task's history, in the
  same transaction, and claim a new version of the task like any other change.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import permissions
from .models import DeadlineChange, KeyTask, Milestone, StatusUpdate
from .services import Change, _claim_version, _history_value, _record_history, _working_copy

Kind = StatusUpdate.Kind
Approver = DeadlineChange.Approver


def approval_days() -> int:
    return int(getattr(settings, "DEADLINE_CHANGE_APPROVAL_DAYS", 30))


def is_large_move(task: KeyTask, old: date, new: date) -> bool:
    """More than the threshold either way, or later than the plan's year."""
    past_year = new > old and new.year > task.sector.plan.year
    return abs((new - old).days) > approval_days() or past_year


def approval_route(task: KeyTask, *, by, old: date, new: date) -> tuple[str, str]:
    """(the last approval the change needs, who must decide first); ("", "") when the
    person asking may move the deadline at once."""
    large = is_large_move(task, old, new)
    if permissions.is_mayors_office(by):
        return Approver.NONE, Approver.NONE
    if permissions.can_manage_bureau(by, task.bureau):
        return (Approver.MAYORS_OFFICE,) * 2 if large else (Approver.NONE, Approver.NONE)
    needs = Approver.MAYORS_OFFICE if large else Approver.BUREAU_HEAD
    return needs, Approver.BUREAU_HEAD


def _check_date(task: KeyTask, new: date) -> None:
    if new < task.start_date:
        raise ValidationError({"new_due_date": _("The due date cannot be before the start date.")})


def closed_message(change: DeadlineChange) -> str:
    """Why a change can no longer be decided or withdrawn, in the reader's words."""
    if change.state == DeadlineChange.State.WITHDRAWN:
        who = change.decided_by.get_full_name() or change.decided_by.username
        return _("This deadline change was withdrawn by %(who)s; it no longer waits.") % {
            "who": who
        }
    return _("This deadline change has already been decided.")


def _locked(change: DeadlineChange) -> DeadlineChange:
    """The change read again under a row lock; ``ValidationError`` unless it still waits."""
    change = (
        DeadlineChange.objects.select_for_update(of=("self",))
        .select_related("milestone", "decided_by")
        .get(pk=change.pk)
    )
    if not change.is_pending:
        raise ValidationError(closed_message(change))
    return change


def _row(kind: str, change: DeadlineChange) -> Change:
    return Change(
        kind=kind,
        old=_history_value(change.old_due_date),
        new=_history_value(change.new_due_date),
        milestone=change.milestone,
    )


@transaction.atomic
def request_deadline_change(
    task: KeyTask,
    *,
    by,
    expected_version: int,
    new_due_date: date,
    reason: str,
    milestone: Milestone | None = None,
) -> DeadlineChange:
    """Ask to move the task's deadline (or ``milestone``'s). Applied at once when the
    person asking needs nobody's approval; otherwise it waits, and the old deadline
    stands. ``ValidationError`` without a reason, for an unchanged or impossible date,
    or while another change of the same deadline waits; ``EditConflict`` when the task
    moved on since ``expected_version``."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the deadline moves.")})
    current = _working_copy(task, expected_version)
    if milestone is not None and milestone.task_id != current.pk:
        raise ValidationError({"milestone": _("Choose one of this task's milestones.")})
    old = milestone.due_date if milestone is not None else current.due_date
    if new_due_date == old:
        raise ValidationError({"new_due_date": _("That is already the due date.")})
    _check_date(current, new_due_date)
    waiting = DeadlineChange.objects.pending().filter(task=current, milestone=milestone)
    if waiting.exists():
        raise ValidationError(
            _("A change of this deadline is already waiting for approval: it is decided first.")
        )
    needs, awaiting = approval_route(current, by=by, old=old, new=new_due_date)
    _claim_version(current, expected_version=expected_version, by=by, fields=[])
    change = DeadlineChange.objects.create(
        task=current,
        milestone=milestone,
        old_due_date=old,
        new_due_date=new_due_date,
        reason=reason,
        needs=needs,
        awaiting=awaiting,
        requested_by=by,
    )
    rows = [_row(Kind.DEADLINE_REQUEST, change)]
    if not awaiting:
        rows.append(_apply(current, change, by=by))
    _record_history(current, by=by, note=reason, rows=rows)
    return change


def _apply(current: KeyTask, change: DeadlineChange, *, by, note: str = "") -> Change:
    """Move the deadline (the task's version is already claimed) and close the change."""
    _check_date(current, change.new_due_date)
    if change.milestone_id:
        milestone = Milestone.objects.select_for_update().get(pk=change.milestone_id)
        # A row written in bulk adopts, at its first move, the date it had.
        milestone.baseline_due_date = milestone.baseline_due_date or change.old_due_date
        milestone.due_date = change.new_due_date
        milestone.deadline_moves += 1
        milestone.save(update_fields=["due_date", "deadline_moves", "baseline_due_date"])
        change.milestone = milestone
    else:
        current.baseline_due_date = current.baseline_due_date or change.old_due_date
        current.due_date = change.new_due_date
        current.deadline_moves += 1
        KeyTask.objects.filter(pk=current.pk).update(
            due_date=current.due_date,
            deadline_moves=current.deadline_moves,
            baseline_due_date=current.baseline_due_date,
        )
    change.state = DeadlineChange.State.APPROVED
    change.awaiting = Approver.NONE
    change.decided_by = by
    change.decided_at = timezone.now()
    change.decision_note = note
    change.save(update_fields=["state", "awaiting", "decided_by", "decided_at", "decision_note"])
    return _row(Kind.DEADLINE_APPROVED, change)


@transaction.atomic
def decide_deadline_change(
    change: DeadlineChange, *, by, approve: bool, note: str = ""
) -> DeadlineChange:
    """The decision of whoever the change awaits (ask ``permissions`` first). A bureau
    head's approval of a change that also needs the mayor's office passes it on; the
    last approval moves the deadline; a refusal closes it and the old deadline stays."""
    change = _locked(change)
    note = note.strip()[:500]
    current = (
        KeyTask.objects.select_for_update(of=("self",))
        .select_related("bureau", "plan")
        .get(pk=change.task_id)
    )
    if not permissions.can_approve_as(by, current, change.awaiting):
        raise ValidationError(_("This deadline change awaits someone else's decision."))
    _claim_version(current, expected_version=current.version, by=by, fields=[])
    if not approve:
        change.state = DeadlineChange.State.DECLINED
        change.awaiting = Approver.NONE
        change.decided_by, change.decided_at, change.decision_note = by, timezone.now(), note
        change.save(
            update_fields=["state", "awaiting", "decided_by", "decided_at", "decision_note"]
        )
        row = _row(Kind.DEADLINE_DECLINED, change)
    elif (
        change.awaiting == Approver.BUREAU_HEAD
        and change.needs == Approver.MAYORS_OFFICE
        and not permissions.is_mayors_office(by)
    ):
        change.awaiting = Approver.MAYORS_OFFICE
        change.endorsed_by, change.endorsed_at = by, timezone.now()
        change.save(update_fields=["awaiting", "endorsed_by", "endorsed_at"])
        row = _row(Kind.DEADLINE_ENDORSED, change)
    else:
        row = _apply(current, change, by=by, note=note)
    _record_history(current, by=by, note=note, rows=[row])
    return change


@transaction.atomic
def withdraw_deadline_change(change: DeadlineChange, *, by, reason: str) -> DeadlineChange:
    """The person who asked for a change, or their bureau head, takes it back before it
    is decided: the deadline stays as it is, the change leaves the deciders' queue and
    stays on record as withdrawn (who, when, why), and the task's history says so.
    ``ValidationError`` without a reason, for a change already decided or withdrawn, or
    for someone else."""
    reason = reason.strip()[:500]
    if not reason:
        raise ValidationError({"reason": _("Say why the request is withdrawn.")})
    change = _locked(change)
    current = KeyTask.objects.select_for_update().select_related("bureau").get(pk=change.task_id)
    change.task = current
    if not permissions.can_withdraw_deadline_change(by, change):
        raise ValidationError(
            _("Only the person who asked for this change, or their bureau head, may withdraw it.")
        )
    _claim_version(current, expected_version=current.version, by=by, fields=[])
    change.state = DeadlineChange.State.WITHDRAWN
    change.awaiting = Approver.NONE
    change.decided_by, change.decided_at, change.decision_note = by, timezone.now(), reason
    change.save(update_fields=["state", "awaiting", "decided_by", "decided_at", "decision_note"])
    _record_history(current, by=by, note=reason, rows=[_row(Kind.DEADLINE_WITHDRAWN, change)])
    return change
