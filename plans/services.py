"""Writes to the work plan. Views, Celery tasks and commands call these; each change
to a key task is recorded in its status history in the same transaction."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import dates, measurements, permissions
from .models import Indicator, KeyTask, Measurement, Milestone, Profile, StatusUpdate

Kind = StatusUpdate.Kind

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


@dataclass(frozen=True)
class Change:
    """One thing a version changes, before it is written as a history row."""

    kind: str
    old: str = ""
    new: str = ""
    milestone: Milestone | None = None
    indicator: Indicator | None = None
    as_of: date | None = None


def _history_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        # 1500, 1500.00 and 1.5E+3 are the same actual: record it one way.
        return f"{value.normalize():f}"
    return str(value)


def check_owner(bureau, owner) -> None:
    """A key task's owner is one of its bureau's people (``Bureau.people``)."""
    if owner is not None and not bureau.people().filter(pk=owner.pk).exists():
        raise ValidationError(
            {
                "owner": _("Choose the owner among the people of %(bureau)s.")
                % {"bureau": bureau.name}
            }
        )


def _apply_completion_rules(task: KeyTask, today: date) -> None:
    """Done carries a completion date; any other status does not."""
    if task.status == KeyTask.Status.DONE:
        task.completed_on = task.completed_on or today
    else:
        task.completed_on = None


def require_open(plan) -> None:
    """The services' own word on a closed plan (``permissions.accepts_changes``): refused
    with the reason, whichever route asked."""
    if not permissions.accepts_changes(plan):
        raise ValidationError(permissions.record_message(plan))


@transaction.atomic
def create_key_task(
    *, by, note: str = "", origin: str = "", origin_date: date | None = None, **fields: Any
) -> KeyTask:
    require_open(fields["sector"].plan)
    task = KeyTask(**fields, updated_by=by)
    _apply_completion_rules(task, dates.today())
    task.full_clean()
    task.save()
    record_creation(task, by=by, note=note, origin=origin, origin_date=origin_date)
    return task


def record_creation(
    task: KeyTask, *, by, note: str = "", origin: str = "", origin_date: date | None = None
) -> StatusUpdate:
    """The task's first history row. ``origin`` (``StatusUpdate.Origin``) says where it
    came from in every reader's language; ``note`` is the creator's own words."""
    if origin and origin not in StatusUpdate.Origin.values:
        raise ValueError(f"unknown origin {origin!r}")
    return StatusUpdate.objects.create(
        task=task,
        version=task.version,
        changed_by=by,
        kind=Kind.CREATED,
        new_value=origin,
        as_of=origin_date,
        note=note,
    )


def check_status_rules(task: KeyTask, *, previous_status: str | None = None) -> None:
    """Refuse combinations of status and progress that make no sense, with a message
    aimed at the field the editor should change (the database constraints are the
    backstop; these say it in words)."""
    errors: dict[str, str] = {}
    status = task.status
    if status == KeyTask.Status.NOT_STARTED and task.progress:
        errors["progress"] = _(
            "A task that has not started cannot show progress: choose a status such as "
            "“On track”, or set progress to 0."
        )
    if status == KeyTask.Status.DONE and task.progress != 100:
        errors["status"] = _(
            "Only a task at 100%% progress can be marked done (it is at %(progress)s%%)."
        ) % {"progress": task.progress}
    if not 0 <= task.progress <= 100:
        errors["progress"] = _("Progress must be between 0 and 100.")
    if task.start_date and task.due_date and task.due_date < task.start_date:
        errors["due_date"] = _("The due date cannot be before the start date.")
    if (
        previous_status in KeyTask.CLOSED_STATUSES
        and status == KeyTask.Status.NOT_STARTED
        and previous_status != status
    ):
        errors["status"] = _("A finished or dropped task cannot go back to “Not started”.")
    if errors:
        raise ValidationError(errors)


def _moved_on(pk: int, expected_version: int) -> EditConflict:
    current = KeyTask.objects.get(pk=pk)
    return EditConflict(
        task=current,
        changes=list(
            current.history.filter(version__gt=expected_version).select_related(
                "changed_by", "milestone", "indicator"
            )
        ),
    )


def _working_copy(task: KeyTask, expected_version: int) -> KeyTask:
    """A copy of the task as it was at ``expected_version``, to apply changes to, or
    ``EditConflict`` when the task has moved on since.

    The caller passes the task as it read it (not changed in memory). When that is the
    version the editor saw, it is used as it is, without reading the task again;
    ``_claim_version`` then makes sure nobody changed it in between."""
    if task.version != expected_version:
        task = KeyTask.objects.select_related("plan").get(pk=task.pk)
        if task.version != expected_version:
            raise _moved_on(task.pk, expected_version)
    return copy.copy(task)


def _claim_version(current: KeyTask, *, expected_version: int, by, fields: list[str]) -> None:
    """Write ``fields`` of the working copy and move the task to the next version, if it
    is still at ``expected_version``; ``EditConflict`` if someone got there first.

    The version-checked UPDATE is the check and the row lock at once: a concurrent
    editor's UPDATE waits for this transaction to end, then matches no row. Whatever
    the transaction writes after it (history, an actual, a milestone) is therefore
    written by one editor of the task at a time.

    Every write to a key task passes here, so a task of a closed plan is refused here
    (``ValidationError``), whatever route it came by; read the task with its plan."""
    require_open(current.plan)
    current.version = expected_version + 1
    current.updated_by = by
    current.updated_at = timezone.now()
    values = {_attname(field): getattr(current, _attname(field)) for field in fields}
    claimed = KeyTask.objects.filter(pk=current.pk, version=expected_version).update(
        **values, version=current.version, updated_by=by, updated_at=current.updated_at
    )
    if not claimed:
        raise _moved_on(current.pk, expected_version)


def _apply_changes(current: KeyTask, changes: dict[str, Any]) -> list[Change]:
    """Set ``changes`` on the working copy, check the rules and return what changed.
    Saves nothing."""
    unknown = set(changes) - set(TRACKED_FIELDS)
    if unknown:
        raise TypeError(f"Not an editable key-task field: {', '.join(sorted(unknown))}")
    # Only these can change; reading every tracked field would load deferred ones.
    touched = [f for f in TRACKED_FIELDS if f in changes or f in ("status", "completed_on")]
    before = {field: getattr(current, _attname(field)) for field in touched}
    for field, value in changes.items():
        setattr(current, field, value)
    _apply_completion_rules(current, dates.today())
    check_status_rules(current, previous_status=before["status"])
    changed = [f for f in touched if getattr(current, _attname(f)) != before[f]]
    # The table's check constraints are exactly the rules above (checked in Python,
    # with messages); asking the database again costs three round trips per
    # constraint on every update. Unchanged fields were valid when saved.
    current.full_clean(
        exclude=[f.name for f in KeyTask._meta.fields if f.name not in changed],
        validate_constraints=False,
    )
    return [
        Change(
            kind=Kind(field),
            old=_history_value(before[field]),
            new=_history_value(getattr(current, _attname(field))),
        )
        for field in changed
    ]


def _record_history(current: KeyTask, *, by, note: str, rows: list[Change]) -> None:
    """One history row per changed thing of this version (or one "note" row when only
    a note was given)."""
    history = [
        StatusUpdate(
            task=current,
            version=current.version,
            changed_by=by,
            kind=change.kind,
            milestone=change.milestone,
            indicator=change.indicator,
            as_of=change.as_of,
            old_value=change.old,
            new_value=change.new,
            note=note,
        )
        for change in rows
    ] or [
        StatusUpdate(
            task=current, version=current.version, changed_by=by, kind=Kind.NOTE, note=note
        )
    ]
    StatusUpdate.objects.bulk_create(history)


@transaction.atomic
def update_key_task(
    task: KeyTask, *, by, expected_version: int, note: str = "", **changes: Any
) -> KeyTask:
    """Apply ``changes`` if nobody changed the task since ``expected_version``.

    Raises ``EditConflict`` (with the other changes) when the version moved on, and
    ``ValidationError`` when the result would break a rule of the plan.
    """
    current = _working_copy(task, expected_version)
    rows = _apply_changes(current, changes)
    note = note.strip()
    if not rows and not note:
        return current
    _claim_version(current, expected_version=expected_version, by=by, fields=_fields(rows))
    _record_history(current, by=by, note=note, rows=rows)
    return current


def _fields(rows: list[Change]) -> list[str]:
    return [str(change.kind) for change in rows]


@dataclass
class _NewActual:
    """A bureau's actual for one date, checked before anything is written."""

    indicator: Indicator
    value: Decimal
    as_of: date
    existing: Measurement | None

    @classmethod
    def check(
        cls, indicator: Indicator, value: Decimal, as_of: date, note: str = ""
    ) -> _NewActual | None:
        """The actual to record, or None when that figure is already recorded. A figure
        the city has published is never changed from a bureau's quick update. What a
        figure cannot be is ``measurements.check_figure``'s to say, when it is written."""
        if as_of > dates.today():
            raise ValidationError({"as_of": _("An actual value cannot be dated in the future.")})
        existing = Measurement.objects.filter(indicator=indicator, as_of=as_of).first()
        if existing is not None and existing.value == value:
            return None
        if existing is not None and existing.is_published:
            raise ValidationError(
                {
                    "actual": _(
                        "The figure for this date is already published. The mayor's office "
                        "revises published figures, with a public reason."
                    )
                }
            )
        return cls(indicator, value, as_of, existing)

    def record(self, *, by, note: str) -> Change:
        """Write it through the one measurement service; the history row it makes."""
        try:
            measurements.record_measurement(
                self.indicator, by=by, as_of=self.as_of, value=self.value, note=note[:500]
            )
        except ValidationError as error:
            # The figure's own field is this form's "actual"; a date or a missing note
            # is shown beside the field of that name.
            named = error.message_dict if hasattr(error, "error_dict") else {}
            fields = named or {"value": error.messages}
            raise ValidationError(
                {
                    "actual" if field == "value" else field: messages
                    for field, messages in fields.items()
                }
            ) from error
        return Change(
            kind=Kind.ACTUAL,
            indicator=self.indicator,
            as_of=self.as_of,
            old=_history_value(self.existing.value) if self.existing is not None else "",
            new=_history_value(self.value),
        )


