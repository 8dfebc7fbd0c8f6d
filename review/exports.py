"""The city-wide list of key tasks as files for the mayor's office: XLSX and CSV, both
written by ``plans.spreadsheets`` (streamed, formulas neutralised)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from plans import dates, spreadsheets
from plans.models import KeyTask
from plans.spreadsheets import Column, Table

# Rows read from the database at a time: memory stays flat however long the list.
CHUNK_ROWS = 2000


def task_columns() -> list[Column]:
    return [
        Column(_("Code"), 10),
        Column(_("Sector"), 28),
        Column(_("Bureau"), 24),
        Column(_("Pillar"), 16),
        Column(_("Key task"), 60),
        Column(_("Reported status"), 14),
        Column(_("Progress (%)"), 12),
        Column(_("At risk (computed)"), 14),
        Column(_("Start date"), 12),
        Column(_("Due date"), 12),
        Column(_("Overdue"), 10),
        Column(_("Owner"), 16),
        Column(_("Last update"), 18),
    ]


def task_rows(tasks: Iterable[KeyTask]) -> Iterator[list]:
    """One row per task. The words are translated here, before the first row: a
    streamed file is written after the view has returned."""
    yes = _("yes")
    statuses = {value: str(label) for value, label in KeyTask.Status.choices}
    if isinstance(tasks, QuerySet):
        tasks = tasks.iterator(chunk_size=CHUNK_ROWS)

    def rows():
        for task in tasks:
            owner = task.owner.get_full_name() or task.owner.username if task.owner else ""
            yield [
                task.code,
                str(task.sector),
                task.bureau.name,
                task.pillar,
                task.title,
                statuses.get(task.status, task.status),
                task.progress,
                yes if task.behind_schedule_flag else "",
                task.start_date,
                task.due_date,
                yes if task.is_overdue_flag else "",
                owner,
                dates.seoul_time(task.updated_at).replace(tzinfo=None),
            ]

    return rows()


def task_table(tasks: Iterable[KeyTask]) -> Table:
    return Table(title=_("Key tasks"), columns=task_columns(), rows=task_rows(tasks))


def file_name(extension: str) -> str:
    return f"key-tasks-{dates.today():%Y%m%d}.{extension}"


def xlsx_response(tasks: Iterable[KeyTask]):
    return spreadsheets.xlsx_response(task_table(tasks), file_name("xlsx"))


def csv_response(tasks: Iterable[KeyTask]):
    return spreadsheets.csv_response(task_table(tasks), file_name("csv"))
