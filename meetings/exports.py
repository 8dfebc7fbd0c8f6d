"""Report sessions as an iCalendar feed, for the calendars of those who attend."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from icalendar import Calendar, Event

from plans import dates, spreadsheets
from plans.links import absolute_reverse
from plans.spreadsheets import Column, Table

from .models import Directive, ReportSession


def sessions_ics(sessions: Iterable[ReportSession]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//City of Busan//Work-plan tracker//KO")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Work-plan report sessions"))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for session in sessions:
        event = Event()
        event.add("uid", f"report-session-{session.pk}@busan-work-plan")
        event.add("summary", f"{_('Work-plan report session')}: {session.sector.name}")
        event.add("dtstart", dates.seoul_time(session.starts_at))
        event.add("dtend", dates.seoul_time(session.ends_at))
        event.add("dtstamp", timezone.now())
        event.add("location", session.venue)
        event.add("description", session.theme)
        event.add("url", absolute_reverse("meetings:session_detail", session.pk))
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def directive_columns() -> list[Column]:
    return [
        Column(_("Session"), 14),
        Column(_("Sector"), 28),
        Column(_("Directive"), 60),
        Column(_("Key task"), 12),
        Column(_("Owner bureau"), 24),
        Column(_("Owner"), 16),
        Column(_("Due date"), 12),
        Column(pgettext("directive", "State"), 10),
        Column(_("Status"), 12),
        Column(_("Progress (%)"), 12),
        Column(_("Overdue"), 10),
    ]


def directive_rows(directives: Iterable[Directive], today) -> Iterable[list]:
    for directive in directives:
        task = directive.key_task
        owner = (task.owner.get_full_name() or task.owner.username) if task.owner else ""
        yield [
            dates.seoul_day(directive.session.starts_at),
            str(directive.session.sector),
            directive.text,
            task.code,
            directive.bureau.name,
            owner,
            directive.due_date,
            directive.get_state_display(),
            task.get_status_display(),
            task.progress,
            _("yes") if task.is_overdue(today) else "",
        ]


def directives_response(directives: Iterable[Directive], *, today, extension: str):
    """The directives as an XLSX or CSV download, through the one export writer (formulas
    kept as text)."""
    table = Table(_("Directives"), directive_columns(), directive_rows(directives, today))
    filename = f"directives-{today:%Y%m%d}.{extension}"
    if extension == "xlsx":
        return spreadsheets.xlsx_response(table, filename)
    return spreadsheets.csv_response(table, filename)
