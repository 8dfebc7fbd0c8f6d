"""The one helper for cached renderings and figures.

A review page (dashboard, sector page, briefing pack) is the same for every reader
until the plan changes, and a row of My tasks changes only with its task: both are
computed once and read from the cache (local memory on the embedded default, Redis
with ``CACHE_URL`` when several app servers share it). Keys carry what the value
depends on, so nothing is ever invalidated by hand.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.db import connection, models
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from . import dates
from .models import Measurement, MeasurementRevision, StatusUpdate

# Every change made through the product writes a history row, a measurement or a
# revision, so the plan's stamp moves at once; what only the admin can change (an
# indicator's target, a sector's name) shows within this many seconds.
FIGURES_SECONDS = 60


def plan_stamp(*records: type[models.Model]) -> str:
    """A fingerprint of what the review pages are computed from: one query of index
    lookups, whatever the size of the plan. A page that also shows other records (a
    session's directives and changes) names their models: each row added moves it."""
    history = StatusUpdate._meta.db_table
    measurements = Measurement._meta.db_table
    revisions = MeasurementRevision._meta.db_table
    tables = [model._meta.db_table for model in records]
    more = "".join(
        f", (SELECT MAX(id) FROM {table}), (SELECT COUNT(*) FROM {table})" for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {history}),"
            f" (SELECT MAX(id) FROM {measurements}),"
            f" (SELECT COUNT(*) FROM {measurements}),"
            f" (SELECT MAX(id) FROM {revisions}){more}"
        )
        return ".".join(str(value) for value in cursor.fetchone())


def cached(name: str, parts: tuple, compute: Callable[[], Any], *, stamp: str | None = None):
    """``compute()`` once per plan stamp, Seoul day, language and ``parts``: a page read
    by many people between two updates costs a cache read, not a recount."""
    key = ":".join(
        ["figures", name, stamp or plan_stamp(), dates.today().isoformat(), get_language() or ""]
        + [str(part) for part in parts]
    )
    return cache.get_or_set(key, compute, FIGURES_SECONDS)


# Stands for the visitor's CSRF token in a page kept for every visitor; each answer
# carries the visitor's own.
CSRF_PLACEHOLDER = "csrf-token-of-this-visitor"


def visitor_page(
    request,
    name: str,
    render_page: Callable[[dict], HttpResponse],
    *,
    records: tuple[type[models.Model], ...] = (),
) -> HttpResponse:
    """A page read by visitors who are not signed in (the plan at a glance, the public
    targets), rendered once per change of the plan (and of ``records``), language and
    address: a resident's request costs one query and a cache read. Signed-in readers,
    a visitor with a message to see, and an address with more than a year asked for
    (which would fill the cache with copies) get it rendered for them."""
    if (
        request.user.is_authenticated
        or len(messages.get_messages(request))
        or set(request.GET) - {"year"}
    ):
        return render_page({})
    html = cached(
        name,
        (request.get_full_path(),),
        lambda: render_page({"csrf_token": CSRF_PLACEHOLDER}).content.decode(),
        stamp=plan_stamp(*records),
    )
    return HttpResponse(_with_token(request, html))


def kept_fragment(request, name: str, parts: tuple, render: Callable[[dict], str]) -> str:
    """A fragment with forms in it, rendered once per ``parts`` and language and kept in
    the cache: ``parts`` must name everything it shows (its items themselves, not only
    whose they are). Its forms carry each reader's own CSRF token, put in on each read;
    ``render(extra)`` renders it with ``extra`` added to its context."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    key = f"fragment:{name}:{get_language() or ''}:{digest}"
    html = cache.get_or_set(key, lambda: render({"csrf_token": CSRF_PLACEHOLDER}), FIGURES_SECONDS)
    return mark_safe(_with_token(request, html))


def _with_token(request, html: str) -> str:
    """A kept rendering with this reader's own CSRF token in its forms."""
    return html.replace(CSRF_PLACEHOLDER, get_token(request))


def generation(name: str) -> int:
    """How many times the list of ``name`` ("bureaus", "sectors") has changed: a key
    part that moves with every change to one of its rows (``bureaus_changed``,
    ``sectors_changed``)."""
    return cache.get_or_set(f"generation:{name}", 0, None)


def list_key(name: str, query: str) -> str:
    """A key for a list of ``name`` (e.g. "bureaus") read by ``query`` in the reader's
    language, which changes with every change to a row of the list."""
    digest = hashlib.sha256(query.encode()).hexdigest()[:32]
    return f"choices:{name}:{generation(name)}:{digest}:{get_language() or ''}"


def bureaus_changed(**kwargs) -> None:
    _changed("bureaus")


def sectors_changed(**kwargs) -> None:
    _changed("sectors")


def _changed(name: str) -> None:
    try:
        cache.incr(f"generation:{name}")
    except ValueError:
        cache.set(f"generation:{name}", 1, None)


def cached_list(key: str, compute: Callable[[], Any]) -> Any:
    """``compute()`` once a minute per ``key`` (``list_key``: a query and the language):
    a long list of choices that only the admin changes, read by many pages."""
    return cache.get_or_set(key, compute, FIGURES_SECONDS)


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
