"""Celery tasks: thin wrappers that call the reminder services.

Beat runs ``run_reminder_sweep`` daily (``REMINDER_SWEEP_HOUR``, Asia/Seoul) and
``deliver_reminders`` every few minutes to retry failed sends and reminders a lost worker
left claimed, and to catch up a daily sweep that was missed. Both are safe to run twice
or at once: the reminder log decides.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import outbox

# A database that went away mid-run (PostgreSQL restarting, a dropped connection) is
# tried again within seconds rather than at beat's next run: the retry settles the batch
# the lost connection interrupted and carries on. Bounded (about five minutes in all);
# after that beat's periodic delivery takes over.
ON_LOST_DATABASE = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 1,
    "retry_backoff_max": 60,
    "max_retries": 10,
}


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@shared_task(acks_late=True, reject_on_worker_lost=True, **ON_LOST_DATABASE)
def run_reminder_sweep(today: str | None = None) -> dict:
    result = outbox.run_sweep(_day(today))
    return {"due": result.due, "recorded": result.recorded, "sent": result.delivery.sent}


@shared_task(acks_late=True, reject_on_worker_lost=True, **ON_LOST_DATABASE)
def deliver_reminders(today: str | None = None) -> dict:
    result = outbox.run_scheduled_delivery(_day(today))
    return {"sent": result.sent, "failed": result.failed, "cancelled": result.cancelled}
