"""Writes of the discussion: a comment (with its mentions and evidence file) and the
withdrawal of a comment or a file. Keyword-only, checked before saving, one transaction
each; a mention becomes a reminder in the outbox in the same transaction, so it goes out
exactly once with the rest of the city's mail."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from plans import dates
from plans.models import KeyTask, Measurement, StatusUpdate
from reminders.outbox import record_due
from reminders.policy import Due

from . import permissions
from .files import Checked
from .models import Attachment, Comment, Mention

COMMENT = "comment"
MENTION = "mention"
# "@finance_staff" or "@김민수": a username or a full name written without spaces.
MENTION_PATTERN = re.compile(r"@([\w.\-]+)", re.UNICODE)


def mentioned_in(body: str, task: KeyTask) -> list:
    """The participants an @name in the text names (username, or full name without spaces)."""
    names = {name.lower() for name in MENTION_PATTERN.findall(body)}
    if not names:
        return []
    found = []
    for person in permissions.participants(task):
        full = "".join((person.get_full_name() or "").split()).lower()
        if person.username.lower() in names or (full and full in names):
            found.append(person)
    return found


def post_comment(
    *,
    task: KeyTask,
    by,
    body: str,
    answers: Comment | None = None,
    mention: Iterable = (),
    upload=None,
    checked: Checked | None = None,
    status_update: StatusUpdate | None = None,
    measurement: Measurement | None = None,
) -> Comment:
    if not permissions.may_take_part(by, task):
        raise ValidationError(_("You do not take part in this task's discussion."))
    if answers is not None and (answers.task_id != task.pk or answers.answers_id is not None):
        raise ValidationError(_("An answer goes to a comment of this task."))
    with transaction.atomic():
        comment = Comment(task=task, author=by, body=body.strip(), answers=answers)
        comment.full_clean()
        comment.save()
        people = {p.pk: p for p in [*mention, *mentioned_in(body, task)] if p.pk != by.pk}
        Mention.objects.bulk_create([Mention(comment=comment, person=p) for p in people.values()])
        today = dates.today()
        record_due(
            [
                Due(COMMENT, comment.pk, today, MENTION, pk, today, f"mentioned by {by.username}")
                for pk in people
            ]
        )
        if upload is not None and checked is not None:
            attachment = Attachment(
                task=task,
                comment=comment,
                status_update=status_update,
                measurement=measurement,
                name=checked.name,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                uploaded_by=by,
            )
            # The storage writes the file (under our own name) as the row is saved.
            attachment.file.save(checked.name, upload, save=False)
            attachment.save()
    return comment


def _withdraw(model, item, *, by, reason: str) -> bool:
    if not permissions.may_withdraw(by, item):
        raise ValidationError(_("Only its author can withdraw it, once."))
    # Conditional: of two withdrawals at once, one is recorded.
    return bool(
        model.objects.filter(pk=item.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now(), withdrawn_by=by, withdrawal_reason=reason.strip()[:300]
        )
    )


def withdraw_comment(comment: Comment, *, by, reason: str = "") -> bool:
    """The comment stays on record, marked withdrawn (who, when, why), with its files."""
    with transaction.atomic():
        done = _withdraw(Comment, comment, by=by, reason=reason)
        if done:
            Attachment.objects.filter(Q(comment=comment), withdrawn_at__isnull=True).update(
                withdrawn_at=timezone.now(), withdrawn_by=by, withdrawal_reason=reason[:300]
            )
    return done


def withdraw_attachment(attachment: Attachment, *, by, reason: str = "") -> bool:
    """The file stays in storage and on record, marked withdrawn; it is no longer served."""
    return _withdraw(Attachment, attachment, by=by, reason=reason)


def answer_mention(mention: Mention, *, by, body: str) -> Comment:
    """The mentioned person answers in the thread (from their queue): an answer to the
    comment that mentioned them, or to the one it answers."""
    if not body.strip():
        raise ValidationError(_("Write something."))
    comment = mention.comment
    return post_comment(task=comment.task, by=by, body=body, answers=comment.answers or comment)
