"""The Excel round trip's rules: what an uploaded workbook would change, what is
refused and why, what conflicts with edits made since the download — and applying
the accepted rows, all in one transaction.

The check runs the very services that apply (``plans.services``), in a transaction
that is then rolled back, one savepoint per key task: what the check says would
change is exactly what applying does, refusals carry the services' own reasons, and
a version that moved on since the download is the services' own ``EditConflict``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from plans import history, permissions, services
from plans.languages import in_language_of
from plans.models import Indicator, KeyTask, StatusUpdate

from .models import BulkUpload
from .sheets import TaskRows, Unreadable, read_workbook, tasks_workbook

CHANGE, UNCHANGED, REFUSED, CONFLICT = "change", "unchanged", "refused", "conflict"
Progress = Callable[[int, int], None]


def download(user) -> bytes:
    """The workbook of the key tasks this person may update in bulk, with their
    indicators' latest figures (two queries)."""
    tasks = list(
        permissions.bulk_editable_tasks(user, KeyTask.objects.select_related("bureau")).order_by(
            "sector__plan__year", "code", "id"
        )
    )
    indicators = (
        Indicator.objects.filter(task__in=[task.pk for task in tasks])
        .order_by("task_id", "code")
        .with_latest_actual()
    )
    return tasks_workbook(tasks, list(indicators))


@dataclass
class Outcome:
    """What the check found for one key task of the file."""

    task_id: int
    code: str
    rows: list[int]
    outcome: str
    changes: list[list[str]] = field(default_factory=list)  # [what, old, new]
    reasons: list[str] = field(default_factory=list)
    since: list[list[str]] = field(default_factory=list)  # [who, what, old, new]
    note: str = ""


def _changed_rows(task_rows: TaskRows) -> dict:
    changes = {}
    if task_rows.status is not None:
        changes["status"] = task_rows.status
    if task_rows.progress is not None:
        changes["progress"] = task_rows.progress
    return changes


def _apply_one(task: KeyTask, task_rows: TaskRows, *, by) -> KeyTask:
    """Through the same services as the task page: the task's change, then each new
    figure as a change of its own version."""
    current = services.update_key_task(
        task,
        by=by,
        expected_version=task_rows.version,
        note=task_rows.note,
        **_changed_rows(task_rows),
    )
    indicators = {indicator.pk: indicator for indicator in task.indicators.all()}
    for figure in task_rows.figures:
        indicator = indicators.get(figure.indicator_id)
        if indicator is None:
            raise ValidationError(
                _("Indicator %(id)s is not one of this task's.") % {"id": figure.indicator_id}
            )
        indicator.task = current
        current = services.record_measurement(
            indicator,
            by=by,
            expected_version=current.version,
            value=figure.value,
            as_of=figure.as_of,
            note=task_rows.note,
        )
    return current


def _outcome(task: KeyTask | None, task_rows: TaskRows, *, by, allowed: set[int]) -> Outcome:
    found = Outcome(task_rows.task_id, task_rows.code, task_rows.rows, REFUSED)
    found.note = task_rows.note
    if task_rows.problems:
        found.reasons = task_rows.problems
        return found
    if task is not None and not permissions.accepts_changes(task.plan):
        found.reasons = [permissions.record_message(task.plan)]
        return found
    if task is None or task.pk not in allowed:
        found.reasons = [_("You may not update this key task (or it does not exist).")]
        return found
    found.code = task.code
    try:
        with transaction.atomic():
            current = _apply_one(task, task_rows, by=by)
    except services.EditConflict as conflict:
        found.outcome = CONFLICT
        found.reasons = [_("Changed by someone else since the download.")]
        found.since = [
            [_person(update.changed_by), *_line(update)]
            for update in sorted(conflict.changes, key=lambda u: (u.version, u.pk))
        ]
        return found
    except ValidationError as error:
        found.reasons = list(error.messages)
        return found
    found.outcome = UNCHANGED if current.version == task_rows.version else CHANGE
    return found


def _describe_changes(outcomes: list[Outcome], since_id: int) -> None:
    """What each changed task's new history rows say, read in one query: every row
    after ``since_id`` of these tasks is this run's (each task's row is locked by the
    run's own versioned update until the transaction ends)."""
    changed = {found.task_id: found for found in outcomes if found.outcome == CHANGE}
    written = history.with_references(
        StatusUpdate.objects.filter(task_id__in=list(changed), id__gt=since_id)
    ).order_by("task_id", "version", "id")
    for update in written:
        changed[update.task_id].changes.append(_line(update))


def _line(update) -> list[str]:
    line = history.change_line(update)
    return [line.label, line.old, line.new or line.quote]


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user else "—"


@dataclass
class Report:
    outcomes: list[Outcome]

    def count(self, outcome: str) -> int:
        return sum(1 for found in self.outcomes if found.outcome == outcome)

    def as_dict(self) -> dict:
        return {"outcomes": [asdict(found) for found in self.outcomes]}


