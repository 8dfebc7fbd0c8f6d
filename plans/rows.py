"""The rows of My tasks: one table row per key task, with the in-row update form on
demand. A row changes only with its task (every change bumps its version and update
time), the reader's language and the day (days left), so rows are rendered once under
those and read from the cache; a row with a form, a conflict or a success cue is never
cached."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation

from . import cache, dates, history, selectors
from .forms import QuickUpdateForm, SubmitResult
from .models import KeyTask

TEMPLATE = "plans/my_tasks.html#task_row"
# A cached row can show a renamed bureau or a display name changed elsewhere for at
# most this long; anything that changes the task itself shows at once.
ROW_SECONDS = 300


@dataclass
class TaskRow:
    task: KeyTask
    form: QuickUpdateForm | None = None
    conflict: list[history.HistoryEntry] | None = None
    saved: bool = False


def _key(task: KeyTask, language: str, today: str) -> str:
    changed = task.updated_at.timestamp()
    return f"plans:my-tasks-row:{task.pk}:{task.version}:{changed}:{language}:{today}"


def rendered_rows(request, tasks: list[KeyTask], *, next_url: str) -> dict[int, str]:
    """{task id: the row's HTML} for a page of tasks read by
    ``selectors.tasks_for_my_tasks``: one cache read, and the rows not cached read in
    full (one query, and one for their indicators) and rendered."""
    language = translation.get_language() or ""
    today = dates.today().isoformat()

    def render_missing(pks: list[int]) -> dict[int, str]:
        fresh = KeyTask.objects.filter(pk__in=pks).order_by()  # placed by the page
        return {
            task.pk: render_to_string(TEMPLATE, {"row": TaskRow(task), "next": next_url}, request)
            for task in selectors.with_row_data(fresh)
        }

    keys = {task.pk: _key(task, language, today) for task in tasks}
    return cache.cached_many(keys, render_missing, ROW_SECONDS)


@dataclass
class RenderedRow:
    task: KeyTask
    html: str


def grouped_rows(request, tasks: list[KeyTask], sectors, *, next_url: str):
    """[(sector, [RenderedRow, …]), …] for a page of tasks already in sector order. A
    task deleted (in the admin) since the page was counted has no row."""
    html = rendered_rows(request, tasks, next_url=next_url)
    return [
        (sector, [RenderedRow(task, html[task.pk]) for task in group if task.pk in html])
        for sector, group in selectors.group_by_sector(tasks, sectors)
    ]


def after_update(task: KeyTask, form: QuickUpdateForm, result: SubmitResult) -> TaskRow:
    """The row to show after an in-row update: saved, refused with the other change
    (the task as it is now, what the user typed kept for one click to apply it again),
    or refused with the form's errors."""
    if result.saved is not None:
        saved = result.saved
        if "actual" in form.changes():
            selectors.read_row_indicators(saved)
        return TaskRow(saved, saved=True)
    if result.conflict is not None:
        current = selectors.with_row_data(KeyTask.objects.all()).get(pk=task.pk)
        again = QuickUpdateForm(form.data, task=current).with_version(current.version)
        again.is_valid()
        return TaskRow(
            current, form=again, conflict=history.history_entries(result.conflict.changes)
        )
    return TaskRow(task, form=form)
