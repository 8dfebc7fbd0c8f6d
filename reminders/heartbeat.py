"""The scheduler's heartbeat: each scheduled job notes when it started, that it is still
going (after every batch) and when it finished, so a stopped worker or scheduler shows
in the admin and ``/healthz`` (``reminders.health``) instead of in missing emails."""

from __future__ import annotations

import datetime as dt
import os
import socket

from django.utils import timezone

from .models import SchedulerHeartbeat

Job = SchedulerHeartbeat.Job


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def record(
    job: str,
    *,
    started: bool = False,
    finished: bool = False,
    day: dt.date | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Note a sign of life of ``job``: one statement (an upsert), so the delivery's
    cost per batch stays fixed and two workers beating at once never collide."""
    now = now or timezone.now()
    fields = {"alive_at": now, "worker": _worker_name()}
    if started:
        fields["started_at"] = now
    if finished:
        fields["finished_at"] = now
    if day is not None:
        fields["day"] = day
    beat = SchedulerHeartbeat(job=job, **fields)
    # The unique check would be a query of its own; the upsert settles it.
    beat.full_clean(validate_unique=False)
    SchedulerHeartbeat.objects.bulk_create(
        [beat], update_conflicts=True, unique_fields=["job"], update_fields=list(fields)
    )


def latest() -> dict[str, SchedulerHeartbeat]:
    """Every job's heartbeat, by job."""
    return {beat.job: beat for beat in SchedulerHeartbeat.objects.all()}


def swept(day: dt.date) -> bool:
    """Whether a sweep of ``day`` has run to the end."""
    return SchedulerHeartbeat.objects.filter(job=Job.SWEEP, day=day).exists()
