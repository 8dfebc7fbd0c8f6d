"""Report sessions as an iCalendar feed, for the calendars of those who attend."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from plans import dates
from plans.links import absolute_reverse

from .models import ReportSession


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