@transaction.atomic
def record_measurement(
    indicator: Indicator,
    *,
    by,
    expected_version: int,
    value: Decimal,
    as_of: date | None = None,
    note: str = "",
) -> KeyTask:
    """Record an actual value of a task's indicator (one per date: a second value for the
    same date replaces the first). A new actual is a change to the task, so it is
    versioned and recorded in the task's history like any other."""
    if indicator.task_id is None:
        raise ValueError("Only an indicator attached to a key task is recorded this way.")
    current = _working_copy(indicator.task, expected_version)
    note = note.strip()
    actual = _NewActual.check(
        indicator, value, as_of or measurements.default_as_of(indicator), note
    )
    if actual is None:
        return current
    _claim_version(current, expected_version=expected_version, by=by, fields=[])
    _record_history(current, by=by, note=note, rows=[actual.record(by=by, note=note)])
    return current


@transaction.atomic
def report_progress(
    task: KeyTask,
    *,
    by,
    expected_version: int,
    note: str = "",
    indicator: Indicator | None = None,
    actual: Decimal | None = None,
    as_of: date | None = None,
    **changes: Any,
) -> KeyTask:
    """The bureau head's quick update: status, progress, an indicator's new actual and a
    note, accepted or refused as one change with one version."""
    current = _working_copy(task, expected_version)
    rows = _apply_changes(current, changes)
    new_actual = None
    if actual is not None:
        if indicator is None or indicator.task_id != current.pk:
            raise ValidationError({"indicator": _("Choose one of this task's indicators.")})
        new_actual = _NewActual.check(
            indicator, actual, as_of or measurements.default_as_of(indicator), note.strip()
        )
    note = note.strip()
    if not rows and not note and new_actual is None:
        return current
    _claim_version(current, expected_version=expected_version, by=by, fields=_fields(rows))
    if new_actual is not None:
        rows.append(new_actual.record(by=by, note=note))
    _record_history(current, by=by, note=note, rows=rows)
    return current


