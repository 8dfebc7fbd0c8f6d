"""Who takes part in a key task's discussion: the thread is between the mayor's office
and the task's bureau — its owner, the bureau's members and the heads of the bureau and
the bureaus above it. Everyone else (other bureaus, the public) does not see the thread
or its files, even when the task itself is public. Built on the roles of
``plans.permissions``, asked by every view, fragment and download here."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from plans import permissions
from plans.models import KeyTask


def bureau_line(task: KeyTask) -> list[int]:
    """The task's bureau and every bureau above it (from the materialised path)."""
    path = task.bureau.path or f"/{task.bureau_id}/"
    return [int(part) for part in path.strip("/").split("/") if part]


def may_take_part(user, task: KeyTask) -> bool:
    if not permissions.can_view_plan(user):
        return False
    # The thread stays open on a closed plan's task: it changes nothing of the record
    # (the task, its milestones, indicators and figures), and questions about a year
    # are still asked and answered after it closes.
    if permissions.is_mayors_office(user) or permissions.answers_for_task(user, task):
        return True
    profile = getattr(user, "profile", None)
    return bool(profile and profile.bureau_id == task.bureau_id)


def may_withdraw(user, item) -> bool:
    """A comment or file is withdrawn by the person who wrote or attached it."""
    author_id = getattr(item, "author_id", None) or getattr(item, "uploaded_by_id", None)
    return permissions.can_view_plan(user) and author_id == user.pk and not item.is_withdrawn


def participants(task: KeyTask) -> QuerySet:
    """The people who may be mentioned on the task: those who take part."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(profile__is_mayors_office=True)
            | Q(is_superuser=True)
            | Q(pk=task.owner_id)
            | Q(profile__bureau_id=task.bureau_id)
            | Q(headed_bureaus__in=bureau_line(task))
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
