"""Report-session reminders: each bureau presenting at a session is asked, a set number
of business days before (``REMINDER_SESSION_LEAD_DAYS``), to bring its key tasks up to
date. Registered with the reminders app from ``MeetingsConfig.ready``, so it shares the
one reminder log and outbox without the reminders knowing about sessions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from plans import dates
from plans.links import absolute_reverse
from plans.models import KeyTask
from reminders.calendar import MAX_SHIFT_DAYS, business_day_on_or_before, moved
from reminders.models import ReminderLog
from reminders.policy import Due, Policy
from reminders.recipients import Organisation
from reminders.subjects import SubjectType, register

from .models import AgendaItem

AGENDA = "agenda"
SESSION_PREP = "session_prep"


def lead_days() -> int:
    return settings.REMINDER_SESSION_LEAD_DAYS


def session_day(agenda_item: AgendaItem) -> dt.date:
    """The session's calendar day in Busan (a 08:00 KST session is 23:00 UTC the day before)."""
    return dates.seoul_day(agenda_item.session.starts_at)


def session_prep_step(
    session_day: dt.date, today: dt.date, lead_days: int
) -> tuple[dt.date, str] | None:
    """(the day it goes out, why) when the preparation reminder for a session on
    ``session_day`` is due by ``today``: ``lead_days`` before, or the business day before."""
    if today >= session_day:
        return None
    nominal = session_day - dt.timedelta(days=lead_days)
    send_on = business_day_on_or_before(nominal)
    if send_on > today:
        return None
    why = (
        f"{lead_days} day(s) before the report session of "
        f"{session_day:%Y-%m-%d}{moved(nominal, send_on)}"
    )
    return send_on, why


def agenda_reminders(
    item: AgendaItem, today: dt.date, org: Organisation, lead_days: int
) -> list[Due]:
    day = session_day(item)
    step = session_prep_step(day, today, lead_days)
    if step is None:
        return []
    head = org.head_for(item.bureau_id)
    if head is None:
        return []
    send_on, why = step
    reason = f"head of the presenting bureau: {why}"
    return [Due(AGENDA, item.pk, day, SESSION_PREP, head.pk, send_on, reason)]


def _collect(today: dt.date, policy: Policy, org: Organisation) -> Iterable[Due]:
    days = lead_days()
    horizon = days + MAX_SHIFT_DAYS
    items = AgendaItem.objects.filter(
        session__starts_at__gte=dates.start_of(today + dt.timedelta(days=1)),
        session__starts_at__lt=dates.start_of(today + dt.timedelta(days=horizon + 1)),
    ).select_related("session")
    for item in items:
        yield from agenda_reminders(item, today, org, days)


def _load(ids: Collection[int], today: dt.date) -> dict[int, AgendaItem]:
    items = AgendaItem.objects.filter(pk__in=ids).select_related(
        "session__sector", "bureau__head__profile__bureau"
    )
    return {item.pk: item for item in items}


def _still_due(item: AgendaItem, row: ReminderLog, today: dt.date) -> bool:
    return session_day(item) == row.deadline and today < row.deadline


def _email(item: AgendaItem, row: ReminderLog, today: dt.date):
    open_tasks = (
        KeyTask.objects.open()
        .filter(bureau__path__startswith=item.bureau.path)
        .order_by("due_date", "code")
    )
    return "session_prep", {
        "item": item,
        "session": item.session,
        "bureau": item.bureau,
        "deadline": row.deadline,
        "days_left": (row.deadline - today).days,
        "tasks": [
            {"task": t, "url": absolute_reverse("plans:task_detail", t.pk)} for t in open_tasks[:50]
        ],
    }


SESSION_PREPARATION = SubjectType(
    AGENDA,
    _collect,
    _load,
    _still_due,
    _email,
    kinds={SESSION_PREP: _("report session preparation")},
)


def register_subject() -> None:
    register(SESSION_PREPARATION)
