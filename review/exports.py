"""The city-wide list of key tasks as files for the mayor's office: XLSX and CSV."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.translation import gettext as _

from plans import dates, spreadsheets
from plans.models import KeyTask


def task_columns() -> list[tuple[str, int]]:
    """(header, width in characters)."""
    return [
        (_("Code"), 10),
        (_("Sector"), 28),
        (_("Bureau"), 24),
        (_("Pillar"), 16),
        (_("Key task"), 60),
        (_("Reported status"), 14),
        (_("Progress (%)"), 12),
        (_("At risk (computed)"), 14),
        (_("Start date"), 12),
        (_("Due date"), 12),
        (_("Overdue"), 10),
        (_("Owner"), 16),
        (_("Last update"), 18),
    ]


def _yes_no(value: bool) -> str:
    return _("yes") if value else ""


def task_rows(tasks: Iterable[KeyTask]) -> Iterable[list]:
    for task in tasks:
        owner = task.owner.get_full_name() or task.owner.username if task.owner else ""
        yield [
            task.code,
            str(task.sector),
            task.bureau.name,
            task.pillar,
            task.title,
            task.get_status_display(),
            task.progress,
            _yes_no(task.behind_schedule_flag),
            task.start_date,
            task.due_date,
            _yes_no(task.is_overdue_flag),
            owner,
            dates.seoul_time(task.updated_at).replace(tzinfo=None),
        ]


def tasks_xlsx(tasks: Iterable[KeyTask]) -> bytes:
    return spreadsheets.table_xlsx(_("Key tasks"), task_columns(), task_rows(tasks))


def tasks_csv(tasks: Iterable[KeyTask]) -> bytes:
    return spreadsheets.table_csv(task_columns(), task_rows(tasks))


def xlsx_response(tasks: Iterable[KeyTask]) -> HttpResponse:
    return spreadsheets.attachment(tasks_xlsx(tasks), name="key-tasks", extension="xlsx")


def csv_response(tasks: Iterable[KeyTask]) -> HttpResponse:
    return spreadsheets.attachment(tasks_csv(tasks), name="key-tasks", extension="csv")
