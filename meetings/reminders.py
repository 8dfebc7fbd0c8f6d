"""Report-session reminders: each bureau presenting at a session is asked, a set number
of business days before, to bring its key tasks up to date. Registered with the plans
reminder policy so it shares the one reminder log and sending service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable

from django.urls import reverse
from django.utils import timezone

from plans import reminders
from plans.models import KeyTask, ReminderLog

from .models import AgendaItem


def session_day(agenda_item: AgendaItem) -> dt.date:
    """The session's calendar day in Busan (a 08:00 KST session is 23:00 UTC the day before)."""
    return timezone.localtime(agenda_item.session.starts_at).date()


def agenda_reminders(
    item: AgendaItem, today: dt.date, policy: reminders.Policy, org: reminders.Organisation
) -> list[reminders.Due]:
    day = session_day(item)
    step = reminders.session_prep_step(day, today, policy)
    if step is None:
        return []
    head = org.head_for(item.bureau_id)
    if head is None:
        return []
    send_on, why = step
    return [
        reminders.Due(
            "agenda",
            item.pk,
            day,
            ReminderLog.Kind.SESSION_PREP,
            head.pk,
            send_on,
            f"head of the presenting bureau: {why}",
        )
    ]


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone()
    )


def _collect(today, policy, org) -> Iterable[reminders.Due]:
    items = AgendaItem.objects.filter(
        session__starts_at__gte=_start_of(today + dt.timedelta(days=1)),
        session__starts_at__lt=_start_of(today + dt.timedelta(days=policy.horizon_days + 1)),
    ).select_related("session")
    for item in items:
        yield from agenda_reminders(item, today, policy, org)


def _load(ids: Collection[int], today: dt.date) -> dict[int, AgendaItem]:
    items = AgendaItem.objects.filter(pk__in=ids).select_related(
        "session__sector", "bureau__head__profile__bureau"
    )
    return {item.pk: item for item in items}


def _still_due(item: AgendaItem, row: ReminderLog, today: dt.date) -> bool:
    return session_day(item) == row.deadline and today < row.deadline


def _email(item: AgendaItem, row: ReminderLog, today: dt.date):
    open_tasks = (
        KeyTask.objects.filter(bureau__path__startswith=item.bureau.path)
        .exclude(status__in=KeyTask.CLOSED_STATUSES)
        .order_by("due_date", "code")
    )
    return "session_prep", {
        "item": item,
        "session": item.session,
        "bureau": item.bureau,
        "deadline": row.deadline,
        "days_left": (row.deadline - today).days,
        "tasks": [
            {"task": t, "url": reminders.absolute_url(reverse("plans:task_detail", args=[t.pk]))}
            for t in open_tasks[:50]
        ],
    }


def register() -> None:
    reminders.register(reminders.SubjectType("agenda", _collect, _load, _still_due, _email))
