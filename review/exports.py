"""The city-wide list of key tasks as files for the mayor's office: XLSX and CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from plans import dates
from plans.models import KeyTask

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
        (_("Adopted due date"), 12),
        (_("Times the deadline moved"), 10),
        (_("Overdue"), 10),
        (_("Owner"), 16),
        (_("Last update"), 18),
        (_("Latest note"), 60),
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
            task.adopted_due_date,
            task.deadline_moves,
            _yes_no(task.is_overdue_flag),
            owner,
            dates.seoul_time(task.updated_at).replace(tzinfo=None),
            getattr(task, "latest_note", None) or "",
        ]


def tasks_xlsx(tasks: Iterable[KeyTask]) -> bytes:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = _("Key tasks")[:31]
    columns = task_columns()
    sheet.append([header for header, _width in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, (_header, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    for row in task_rows(tasks):
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, date):
                cell.number_format = (
                    "yyyy-mm-dd hh:mm" if hasattr(cell.value, "hour") else "yyyy-mm-dd"
                )
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def tasks_csv(tasks: Iterable[KeyTask]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([header for header, _width in task_columns()])
    for row in task_rows(tasks):
        writer.writerow(
            [
                value.isoformat(sep=" ", timespec="minutes")
                if hasattr(value, "hour")
                else value.isoformat()
                if isinstance(value, date)
                else value
                for value in row
            ]
        )
    # The byte-order mark is how Excel knows the file is UTF-8 and shows Korean.
    return buffer.getvalue().encode("utf-8-sig")


def _attachment(content: bytes, content_type: str, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    name = f"key-tasks-{dates.today():%Y%m%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def xlsx_response(tasks: Iterable[KeyTask]) -> HttpResponse:
    return _attachment(tasks_xlsx(tasks), XLSX_TYPE, "xlsx")


def csv_response(tasks: Iterable[KeyTask]) -> HttpResponse:
    return _attachment(tasks_csv(tasks), "text/csv; charset=utf-8", "csv")
