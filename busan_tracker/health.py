"""What ``/healthz`` reports: a short list of checks, each one function.

A load balancer takes a web server out of rotation when ``/healthz`` answers 503; city IT's
monitoring reads every line. Only the checks the web server needs to serve pages
(``serves_pages``) decide the status code: a scheduler that stopped does not make this
server unable to answer, so it shows in the body without taking the site down.

Adding a check is one function returning a ``Result`` and one line in ``CHECKS``.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from kombu import Connection

from reminders.health import reminder_health

logger = logging.getLogger(__name__)

State = Literal["ok", "failing", "unknown"]


@dataclass(frozen=True)
class Result:
    state: State
    # Shown to anyone who asks /healthz: a fact such as an age, never an error text
    # (those can carry host names or credentials; they go to the log instead).
    detail: str = ""


@dataclass(frozen=True)
class Check:
    name: str
    run: Callable[[], Result]
    serves_pages: bool = True


@dataclass(frozen=True)
class Outcome:
    name: str
    state: State
    detail: str
    milliseconds: float
    serves_pages: bool


def database() -> Result:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return Result("ok")


def shared_cache() -> Result:
    # A value of this request's own, so a stale entry from another probe cannot pass.
    token = secrets.token_hex(8)
    cache.set("healthz", token, timeout=30)
    return Result("ok" if cache.get("healthz") == token else "failing")


def broker() -> Result:
    with Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=3,
        transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    ) as conn:
        conn.ensure_connection(max_retries=0, timeout=3)
    return Result("ok")


def beat() -> Result:
    """When the scheduler last ran delivery and how long the oldest reminder has waited:
    ``failing`` when either passed the alarm (claim timeout + one delivery interval),
    ``unknown`` before the first run."""
    return Result(*reminder_health().for_healthz())


CHECKS: list[Check] = [
    Check("database", database),
    Check("cache", shared_cache),
    Check("broker", broker),
    Check("beat", beat, serves_pages=False),
]


def run_checks(checks: list[Check] | None = None) -> list[Outcome]:
    outcomes = []
    for check in CHECKS if checks is None else checks:
        started = time.perf_counter()
        try:
            result = check.run()
        except Exception:
            logger.exception("health check %s failed", check.name)
            result = Result("failing")
        outcomes.append(
            Outcome(
                name=check.name,
                state=result.state,
                detail=result.detail,
                milliseconds=round((time.perf_counter() - started) * 1000, 1),
                serves_pages=check.serves_pages,
            )
        )
    return outcomes


def healthy(outcomes: list[Outcome]) -> bool:
    return all(o.state == "ok" for o in outcomes if o.serves_pages)
