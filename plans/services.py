"""Writes to the work plan. Views, Celery tasks and commands call these; each change
to a key task is recorded in its status history in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import KeyTask, Profile, StatusUpdate

# The fields whose changes are recorded in a task's history.
TRACKED_FIELDS = (
    "code",
    "status",
    "progress",
    "completed_on",
    "start_date",
    "due_date",
    "owner",
    "bureau",
    "sector",
    "priority",
    "is_public",
    "pillar_ko",
    "pillar_en",
    "title_ko",
    "title_en",
    "description_ko",
    "description_en",
)


def _attname(field: str) -> str:
    # Compare foreign keys by id so reading the old value costs no query.
    return KeyTask._meta.get_field(field).attname


@dataclass
class EditConflict(Exception):
    """Someone else changed the task after the editor loaded it."""

    task: KeyTask
    changes: list[StatusUpdate]


def _history_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _apply_completion_rules(task: KeyTask, today: date) -> None:
    """Done carries a completion date; any other status does not."""
    if task.status == KeyTask.Status.DONE:
        task.completed_on = task.completed_on or today
    else:
        task.completed_on = None


@transaction.atomic
def create_key_task(*, by, note: str = "", **fields: Any) -> KeyTask:
    task = KeyTask(**fields, updated_by=by)
    _apply_completion_rules(task, timezone.localdate())
    task.full_clean()
    task.save()
    record_creation(task, by=by, note=note)
    return task


def record_creation(task: KeyTask, *, by, note: str = "") -> StatusUpdate:
    return StatusUpdate.objects.create(
        task=task, version=task.version, changed_by=by, field="created", note=note
    )


@transaction.atomic
def update_key_task(
    task: KeyTask, *, by, expected_version: int, note: str = "", **changes: Any
) -> KeyTask:
    """Apply ``changes`` if nobody changed the task since ``expected_version``.

    Raises ``EditConflict`` (with the other changes) when the version moved on, and
    ``ValidationError`` when the result would break a rule of the plan.
    """
    unknown = set(changes) - set(TRACKED_FIELDS)
    if unknown:
        raise TypeError(f"Not an editable key-task field: {', '.join(sorted(unknown))}")

    # The row lock serialises concurrent editors; the version check tells the later
    # one that the task moved on under them.
    current = KeyTask.objects.select_for_update().get(pk=task.pk)
    if current.version != expected_version:
        raise EditConflict(
            task=current,
            changes=list(
                current.history.filter(version__gt=expected_version).select_related("changed_by")
            ),
        )

    before = {field: getattr(current, _attname(field)) for field in TRACKED_FIELDS}
    for field, value in changes.items():
        setattr(current, field, value)
    _apply_completion_rules(current, timezone.localdate())
    current.full_clean()

    changed = [f for f in TRACKED_FIELDS if getattr(current, _attname(f)) != before[f]]
    note = note.strip()
    if not changed and not note:
        return current

    current.version += 1
    current.updated_by = by
    current.save(update_fields=[*changed, "version", "updated_by", "updated_at"])
    rows = [
        StatusUpdate(
            task=current,
            version=current.version,
            changed_by=by,
            field=field,
            old_value=_history_value(before[field]),
            new_value=_history_value(getattr(current, _attname(field))),
            note=note,
        )
        for field in changed
    ] or [
        StatusUpdate(task=current, version=current.version, changed_by=by, field="note", note=note)
    ]
    StatusUpdate.objects.bulk_create(rows)
    return current


def set_user_language(*, user, language: str) -> None:
    """Remember a signed-in user's language so every device they sign in on shows it."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language {language!r}")
    profile, _created = Profile.objects.get_or_create(user=user)
    if profile.language != language:
        profile.language = language
        profile.save(update_fields=["language"])
