"""Celery tasks: thin wrappers that call the reminder services.

Beat runs ``run_reminder_sweep`` daily (``REMINDER_SWEEP_HOUR``, Asia/Seoul) and
``deliver_reminders`` every few minutes to retry failed sends and reminders a lost worker
left claimed. Both are safe to run twice or at once: the reminder log decides.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from . import outbox


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_reminder_sweep(today: str | None = None) -> dict:
    result = outbox.run_sweep(_day(today))
    return {"due": result.due, "recorded": result.recorded, "sent": result.delivery.sent}


@shared_task(acks_late=True, reject_on_worker_lost=True)
def deliver_reminders(today: str | None = None) -> dict:
    result = outbox.deliver_pending(today=_day(today))
    return {"sent": result.sent, "failed": result.failed, "cancelled": result.cancelled}
