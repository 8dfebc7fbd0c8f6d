"""The one helper for cached renderings and figures.

A review page (dashboard, sector page, briefing pack) is the same for every reader
until the plan changes, and a row of My tasks changes only with its task: both are
computed once and read from the cache (local memory on the embedded default, Redis
with ``CACHE_URL`` when several app servers share it). Keys carry what the value
depends on, so nothing is ever invalidated by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.utils.translation import get_language

from . import dates
from .models import Measurement, MeasurementRevision, StatusUpdate

# Every change made through the product writes a history row, a measurement or a
# revision, so the plan's stamp moves at once; what only the admin can change (an
# indicator's target, a sector's name) shows within this many seconds.
FIGURES_SECONDS = 60


def plan_stamp() -> str:
    """A fingerprint of what the review pages are computed from: one query of four
    index lookups, whatever the size of the plan."""
    history = StatusUpdate._meta.db_table
    measurements = Measurement._meta.db_table
    revisions = MeasurementRevision._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {history}),"
            f" (SELECT MAX(id) FROM {measurements}),"
            f" (SELECT COUNT(*) FROM {measurements}),"
            f" (SELECT MAX(id) FROM {revisions})"
        )
        return ".".join(str(value) for value in cursor.fetchone())


def cached(name: str, parts: tuple, compute: Callable[[], Any], *, stamp: str | None = None):
    """``compute()`` once per plan stamp, Seoul day, language and ``parts``: a page read
    by many people between two updates costs a cache read, not a recount."""
    key = ":".join(
        ["figures", name, stamp or plan_stamp(), dates.today().isoformat(), get_language() or ""]
        + [str(part) for part in parts]
    )
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, FIGURES_SECONDS)
    return value


def cached_many(
    keys: dict[Hashable, str],
    compute: Callable[[list[Hashable]], dict[Hashable, Any]],
    timeout: int,
) -> dict[Hashable, Any]:
    """{id: value} for ``keys`` ({id: cache key}): one cache read for all of them, and
    ``compute(missing ids)`` → {id: value} once for those not cached."""
    found = cache.get_many(list(keys.values()))
    values = {item: found[key] for item, key in keys.items() if key in found}
    missing = [item for item in keys if item not in values]
    if missing:
        fresh = compute(missing)
        cache.set_many({keys[item]: value for item, value in fresh.items()}, timeout)
        values.update(fresh)
    return values
