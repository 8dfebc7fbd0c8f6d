"""The inbox's own kinds of item, each read from the area it belongs to and acted on
through that area's services and permissions (never a rule of its own):

- update: my key tasks that are overdue or not updated in ``QUEUE_STALE_DAYS`` days;
  my bureau's plan submission returned by the mayor's office (``planning``, its heads);
- approve: deadline changes awaiting me (``plans.deadlines``), the bureaus' figures to
  verify (``plans.measurements``, the mayor's office), the bureaus' plan submissions
  waiting for a decision (``planning``, the mayor's office: accept, or return with a
  comment);
- acknowledge: escalations sent to me that nobody has acknowledged yet
  (``reminders.acknowledgements``);
- answer: comments that mention me and that I have not answered (``discussion``).

Each kind also names its marks (``QueueKind.marks``), so that a queue read again before
anything changed comes from the cache.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from discussion import selectors as discussion
from discussion import services as discussion_services
from discussion.models import Comment, Mention
from planning import permissions as planning_permissions
from planning import selectors as planning_selectors
from planning import services as planning_services
from planning.models import StageChange, Submission, SubmissionEvent
from plans import dates, deadlines, formatting, permissions, services
from plans.models import (
    DeadlineChange,
    KeyTask,
    KeyTaskQuerySet,
    Measurement,
    StatusUpdate,
    WorkPlan,
)
from reminders import acknowledgements
from reminders.key_tasks import TASK
from reminders.models import ReminderLog

from .registry import Action, Group, Item, Mark, QueueKind, register


def stale_days() -> int:
    return int(getattr(settings, "QUEUE_STALE_DAYS", 14))


def _date(day: date) -> str:
    return formatting.long_date(day, get_language())


# --- what the kinds change with ---------------------------------------------------------
# Counts and last ids of rows that are only ever added (never deleted), so each moves
# with every change it stands for. What only the admin changes (a person's name, a
# bureau's) shows when the cached queue expires (``inbox.selectors``).


def _table(model) -> str:
    return model._meta.db_table


def _key_tasks_changed(user) -> list[Mark]:
    """Every change to a key task, a milestone or a deadline change through the product
    writes a row of the task's history (``plans.services``, ``plans.deadlines``); a new
    key task is a new row."""
    return [
        (f"SELECT MAX(id) FROM {_table(StatusUpdate)}", ()),
        (f"SELECT MAX(id) FROM {_table(KeyTask)}", ()),
    ]


def _plans_moved(user) -> list[Mark]:
    """Which plans are in preparation and which are closed: a plan's stage moves one
    way, each move recorded."""
    return [
        (f"SELECT COUNT(*) FROM {_table(WorkPlan)}", ()),
        (f"SELECT MAX(id) FROM {_table(StageChange)}", ()),
    ]


def _submissions_changed(user) -> list[Mark]:
    """Every change to a submission or its drafts moves its version (``planning.services``)."""
    return [
        (f"SELECT COUNT(*) FROM {_table(Submission)}", ()),
        (f"SELECT SUM(version) FROM {_table(Submission)}", ()),
        (f"SELECT MAX(id) FROM {_table(SubmissionEvent)}", ()),
        *_plans_moved(user),
    ]


def _escalations_changed(user) -> list[Mark]:
    """Escalations to this person, those sent (``sent_at`` is set once, when sent) and the
    acknowledgements of their deadlines by anyone (``acknowledged_at`` is set once)."""
    logs = _table(ReminderLog)
    return [
        (f"SELECT COUNT(*) FROM {logs} WHERE recipient_id = %s", (user.pk,)),
        (f"SELECT COUNT(sent_at) FROM {logs} WHERE recipient_id = %s", (user.pk,)),
        (
            f"SELECT COUNT(other.acknowledged_at) FROM {logs} mine JOIN {logs} other"
            " ON other.subject_type = mine.subject_type AND other.subject_id = mine.subject_id"
            " AND other.deadline = mine.deadline WHERE mine.recipient_id = %s",
            (user.pk,),
        ),
        *_key_tasks_changed(user),
    ]


def _mentions_changed(user) -> list[Mark]:
    """Mentions of this person, the mentioning comments withdrawn (once) and what this
    person wrote (an answer)."""
    mentions, comments = _table(Mention), _table(Comment)
    return [
        (f"SELECT COUNT(*) FROM {mentions} WHERE person_id = %s", (user.pk,)),
        (
            f"SELECT COUNT(comment.withdrawn_at) FROM {mentions} mention JOIN {comments} comment"
            " ON comment.id = mention.comment_id WHERE mention.person_id = %s",
            (user.pk,),
        ),
        (f"SELECT COUNT(*) FROM {comments} WHERE author_id = %s", (user.pk,)),
        *_key_tasks_changed(user),
    ]


# --- update: my tasks that need an update ---------------------------------------------


def _tasks_to_update(user, today: date):
    stale_before = dates.start_of(today - timedelta(days=stale_days()))
    condition = KeyTaskQuerySet.overdue_q(today) | (
        KeyTaskQuerySet.open_q() & Q(updated_at__lt=stale_before)
    )
    return permissions.editable_tasks(user).filter(condition)


def _task_items(user, today: date, limit: int) -> list[Item]:
    tasks = (
        _tasks_to_update(user, today)
        .select_related("bureau")
        .only(
            "code",
            "title_ko",
            "title_en",
            "status",
            "due_date",
            "updated_at",
            "bureau__name_ko",
            "bureau__name_en",
        )
        .order_by("due_date", "code")
    )
    items = []
    for task in tasks[:limit]:
        if task.is_overdue(today):
            detail = _("Overdue since %(date)s (%(days)s days)") % {
                "date": _date(task.due_date),
                "days": task.days_overdue(today),
            }
        else:
            detail = _("Not updated since %(date)s") % {
                "date": _date(dates.seoul_day(task.updated_at))
            }
        items.append(
            Item(
                pk=task.pk,
                title=f"{task.code} {task.title}",
                detail=f"{task.bureau.name} · {detail}",
                url=reverse("plans:task_detail", args=[task.pk]),
                actions=[Action("checked", _("Checked: no change"))],
                takes_note=True,
            )
        )
    return items


def _act_on_task(user, pk: int, action: str, note: str) -> str:
    task = KeyTask.objects.select_related("bureau", "plan").get(pk=pk)
    if action != "checked":
        raise PermissionDenied
    permissions.require(permissions.can_edit_task(user, task), plan=task.plan)
    services.update_key_task(
        task,
        by=user,
        expected_version=task.version,
        note=note.strip() or _("Checked: no change."),
    )
    return _("%(code)s: recorded as checked.") % {"code": task.code}


TASKS_TO_UPDATE = QueueKind(
    name="tasks",
    group=Group.UPDATE,
    title=gettext_lazy("Key tasks to update"),
    concerns=permissions.can_view_plan,
    count=lambda user, today: _tasks_to_update(user, today).count(),
    items=_task_items,
    act=_act_on_task,
    empty=gettext_lazy("Your key tasks are up to date."),
    marks=lambda user: [*_key_tasks_changed(user), *_plans_moved(user)],
)


# --- approve: deadline changes --------------------------------------------------------


def _deadline_items(user, today: date, limit: int) -> list[Item]:
    changes = permissions.deadline_changes_to_decide(user).select_related(
        "task", "milestone", "requested_by"
    )
    items = []
    for change in changes.order_by("requested_at", "id")[:limit]:
        task = change.task
        what = (
            _("Milestone “%(title)s”") % {"title": change.milestone.title}
            if change.milestone_id
            else _("The key task")
        )
        who = change.requested_by.get_full_name() or change.requested_by.username
        items.append(
            Item(
                pk=change.pk,
                title=f"{task.code} {task.title}",
                detail=(
                    f"{what}: {_date(change.old_due_date)} → {_date(change.new_due_date)} · {who}"
                ),
                quote=change.reason,
                url=reverse("plans:task_detail", args=[task.pk]),
                actions=[
                    Action("approve", _("Approve"), primary=True),
                    Action("decline", _("Decline")),
                ],
                takes_note=True,
            )
        )
    return items


def _act_on_deadline(user, pk: int, action: str, note: str) -> str:
    change = DeadlineChange.objects.select_related("task__bureau", "task__plan", "decided_by").get(
        pk=pk
    )
    if action not in ("approve", "decline"):
        raise PermissionDenied
    if not change.is_pending:
        # Withdrawn by its asker (or decided by someone else) since the queue was shown.
        if not permissions.can_view_task(user, change.task):
            raise PermissionDenied
        raise ValidationError(deadlines.closed_message(change))
        raise PermissionDenied
    permissions.require(permissions.can_decide_deadline_change(user, change), plan=change.task.plan)
    decided = deadlines.decide_deadline_change(
        change, by=user, approve=action == "approve", note=note
    )
    if decided.is_pending:
        return _("%(code)s: endorsed, now awaiting the mayor's office.") % {
            "code": change.task.code
        }
    return _("%(code)s: %(state)s.") % {
        "code": change.task.code,
        "state": decided.get_state_display(),
    }


DEADLINES_TO_DECIDE = QueueKind(
    name="deadlines",
    group=Group.APPROVE,
    title=gettext_lazy("Deadline changes to decide"),
    concerns=lambda user: permissions.is_mayors_office(user) or permissions.is_bureau_head(user),
    count=lambda user, today: permissions.deadline_changes_to_decide(user).count(),
    items=_deadline_items,
    act=_act_on_deadline,
    empty=gettext_lazy("No deadline change is waiting for you."),
    # Every request, endorsement, decision and withdrawal is in the task's history.
    marks=lambda user: [*_key_tasks_changed(user), *_plans_moved(user)],
)


# --- approve: figures to verify -------------------------------------------------------


def _figure_items(user, today: date, limit: int) -> list[Item]:
    figures = permissions.figures_to_verify(user).select_related("indicator", "recorded_by")
    items = []
    for figure in figures.order_by("recorded_at", "id")[:limit]:
        indicator = figure.indicator
        by = figure.recorded_by
        who = (by.get_full_name() or by.username) if by else ""
        items.append(
            Item(
                pk=figure.pk,
                title=f"{indicator.code} {indicator.name}",
                detail=" · ".join(
                    part
                    for part in (
                        _date(figure.as_of),
                        formatting.quantity(figure.value, indicator.unit, get_language()),
                        who,
                    )
                    if part
                ),
                quote=figure.note,
                url=reverse("plans:task_detail", args=[indicator.task_id])
                if indicator.task_id
                else "",
                actions=[Action("verify", _("Verify and publish"), primary=True)],
            )
        )
    return items


def _act_on_figure(user, pk: int, action: str, note: str) -> str:
    if action != "verify" or not permissions.can_verify_figures(user):
        raise PermissionDenied
    figure = Measurement.objects.select_related("indicator__plan").get(pk=pk)
    plan = figure.indicator.plan
    permissions.require(permissions.can_verify_figures(user, plan), plan=plan)
    figure = services.verify_figure(figure, by=user)
    return _("%(code)s: the figure for %(date)s is published.") % {
        "code": figure.indicator.code,
        "date": _date(figure.as_of),
    }


FIGURES_TO_VERIFY = QueueKind(
    name="figures",
    group=Group.APPROVE,
    title=gettext_lazy("Figures to verify and publish"),
    concerns=permissions.can_verify_figures,
    count=lambda user, today: permissions.figures_to_verify(user).count(),
    items=_figure_items,
    act=_act_on_figure,
    empty=gettext_lazy("No figure is waiting to be verified."),
    # No marks: a provisional figure's value and state change in place, and verifying a
    # figure of the plan's own indicators leaves no row behind; read every time.
)


# --- approve: plan submissions; update: a returned submission -----------------------------


def _submission_title(submission: Submission) -> str:
    return _("%(bureau)s: the %(year)s plan") % {
        "bureau": submission.bureau.name,
        "year": submission.plan.year,
    }


def _submission_url(submission: Submission) -> str:
    return reverse("planning:submission", args=[submission.plan.year, submission.bureau.code])


def _drafts(count: int) -> str:
    return ngettext("%(count)s key task", "%(count)s key tasks", count) % {"count": count}


def _submission_items(user, today: date, limit: int) -> list[Item]:
    submissions = planning_selectors.for_the_queue(
        planning_permissions.submissions_to_decide(user), SubmissionEvent.Kind.SUBMITTED
    )
    items = []
    for submission in submissions[:limit]:
        submitted = (
            _("Submitted on %(date)s") % {"date": _date(dates.seoul_day(submission.event_at))}
            if submission.event_at
            else str(Submission.State.SUBMITTED.label)
        )
        items.append(
            Item(
                pk=submission.pk,
                title=_submission_title(submission),
                detail=f"{submitted} · {_drafts(submission.drafts)}",
                url=_submission_url(submission),
                actions=[
                    Action("accept", _("Accept"), primary=True),
                    Action("return", _("Return with the comment")),
                ],
                takes_note=True,
            )
        )
    return items


def _act_on_submission(user, pk: int, action: str, note: str) -> str:
    if action not in ("accept", "return") or not planning_permissions.can_review_submissions(user):
        raise PermissionDenied
    # Decided meanwhile (or not the mayor's office's to decide): no longer in the queue.
    submission = (
        planning_permissions.submissions_to_decide(user).select_related("plan", "bureau").get(pk=pk)
    )
    try:
        moved = planning_services.move_submission(
            by=user, submission=submission, move=action, version=submission.version, comment=note
        )
    except planning_services.SubmissionConflict:
        raise ValidationError(
            _("Someone else changed this submission meanwhile: read it again.")
        ) from None
    return _("%(title)s: %(state)s.") % {
        "title": _submission_title(submission),
        "state": moved.get_state_display(),
    }


SUBMISSIONS_TO_DECIDE = QueueKind(
    name="submissions",
    group=Group.APPROVE,
    title=gettext_lazy("Plan submissions to decide"),
    concerns=planning_permissions.can_review_submissions,
    count=lambda user, today: planning_permissions.submissions_to_decide(user).count(),
    items=_submission_items,
    act=_act_on_submission,
    empty=gettext_lazy("No bureau's plan is waiting for a decision."),
    marks=_submissions_changed,
)


def _returned_items(user, today: date, limit: int) -> list[Item]:
    submissions = planning_selectors.for_the_queue(
        planning_permissions.returned_to_revise(user), SubmissionEvent.Kind.RETURNED
    )
    items = []
    for submission in submissions[:limit]:
        returned = (
            _("Returned on %(date)s: revise the drafts and submit again.")
            % {"date": _date(dates.seoul_day(submission.event_at))}
            if submission.event_at
            else _("Returned: revise the drafts and submit again.")
        )
        items.append(
            Item(
                pk=submission.pk,
                title=_submission_title(submission),
                detail=f"{returned} · {_drafts(submission.drafts)}",
                url=_submission_url(submission),
                quote=submission.event_comment or "",
            )
        )
    return items


def _act_on_returned(user, pk: int, action: str, note: str) -> str:
    # Revising happens on the submission's page (the item links there): nothing to do here.
    raise PermissionDenied


RETURNED_SUBMISSIONS = QueueKind(
    name="returned-submissions",
    group=Group.UPDATE,
    title=gettext_lazy("Plan submissions returned to revise"),
    concerns=permissions.is_bureau_head,
    count=lambda user, today: planning_permissions.returned_to_revise(user).count(),
    items=_returned_items,
    act=_act_on_returned,
    empty=gettext_lazy("No submission of your bureaus is waiting to be revised."),
    marks=_submissions_changed,
)


# --- acknowledge: escalations -----------------------------------------------------------


def _escalations(user):
    """Escalations of key tasks sent to this person that nobody has acknowledged."""
    answered = acknowledgements.acknowledged(TASK).filter(
        subject_id=OuterRef("subject_id"), deadline=OuterRef("deadline")
    )
    return ReminderLog.objects.filter(
        recipient=user,
        subject_type=TASK,
        kind__in=ReminderLog.ESCALATIONS,
        state=ReminderLog.State.SENT,
    ).exclude(Exists(answered))


def _escalation_items(user, today: date, limit: int) -> list[Item]:
    rows = list(_escalations(user).order_by("deadline", "id")[:limit])
    tasks = KeyTask.objects.in_bulk({row.subject_id for row in rows})
    items = []
    for row in rows:
        task = tasks.get(row.subject_id)
        if task is None:
            continue
        items.append(
            Item(
                pk=row.pk,
                title=f"{task.code} {task.title}",
                detail=_("Overdue since %(date)s (%(days)s days)")
                % {"date": _date(row.deadline), "days": (today - row.deadline).days},
                url=reverse("plans:task_detail", args=[task.pk]),
                actions=[Action("acknowledge", _("Acknowledge"), primary=True)],
            )
        )
    return items


def _act_on_escalation(user, pk: int, action: str, note: str) -> str:
    row = _escalations(user).get(pk=pk)
    task = KeyTask.objects.select_related("bureau").get(pk=row.subject_id)
    if action != "acknowledge" or not permissions.can_acknowledge_escalation(user, task):
        raise PermissionDenied
    acknowledgements.acknowledge(row, by=user)
    return _("%(code)s: the escalation is acknowledged and stopped.") % {"code": task.code}


ESCALATIONS = QueueKind(
    name="escalations",
    group=Group.ACKNOWLEDGE,
    title=gettext_lazy("Escalations to acknowledge"),
    concerns=permissions.can_view_plan,
    count=lambda user, today: _escalations(user).count(),
    items=_escalation_items,
    act=_act_on_escalation,
    empty=gettext_lazy("No escalation is waiting for you."),
    marks=_escalations_changed,
)


# --- answer: mentions in comments ------------------------------------------------------


def _mention_items(user, today: date, limit: int) -> list[Item]:
    mentions = (
        discussion.mentions_to_answer(user)
        .select_related("comment__task", "comment__author")
        .order_by("comment__created_at", "id")[:limit]
    )
    items = []
    for mention in mentions:
        comment, task = mention.comment, mention.comment.task
        author = comment.author.get_full_name() or comment.author.username
        items.append(
            Item(
                pk=mention.pk,
                title=f"{task.code} {task.title}",
                detail=_("%(author)s mentioned you on %(date)s")
                % {"author": author, "date": _date(dates.seoul_day(comment.created_at))},
                url=reverse("plans:task_detail", args=[task.pk]) + f"#comment-{comment.pk}",
                quote=comment.body[:300],
                actions=[Action("answer", _("Answer"), primary=True)],
                takes_note=True,
            )
        )
    return items


def _act_on_mention(user, pk: int, action: str, note: str) -> str:
    mention = discussion.mentions_to_answer(user).select_related("comment__task").get(pk=pk)
    if action != "answer":
        raise PermissionDenied
    discussion_services.answer_mention(mention, by=user, body=note)
    return _("%(code)s: your answer is posted.") % {"code": mention.comment.task.code}


MENTIONS = QueueKind(
    name="mentions",
    group=Group.ANSWER,
    title=gettext_lazy("Mentions to answer"),
    concerns=permissions.can_view_plan,
    count=lambda user, today: discussion.mentions_to_answer(user).count(),
    items=_mention_items,
    act=_act_on_mention,
    empty=gettext_lazy("Nobody is waiting for your answer."),
    marks=_mentions_changed,
)


def register_all() -> None:
    for kind in (
        TASKS_TO_UPDATE,
        RETURNED_SUBMISSIONS,
        DEADLINES_TO_DECIDE,
        FIGURES_TO_VERIFY,
        SUBMISSIONS_TO_DECIDE,
        ESCALATIONS,
        MENTIONS,
    ):
        register(kind)
