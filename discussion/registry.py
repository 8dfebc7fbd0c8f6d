"""What the discussion adds to the apps below it: its thread on the key-task page
(``plans.sections``) and mentions as a subject of the reminder outbox
(``reminders.subjects``), so a mention is mailed exactly once like every reminder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.utils.translation import gettext_lazy as _

from plans import sections
from plans.links import absolute_reverse
from reminders import subjects
from reminders.models import ReminderLog

from . import permissions
from .models import Comment
from .services import COMMENT, MENTION


def thread_section(request, task):
    """The thread's place on the task page (``thread.html#deferred``), for those who take
    part; the thread itself is its own page and fragment (``views.thread``)."""
    return task if permissions.may_take_part(request.user, task) else None


def _collect(today, policy, org):
    return []  # mentions are recorded as they are written, not found by the sweep


def _load(ids: Collection[int], today: dt.date) -> dict[int, Comment]:
    comments = Comment.objects.filter(pk__in=ids).select_related("task__bureau", "author")
    return {comment.pk: comment for comment in comments}


def _still_due(comment: Comment, row: ReminderLog, today: dt.date) -> bool:
    # A withdrawn comment, or a person who no longer takes part, is not mailed.
    return not comment.is_withdrawn and permissions.may_take_part(row.recipient, comment.task)


def _email(comment: Comment, row: ReminderLog, today: dt.date) -> tuple[str, dict]:
    return "mention", {
        "comment": comment,
        "task": comment.task,
        "author": comment.author.get_full_name() or comment.author.username,
        "task_url": absolute_reverse("plans:task_detail", comment.task_id) + "#discussion",
    }


MENTIONS = subjects.SubjectType(
    COMMENT,
    _collect,
    _load,
    _still_due,
    _email,
    kinds={MENTION: _("mentioned in a comment")},
    digestible=True,
)


def register_all() -> None:
    sections.register(
        sections.TaskSection("discussion", "discussion/thread.html#deferred", thread_section)
    )
    subjects.register(MENTIONS)
