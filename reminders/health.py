"""Are reminders going out? The heartbeat city IT reads in the admin (the reminder log's
page) and that ``/healthz`` reports: plain values, and an alarm state.

One threshold: the claim timeout plus one delivery interval. A reminder that is
waiting goes out at the next delivery run (every ``REMINDER_DELIVERY_INTERVAL_SECONDS``)
or, if a worker died holding it, once its claim timed out and the run after that; and a
delivery run beats after every batch, which by definition ends within the claim
timeout. Waiting longer, or a scheduler silent for longer, means nothing is carrying
reminders on: the worker or the scheduler is down, or cut off from the database or the
broker.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone

from . import heartbeat
from .models import ReminderLog

State = ReminderLog.State

OK = "ok"
ALARM = "alarm"
UNKNOWN = "unknown"  # no delivery run recorded yet (a site whose worker never ran)

# Alarm codes, in the order the admin explains them.
REMINDER_STUCK = "reminder_stuck"
SCHEDULER_SILENT = "scheduler_silent"


def alarm_after_seconds() -> int:
    return settings.REMINDER_CLAIM_TIMEOUT_SECONDS + settings.REMINDER_DELIVERY_INTERVAL_SECONDS


@dataclass(frozen=True)
class ReminderHealth:
    checked_at: dt.datetime
    alarm_after_seconds: int
    # The scheduler: the delivery run's last sign of life (start, each batch, end) and the
    # daily sweep's last run and the day it worked out.
    delivery_alive_at: dt.datetime | None
    delivery_worker: str
    sweep_finished_at: dt.datetime | None
    sweep_day: dt.date | None
    # The reminders: the one waiting longest, since when (pending: since recorded;
    # claimed: since claimed; failed with a retry due: since the retry fell due).
    oldest_waiting_since: dt.datetime | None
    waiting: int
    # Failed after every retry: not waiting any more, shown so they are not forgotten.
    given_up: int

    @property
    def alarm_after_minutes(self) -> int:
        return -(-self.alarm_after_seconds // 60)

    @property
    def oldest_waiting_seconds(self) -> int | None:
        return _age(self.oldest_waiting_since, self.checked_at)

    @property
    def scheduler_silent_seconds(self) -> int | None:
        return _age(self.delivery_alive_at, self.checked_at)

    @property
    def alarms(self) -> tuple[str, ...]:
        limit = self.alarm_after_seconds
        found = []
        if (self.oldest_waiting_seconds or 0) > limit:
            found.append(REMINDER_STUCK)
        if (self.scheduler_silent_seconds or 0) > limit:
            found.append(SCHEDULER_SILENT)
        return tuple(found)

    @property
    def state(self) -> str:
        if self.alarms:
            return ALARM
        return UNKNOWN if self.delivery_alive_at is None else OK

    def for_healthz(self) -> tuple[str, str]:
        """(state, detail) in ``/healthz``'s words: ``ok``, ``failing`` (the alarm) or
        ``unknown`` (no run yet), and facts only — ages and counts, never an error."""
        state = {OK: "ok", ALARM: "failing", UNKNOWN: "unknown"}[self.state]
        facts = []
        if self.scheduler_silent_seconds is not None:
            facts.append(f"delivery ran {self.scheduler_silent_seconds} s ago")
        if self.oldest_waiting_seconds is not None:
            facts.append(f"oldest waiting reminder {self.oldest_waiting_seconds} s")
        facts.append(f"{self.waiting} waiting")
        facts.extend(f"alarm: {code}" for code in self.alarms)
        return state, "; ".join(facts)

    def as_dict(self) -> dict:
        """Plain values (for ``/healthz`` and monitoring): times as ISO 8601, ages in
        whole seconds."""
        return {
            "state": self.state,
            "alarms": list(self.alarms),
            "alarm_after_seconds": self.alarm_after_seconds,
            "checked_at": self.checked_at.isoformat(),
            "scheduler_last_ran_at": _iso(self.delivery_alive_at),
            "scheduler_silent_seconds": self.scheduler_silent_seconds,
            "scheduler_worker": self.delivery_worker,
            "sweep_last_finished_at": _iso(self.sweep_finished_at),
            "sweep_last_day": _iso(self.sweep_day),
            "oldest_waiting_since": _iso(self.oldest_waiting_since),
            "oldest_waiting_seconds": self.oldest_waiting_seconds,
            "waiting": self.waiting,
            "given_up": self.given_up,
        }


def _age(since: dt.datetime | None, now: dt.datetime) -> int | None:
    return None if since is None else max(0, int((now - since).total_seconds()))


def _iso(value) -> str | None:
    return None if value is None else value.isoformat()


def reminder_health(now: dt.datetime | None = None) -> ReminderHealth:
    """The heartbeat now: two queries, whatever the size of the log."""
    now = now or timezone.now()
    retry_due = Q(state=State.FAILED, next_attempt_at__lte=now)
    figures = ReminderLog.objects.filter(
        state__in=[State.PENDING, State.CLAIMED, State.FAILED]
    ).aggregate(
        pending_since=Min("created_at", filter=Q(state=State.PENDING)),
        claimed_since=Min("claimed_at", filter=Q(state=State.CLAIMED)),
        retry_due_since=Min("next_attempt_at", filter=retry_due),
        waiting=Count(
            "id",
            filter=Q(state__in=[State.PENDING, State.CLAIMED])
            | Q(state=State.FAILED, next_attempt_at__isnull=False),
        ),
        given_up=Count("id", filter=Q(state=State.FAILED, next_attempt_at__isnull=True)),
    )
    since = [
        figures[key]
        for key in ("pending_since", "claimed_since", "retry_due_since")
        if figures[key] is not None
    ]
    beats = heartbeat.latest()
    delivery = beats.get(heartbeat.Job.DELIVERY)
    sweep = beats.get(heartbeat.Job.SWEEP)
    return ReminderHealth(
        checked_at=now,
        alarm_after_seconds=alarm_after_seconds(),
        delivery_alive_at=delivery.alive_at if delivery else None,
        delivery_worker=delivery.worker if delivery else "",
        sweep_finished_at=sweep.finished_at if sweep else None,
        sweep_day=sweep.day if sweep else None,
        oldest_waiting_since=min(since) if since else None,
        waiting=figures["waiting"],
        given_up=figures["given_up"],
    )


def reminder_health_dict() -> dict:
    """``reminder_health().as_dict()``: what ``/healthz`` calls."""
    return reminder_health().as_dict()