@transaction.atomic
def toggle_milestone(milestone: Milestone, *, by, expected_version: int, done: bool) -> KeyTask:
    """Tick a milestone off (or reopen it); the task's history records which and who."""
    current = _working_copy(milestone.task, expected_version)
    milestone = Milestone.objects.get(pk=milestone.pk)
    if milestone.is_done == done:
        return current
    _claim_version(current, expected_version=expected_version, by=by, fields=[])
    old = _history_value(milestone.done_on)
    milestone.done_on = dates.today() if done else None
    milestone.done_by = by if done else None
    milestone.save(update_fields=["done_on", "done_by"])
    change = Change(
        kind=Kind.MILESTONE, milestone=milestone, old=old, new=_history_value(milestone.done_on)
    )
    _record_history(current, by=by, note="", rows=[change])
    return current


@transaction.atomic
def verify_figure(measurement: Measurement, *, by) -> Measurement:
    """The mayor's office verifies and publishes a bureau's figure; a figure of a key
    task's indicator is a change to the task, versioned and in its history."""
    figure = measurements.verify_measurement(measurement, by=by)
    indicator = figure.indicator
    if indicator.task_id is not None:
        current = (
            KeyTask.objects.select_for_update(of=("self",))
            .select_related("plan")
            .get(pk=indicator.task_id)
        )
        _claim_version(current, expected_version=current.version, by=by, fields=[])
        change = Change(
            kind=Kind.FIGURE_VERIFIED,
            indicator=indicator,
            as_of=figure.as_of,
            new=_history_value(figure.value),
        )
        _record_history(current, by=by, note="", rows=[change])
    return figure


