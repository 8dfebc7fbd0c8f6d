"""Reads of the discussion: a task's thread in a fixed number of queries, whatever the
number of comments, files and mentions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from plans.models import KeyTask, Measurement, StatusUpdate

from . import permissions
from .models import Attachment, Comment, Mention


@dataclass
class Entry:
    comment: Comment
    files: list[Attachment] = field(default_factory=list)
    mentioned: list = field(default_factory=list)
    answers: list[Entry] = field(default_factory=list)
    can_withdraw: bool = False


@dataclass
class Thread:
    """The task's discussion as its fragment shows it: comments with their answers,
    files and mentions, and the form to write (bound, with what was typed, after a
    refusal)."""

    task: KeyTask
    entries: list[Entry]
    form: Any = None
    answer_form: Any = None
    answer_to: str | None = None
    saved: str = ""


def thread_entries(task: KeyTask, user) -> list[Entry]:
    comments = list(
        Comment.objects.filter(task=task)
        .select_related("author", "withdrawn_by")
        .order_by("created_at", "id")
    )
    if not comments:
        # Files and mentions belong to comments: most tasks have none to read.
        return []
    files = defaultdict(list)
    for attachment in Attachment.objects.filter(task=task).select_related(
        "measurement__indicator", "status_update", "uploaded_by"
    ):
        files[attachment.comment_id].append(attachment)
    mentioned = defaultdict(list)
    for mention in Mention.objects.filter(comment__task=task).select_related("person"):
        mentioned[mention.comment_id].append(mention.person)
    entries: dict[int, Entry] = {}
    top = []
    for comment in comments:
        entry = Entry(
            comment,
            files[comment.pk],
            mentioned[comment.pk],
            can_withdraw=permissions.may_withdraw(user, comment),
        )
        entries[comment.pk] = entry
        if comment.answers_id and comment.answers_id in entries:
            entries[comment.answers_id].answers.append(entry)
        else:
            top.append(entry)
    return top


def evidence_targets(task: KeyTask) -> tuple[list[StatusUpdate], list[Measurement]]:
    """What a file can be evidence for: the task's latest updates and its figures."""
    updates = list(
        StatusUpdate.objects.filter(task=task)
        .exclude(kind=StatusUpdate.Kind.CREATED)
        .order_by("-changed_at", "-id")[:10]
    )
    figures = list(
        Measurement.objects.filter(indicator__task=task)
        .select_related("indicator")
        .order_by("-as_of", "-id")[:10]
    )
    return updates, figures


def attachment_for_download(pk: int) -> Attachment:
    return Attachment.objects.select_related("task__bureau").get(pk=pk)


def mentions_to_answer(user) -> QuerySet[Mention]:
    """Mentions of this person in comments still standing that they have not answered:
    nothing written by them on the task since. (The queue's "answer" kind.)"""
    answered = Comment.objects.filter(
        task=OuterRef("comment__task"),
        author=user,
        created_at__gt=OuterRef("comment__created_at"),
    )
    return Mention.objects.filter(person=user, comment__withdrawn_at__isnull=True).exclude(
        Exists(answered)
    )