def _run(upload: BulkUpload, *, apply: bool, progress: Progress | None) -> Report:
    """Check (and roll back) or apply the file. Applying changes only the tasks the
    check accepted; when any of them no longer goes through, nothing is applied."""
    by = upload.uploaded_by
    groups = read_workbook(bytes(upload.content), max_rows=settings.BULK_MAX_ROWS)
    ids = [group.task_id for group in groups if group.task_id]
    tasks = {
        task.pk: task
        for task in KeyTask.objects.filter(pk__in=ids)
        .select_related("plan")
        .prefetch_related("indicators")
    }
    allowed = set(
        permissions.bulk_editable_tasks(by, KeyTask.objects.filter(pk__in=ids)).values_list(
            "pk", flat=True
        )
    )
    accepted = {
        found["task_id"]
        for found in upload.report.get("outcomes", [])
        if found["outcome"] == CHANGE
    }
    outcomes = []
    with transaction.atomic():
        since_id = StatusUpdate.objects.aggregate(last=Max("id"))["last"] or 0
        for number, group in enumerate(groups, start=1):
            if apply and group.task_id not in accepted:
                continue
            outcomes.append(_outcome(tasks.get(group.task_id), group, by=by, allowed=allowed))
            if progress and (number % 25 == 0 or number == len(groups)):
                progress(number, len(groups))
        _describe_changes(outcomes, since_id)
        report = Report(outcomes)
        if not apply or report.count(CHANGE) != len(outcomes):
            transaction.set_rollback(True)
    return report


def progress_key(upload: BulkUpload) -> str:
    return f"bulk-progress:{upload.pk}"


def _progress(upload: BulkUpload) -> Progress:
    """Progress goes through the shared cache: the job's transaction keeps its writes
    out of sight until it ends, and the page polls while it runs."""

    def report(done: int, total: int) -> None:
        cache.set(progress_key(upload), [done, total], timeout=3600)

    return report


def receive(*, by, file_name: str, content: bytes) -> BulkUpload:
    """Keep an uploaded file and count its key tasks; ``Unreadable`` (nothing kept) for
    anything that is not a workbook of the round trip."""
    groups = read_workbook(content, max_rows=settings.BULK_MAX_ROWS)
    if not groups:
        raise Unreadable(_("The workbook has no rows of key tasks."))
    return BulkUpload.objects.create(
        uploaded_by=by,
        file_name=file_name[:200],
        content=content,
        state=BulkUpload.State.CHECKING,
        rows=len(groups),
    )


def runs_in_background(upload: BulkUpload) -> bool:
    return upload.rows > settings.BULK_BACKGROUND_ROWS


def check(upload: BulkUpload) -> BulkUpload:
    """What the file would change, what is refused and why, what conflicts: stored on
    the upload, in its uploader's language."""
    with in_language_of(upload.uploaded_by):
        try:
            report = _run(upload, apply=False, progress=_progress(upload))
        except Unreadable as error:
            upload.state, upload.message = BulkUpload.State.FAILED, " ".join(error.messages)
        else:
            upload.state, upload.report = BulkUpload.State.CHECKED, report.as_dict()
    upload.save(update_fields=["state", "report", "message"])
    return upload


def claim_for_applying(upload: BulkUpload) -> bool:
    """Only a checked upload is applied, and only once (two clicks, two workers)."""
    claimed = BulkUpload.objects.filter(pk=upload.pk, state=BulkUpload.State.CHECKED).update(
        state=BulkUpload.State.APPLYING
    )
    upload.refresh_from_db(fields=["state"])
    return bool(claimed)


def apply(upload: BulkUpload) -> BulkUpload:
    """Apply the rows the check accepted, in one transaction. If any of them no longer
    goes through (someone changed the task since the check), nothing is applied and the
    upload shows the new check instead."""
    with in_language_of(upload.uploaded_by):
        report = _run(upload, apply=True, progress=_progress(upload))
        if report.count(CHANGE) == len(report.outcomes):
            upload.state = BulkUpload.State.APPLIED
            upload.applied_at = timezone.now()
            upload.applied_tasks = len(report.outcomes)
            upload.message = ""
        else:
            upload.state = BulkUpload.State.CHECKING
            upload.message = _(
                "Something changed since the check, so nothing was applied. "
                "Here is the check again."
            )
    upload.save(update_fields=["state", "applied_at", "applied_tasks", "message"])
    if upload.state == BulkUpload.State.CHECKING:
        message = upload.message
        check(upload)
        upload.message = message
        upload.save(update_fields=["message"])
    return upload


# --- in the background ---------------------------------------------------------------


def _enqueue(name: str, upload: BulkUpload) -> None:
    # By the task's registered name: the tasks module calls these services, so these
    # services cannot import it (import contracts, pyproject.toml).
    current_app.tasks[name].delay(upload.pk)


def start_check(upload: BulkUpload) -> BulkUpload:
    """Check now, or in the background when the file is large (``BULK_BACKGROUND_ROWS``)."""
    if runs_in_background(upload):
        transaction.on_commit(lambda: _enqueue("bulk.check_upload", upload))
        return upload
    return check(upload)


def start_apply(upload: BulkUpload) -> bool:
    """Apply now, or in the background when the file is large; False when the upload
    is not (or no longer) ready to apply."""
    if not claim_for_applying(upload):
        return False
    if runs_in_background(upload):
        transaction.on_commit(lambda: _enqueue("bulk.apply_upload", upload))
    else:
        apply(upload)
    return True


def progress_of(upload: BulkUpload) -> tuple[int, int] | None:
    """How far a background check or apply has come: (rows done, rows)."""
    found = cache.get(progress_key(upload))
    return tuple(found) if found else None


@dataclass
class Summary:
    """An upload's check as its page shows it."""

    changes: list[dict]
    refused: list[dict]
    conflicts: list[dict]
    unchanged: int

    @property
    def can_apply(self) -> bool:
        return bool(self.changes)


def summary(upload: BulkUpload) -> Summary:
    outcomes = upload.report.get("outcomes", [])

    def of(kind: str) -> list[dict]:
        return [found for found in outcomes if found["outcome"] == kind]

    return Summary(
        changes=of(CHANGE),
        refused=of(REFUSED),
        conflicts=of(CONFLICT),
        unchanged=len(of(UNCHANGED)),
    )
