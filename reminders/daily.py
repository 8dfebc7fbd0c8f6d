"""The daily email: a person's reminders of one day go out as one message.

- Escalations always: at most one escalation email per person per day, listing every
  task escalated to them (2,400 overdue tasks are one email to each of the mayor's
  office, not 2,400).
- Reminders ahead of deadlines and mentions (subject types marked ``digestible``) join
  that email when the person chose a daily digest (``NotificationPreference``, the
  default ``REMINDER_DEFAULT_DELIVERY``); otherwise each goes out alone.
- The weekly digest and other subjects go out alone, as before.

A group of one is sent as the reminder's own email. Delivery (``reminders.outbox``)
claims every waiting reminder of a person together, so a day's group is never split
between batches or workers; the group is marked sent in one UPDATE once the mail server
accepted it, which keeps "exactly once" as it was for single reminders.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction

from plans import dates

from .models import NotificationPreference, NotificationSettingChange, ReminderLog
from .subjects import kind_label

DAILY = "daily"
Delivery = NotificationPreference.Delivery


def daily_recipients(ids: Collection[int]) -> set[int]:
    """Which of these people take their reminders as a daily digest (one query)."""
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=ids).values_list("user_id", "delivery")
    )
    default = settings.REMINDER_DEFAULT_DELIVERY
    return {pk for pk in ids if chosen.get(pk, default) == Delivery.DAILY}


def delivery_of(user) -> str:
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference.delivery if preference else settings.REMINDER_DEFAULT_DELIVERY


@transaction.atomic
def set_delivery(*, user, delivery: str, by=None) -> NotificationPreference:
    """Save a person's choice (``by``: who changed it, the person by default) and, when
    what they receive changes, record who changed it, when and from what to what."""
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(
        user=user, defaults={"delivery": settings.REMINDER_DEFAULT_DELIVERY}
    )
    old = preference.delivery
    preference.delivery = delivery
    preference.full_clean()
    preference.save(update_fields=["delivery", "changed_at"])
    if delivery != old:
        NotificationSettingChange.objects.create(
            person=user, changed_by=by or user, old_delivery=old, new_delivery=delivery
        )
    return preference


def setting_changes(user, limit: int = 10) -> list[NotificationSettingChange]:
    """The person's latest notification setting changes, newest first (one query)."""
    changes = NotificationSettingChange.objects.filter(person=user).select_related("changed_by")
    return list(changes[:limit])


def group(to_send: list[tuple], today: dt.date) -> list[list[tuple]]:
    """The batch's (row, subject type, subject) in the emails they go out as: a list per
    email, in the order of the rows' ids."""
    daily = daily_recipients({row.recipient_id for row, _type, _subject in to_send})
    groups: dict[Any, list[tuple]] = defaultdict(list)
    for item in to_send:
        row, subject_type, _subject = item
        joins = row.is_escalation or (subject_type.digestible and row.recipient_id in daily)
        groups[(row.recipient_id, DAILY) if joins else row.pk].append(item)
    return list(groups.values())


def escalated_today(recipient_id: int, today: dt.date, besides: Collection[int]) -> bool:
    """The person already had today's escalation email (another group sent earlier today,
    a sweep run again on an interval): what comes later waits for tomorrow's."""
    if today != dates.today():
        return False
    return (
        ReminderLog.objects.filter(
            recipient_id=recipient_id,
            kind__in=ReminderLog.ESCALATIONS,
            state=ReminderLog.State.SENT,
            sent_at__gte=dates.start_of(today),
        )
        .exclude(pk__in=besides)
        .exists()
    )


@dataclass
class Item:
    """One line of the daily email, from the context the reminder's own email would have."""

    kind: str
    is_escalation: bool
    context: dict


def email(group: list[tuple], today: dt.date) -> tuple[str, dict]:
    items = []
    for row, subject_type, subject in group:
        _template, context = subject_type.email(subject, row, today)
        items.append(Item(kind_label(row.kind), row.is_escalation, context))
    escalations = [i for i in items if i.is_escalation]
    mentions = [i for i in items if not i.is_escalation and "comment" in i.context]
    reminders = [i for i in items if not i.is_escalation and "comment" not in i.context]
    return DAILY, {
        "day": today,
        "escalations": escalations,
        "reminders": reminders,
        "mentions": mentions,
        "count": len(items),
    }