def set_user_language(*, user, language: str) -> None:
    """Remember a signed-in user's language so every device they sign in on shows it."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language {language!r}")
    profile, _created = Profile.objects.get_or_create(user=user)
    if profile.language != language:
        profile.language = language
        profile.save(update_fields=["language"])


# --- managing key tasks: creating, milestones, dropping -------------------------------


@transaction.atomic
def create_managed_task(*, by, owner=None, note: str = "", **fields: Any) -> KeyTask:
    """A key task created in the tracker by the mayor's office or a bureau head, owned
    by one of its bureau's people; its history starts with its creation."""
    check_owner(fields["bureau"], owner)
    if KeyTask.objects.filter(code=fields.get("code", "")).exists():
        raise ValidationError({"code": _("Another key task already has this code.")})
    fields.setdefault("status", KeyTask.Status.NOT_STARTED)
    return create_key_task(
        by=by, note=note, origin=StatusUpdate.Origin.PRODUCT, owner=owner, **fields
    )


@transaction.atomic
def manage_key_task(
    task: KeyTask, *, by, expected_version: int, note: str = "", **changes: Any
) -> KeyTask:
    """Change what the managers of a task decide (owner, title, schedule, disclosure…)
    through the one versioned update; the owner stays one of the bureau's people."""
    if "owner" in changes or "bureau" in changes:
        check_owner(changes.get("bureau", task.bureau), changes.get("owner", task.owner))
    return update_key_task(task, by=by, expected_version=expected_version, note=note, **changes)


