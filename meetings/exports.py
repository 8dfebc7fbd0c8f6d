"""Files for the mayor's office: the task list as XLSX and CSV, sessions as iCalendar."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from plans.models import KeyTask

from .models import ReportSession


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
            _yes_no(task.at_risk_computed),
            task.start_date,
            task.due_date,
            _yes_no(task.is_overdue_flag),
            owner,
            timezone.localtime(task.updated_at).replace(tzinfo=None),
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


def sessions_ics(sessions: Iterable[ReportSession], *, site_url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//City of Busan//Work-plan tracker//KO")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Work-plan report sessions"))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for session in sessions:
        event = Event()
        event.add("uid", f"report-session-{session.pk}@busan-work-plan")
        event.add("summary", f"{_('Work-plan report session')}: {session.sector.name}")
        event.add("dtstart", timezone.localtime(session.starts_at))
        event.add("dtend", timezone.localtime(session.ends_at))
        event.add("dtstamp", timezone.now())
        event.add("location", session.venue)
        event.add("description", session.theme)
        event.add("url", f"{site_url}/sessions/{session.pk}/")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
