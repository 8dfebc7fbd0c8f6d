"""Key tasks and their milestones as reminder subjects.

A key task's owner is reminded ahead of its deadline (or, with no active owner, the
head of its bureau); once overdue it is escalated to the nearest head, then to the
mayor's office, until someone acknowledges it. A milestone's reminders go to its task's
owner. Done and dropped tasks, done milestones and inactive people get nothing; the
deadline is part of each reminder's identity, so a moved deadline re-arms them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from plans.links import absolute_reverse
from plans.models import KeyTask, Milestone, WorkPlan

from .acknowledgements import acknowledged_deadlines, acknowledgement_url
from .models import ReminderLog
from .policy import Due, Policy, escalation_steps, pre_deadline_step, too_late
from .recipients import Organisation, Person, contact, owner_or_head
from .subjects import SubjectType

Kind = ReminderLog.Kind
TASK = "task"
MILESTONE = "milestone"


class TaskFacts(NamedTuple):
    """The fields of a key task the policy reads (a ``KeyTask`` works as well)."""

    pk: int
    due_date: dt.date
    status: str
    bureau_id: int
    owner: Person | None

    @property
    def is_closed(self) -> bool:
        return self.status in KeyTask.CLOSED_STATUSES


@dataclass(frozen=True)
class TaskSubject:
    """A key task as delivery needs it: the task, the nearest active head of its bureau
    (or above), and the deadlines whose escalation someone acknowledged."""

    task: KeyTask
    head: Any
    acknowledged_deadlines: frozenset[dt.date] = frozenset()


@dataclass(frozen=True)
class MilestoneSubject:
    milestone: Milestone
    head: Any


# --- what is due -------------------------------------------------------------------


def _owner_id(task: TaskFacts | KeyTask) -> int | None:
    return task.owner.pk if task.owner is not None else None


def task_reminders(
    task: TaskFacts | KeyTask,
    today: dt.date,
    policy: Policy,
    org: Organisation,
    acknowledged: Collection[tuple[int, dt.date]] = (),
) -> list[Due]:
    """What is due today for one key task: a reminder ahead of its deadline, or the
    escalations once it is overdue (until someone acknowledges them)."""
    if task.is_closed:
        return []
    due = []
    step = pre_deadline_step(task.due_date, today, policy)
    if step:
        recipient, role = owner_or_head(task, org)
        if recipient is not None:
            kind, send_on, why = step
            due.append(
                Due(TASK, task.pk, task.due_date, kind, recipient.pk, send_on, f"{role}: {why}")
            )
    if task.due_date < today and (task.pk, task.due_date) not in acknowledged:
        for kind, send_on, why in escalation_steps(task.due_date, today, policy):
            if kind == Kind.ESCALATION_HEAD:
                head = org.head_for(task.bureau_id, besides=_owner_id(task))
                recipients = [head] if head is not None else org.mayors_office
            else:
                recipients = org.mayors_office
            for recipient in recipients:
                due.append(Due(TASK, task.pk, task.due_date, kind, recipient.pk, send_on, why))
    return due


def milestone_reminders(
    milestone: Milestone, today: dt.date, policy: Policy, org: Organisation
) -> list[Due]:
    if milestone.is_done or milestone.task.is_closed:
        return []
    step = pre_deadline_step(milestone.due_date, today, policy)
    if not step:
        return []
    recipient, role = owner_or_head(milestone.task, org)
    if recipient is None:
        return []
    kind, send_on, why = step
    reason = f"{role}: milestone {why}"
    return [Due(MILESTONE, milestone.pk, milestone.due_date, kind, recipient.pk, send_on, reason)]


def _collect_tasks(today: dt.date, policy: Policy, org: Organisation) -> Iterable[Due]:
    acknowledged = acknowledged_deadlines(TASK)
    # Upcoming deadlines within the reminder horizon, and every overdue open task (an
    # escalation is due however long ago the deadline passed, until acknowledged).
    # Plain tuples, not model instances: the sweep reads thousands of rows.
    rows = (
        # Only tracked plans: next year's plan in preparation and closed years remind nobody.
        KeyTask.objects.tracked()
        .open()
        .filter(due_date__lte=today + dt.timedelta(days=policy.horizon_days))
        .values_list(
            "id", "due_date", "status", "bureau_id", "owner_id", "owner__is_active", "owner__email"
        )
        .order_by()
    )
    for pk, due_date, status, bureau_id, owner_id, active, email in rows.iterator(2000):
        owner = Person(owner_id, active, email) if owner_id else None
        task = TaskFacts(pk, due_date, status, bureau_id, owner)
        yield from task_reminders(task, today, policy, org, acknowledged)


def _collect_milestones(today: dt.date, policy: Policy, org: Organisation) -> Iterable[Due]:
    milestones = (
        Milestone.objects.filter(
            done_on__isnull=True,
            due_date__gte=today,
            due_date__lte=today + dt.timedelta(days=policy.horizon_days),
        )
        .exclude(task__status__in=KeyTask.CLOSED_STATUSES)
        .filter(task__plan__stage=WorkPlan.Stage.ADOPTED)
        .select_related("task__owner")
        .only(
            "id",
            "due_date",
            "done_on",
            "task__id",
            "task__status",
            "task__bureau_id",
            "task__owner__id",
            "task__owner__email",
            "task__owner__is_active",
        )
        .order_by()
    )
    for milestone in milestones.iterator(chunk_size=2000):
        yield from milestone_reminders(milestone, today, policy, org)


# --- delivering --------------------------------------------------------------------


def _load_tasks(ids: Collection[int], today: dt.date) -> dict[int, TaskSubject]:
    tasks = KeyTask.objects.filter(pk__in=ids).select_related(
        "sector", "bureau__head__profile__bureau", "owner__profile__bureau"
    )
    acknowledged = defaultdict(set)
    for pk, deadline in acknowledged_deadlines(TASK, ids):
        acknowledged[pk].add(deadline)
    org = Organisation.load()
    return {
        task.pk: TaskSubject(
            task,
            org.head_for(task.bureau_id, besides=task.owner_id),
            frozenset(acknowledged[task.pk]),
        )
        for task in tasks
    }


def _task_still_due(subject: TaskSubject, row: ReminderLog, today: dt.date) -> bool:
    task = subject.task
    if task.is_closed or task.due_date != row.deadline:
        return False
    if too_late(row, today):
        return False
    # An escalation stops once someone acknowledged it, even after this row was written.
    return not (row.is_escalation and row.deadline in subject.acknowledged_deadlines)


def _task_email(subject: TaskSubject, row: ReminderLog, today: dt.date) -> tuple[str, dict]:
    task = subject.task
    context = {
        "task": task,
        "deadline": row.deadline,
        "days_left": (row.deadline - today).days,
        "days_overdue": (today - row.deadline).days,
        "task_url": absolute_reverse("plans:task_detail", task.pk),
    }
    if row.is_escalation:
        context["owner"] = contact(task.owner)
        context["head"] = contact(subject.head)
        context["to_mayors_office"] = row.kind == Kind.ESCALATION_MAYORS_OFFICE
        context["acknowledge_url"] = acknowledgement_url(row)
        return "escalation", context
    # The owner's first contact is the head of their bureau, or of the one above it.
    context["contact"] = contact(subject.head)
    return "reminder", context


def _load_milestones(ids: Collection[int], today: dt.date) -> dict[int, MilestoneSubject]:
    milestones = Milestone.objects.filter(pk__in=ids).select_related(
        "task__sector", "task__bureau", "task__owner"
    )
    org = Organisation.load()
    return {
        m.pk: MilestoneSubject(m, org.head_for(m.task.bureau_id, besides=m.task.owner_id))
        for m in milestones
    }


def _milestone_still_due(subject: MilestoneSubject, row: ReminderLog, today: dt.date) -> bool:
    milestone = subject.milestone
    return (
        not milestone.is_done
        and not too_late(row, today)
        and milestone.due_date == row.deadline
        and not milestone.task.is_closed
    )


def _milestone_email(subject: MilestoneSubject, row: ReminderLog, today: dt.date):
    task = subject.milestone.task
    return "reminder", {
        "task": task,
        "milestone": subject.milestone,
        "deadline": row.deadline,
        "days_left": (row.deadline - today).days,
        "task_url": absolute_reverse("plans:task_detail", task.pk),
        "contact": contact(subject.head),
    }


TASKS = SubjectType(
    TASK, _collect_tasks, _load_tasks, _task_still_due, _task_email, digestible=True
)
MILESTONES = SubjectType(
    MILESTONE,
    _collect_milestones,
    _load_milestones,
    _milestone_still_due,
    _milestone_email,
    digestible=True,
)