@transaction.atomic
def drop_key_task(task: KeyTask, *, by, expected_version: int, reason: str) -> KeyTask:
    """Drop a key task: a state with its reason in the history, never a deletion."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the task is dropped.")})
    if task.status == KeyTask.Status.DROPPED:
        raise ValidationError({"reason": _("The task is already dropped.")})
    return update_key_task(
        task, by=by, expected_version=expected_version, note=reason, status=KeyTask.Status.DROPPED
    )


def _milestone_value(milestone: Milestone) -> str:
    return f"{milestone.title_ko} · {milestone.due_date.isoformat()}"


def _check_milestone(task: KeyTask, title_ko: str, due_date: date) -> str:
    title_ko = (title_ko or "").strip()
    errors = {}
    if not title_ko:
        errors["title_ko"] = _("Give the milestone a title.")
    if due_date < task.start_date or due_date > task.due_date:
        errors["due_date"] = _(
            "A milestone falls within the task's schedule, from %(start)s to %(due)s."
        ) % {
            "start": task.start_date.isoformat(),
            "due": task.due_date.isoformat(),
        }
    if errors:
        raise ValidationError(errors)
    return title_ko


@transaction.atomic
def add_milestone(
    task: KeyTask, *, by, expected_version: int, title_ko: str, title_en: str = "", due_date: date
) -> KeyTask:
    """Add a milestone at the end of the task's roadmap."""
    current = _working_copy(task, expected_version)
    title_ko = _check_milestone(current, title_ko, due_date)
    _claim_version(current, expected_version=expected_version, by=by, fields=[])
    last = current.milestones.order_by("-order").values_list("order", flat=True).first() or 0
    milestone = Milestone(
        task=current,
        order=last + 1,
        title_ko=title_ko,
        title_en=(title_en or "").strip(),
        due_date=due_date,
    )
    milestone.full_clean()
    milestone.save()
    change = Change(kind=Kind.MILESTONE_ADDED, milestone=milestone, new=_milestone_value(milestone))
    _record_history(current, by=by, note="", rows=[change])
    return current


@transaction.atomic
def edit_milestone(
    milestone: Milestone,
    *,
    by,
    expected_version: int,
    title_ko: str,
    title_en: str = "",
    due_date: date,
    note: str = "",
) -> KeyTask:
    """Change a milestone's title or date; the history keeps the old ones."""
    current = _working_copy(milestone.task, expected_version)
    milestone = Milestone.objects.get(pk=milestone.pk)
    if due_date != milestone.due_date:
        # A deadline moves only through plans.deadlines (a reason, and approval beyond
        # the threshold), so the adopted date stays on record.
        raise ValidationError(
            {
                "due_date": _(
                    "A milestone's due date moves through a deadline change, with its "
                    "reason: use “Move a deadline” on the task page."
                )
            }
        )
    title_ko = _check_milestone(current, title_ko, due_date)
    old = _milestone_value(milestone)
    title_en = (title_en or "").strip()
    if (milestone.title_ko, milestone.title_en, milestone.due_date) == (
        title_ko,
        title_en,
        due_date,
    ):
        return current
    _claim_version(current, expected_version=expected_version, by=by, fields=[])
    milestone.title_ko, milestone.title_en, milestone.due_date = title_ko, title_en, due_date
    milestone.full_clean()
    milestone.save(update_fields=["title_ko", "title_en", "due_date"])
    change = Change(
        kind=Kind.MILESTONE_EDITED, milestone=milestone, old=old, new=_milestone_value(milestone)
    )
    _record_history(current, by=by, note=note.strip(), rows=[change])
    return current


MOVES = ("up", "down")


@transaction.atomic
def move_milestone(milestone: Milestone, *, by, expected_version: int, direction: str) -> KeyTask:
    """Move a milestone one place up or down the roadmap."""
    if direction not in MOVES:
        raise ValidationError(_("Move a milestone up or down."))
    current = _working_copy(milestone.task, expected_version)
    roadmap = list(current.milestones.order_by("order", "due_date", "id"))
    index = next(i for i, found in enumerate(roadmap) if found.pk == milestone.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(roadmap):
        return current
    _claim_version(current, expected_version=expected_version, by=by, fields=[])
    roadmap[index], roadmap[other] = roadmap[other], roadmap[index]
    for number, found in enumerate(roadmap, start=1):
        found.order = number
    Milestone.objects.bulk_update(roadmap, ["order"])
    change = Change(
        kind=Kind.MILESTONE_MOVED, milestone=roadmap[other], old=str(index + 1), new=str(other + 1)
    )
    _record_history(current, by=by, note="", rows=[change])
    return current
