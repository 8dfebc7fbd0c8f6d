"""What a person's queue holds: each registered kind that concerns them, with its count
and its first items (a fixed number of queries per kind, whatever the size of the plan).

A kind with marks (``QueueKind.marks``) is kept in the cache under them, the person, their
roles and the day: the marks of every kind are read in one query, and a kind is read
again only when one of its marks has moved. What the marks do not see (what only the
admin changes) shows when the kept copy expires."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils.translation import get_language

from plans import permissions
from plans.cache import FIGURES_SECONDS, cached_many, generation

from .kinds import stale_days
from .registry import SECTION_LIMIT, Group, Item, QueueKind, kinds_for


@dataclass
class Section:
    kind: QueueKind
    count: int
    items: list[Item]

    @property
    def is_partial(self) -> bool:
        return self.count > len(self.items)

    @property
    def shown(self) -> tuple:
        """Everything the section shows: what its rendering is kept under."""
        kind = self.kind
        return (kind.name, kind.group, str(kind.title), str(kind.empty), self.count, self.items)

    @property
    def group_label(self) -> str:
        return Group(self.kind.group).label if self.kind.group in Group.values else ""


def queue(user, today: date) -> list[Section]:
    """One query per kind, and a second (the count) only for a kind whose list is full;
    none for a kind whose marks have not moved since it was last read."""
    kinds = kinds_for(user)
    by_name = {kind.name: kind for kind in kinds}
    stamps = _stamps(user, today, kinds)
    kept = cached_many(
        {name: _key("items", name, stamp) for name, stamp in stamps.items()},
        lambda names: {name: _read(by_name[name], user, today) for name in names},
        FIGURES_SECONDS,
    )
    sections = []
    for kind in kinds:
        count, items = kept[kind.name] if kind.name in kept else _read(kind, user, today)
        sections.append(Section(kind=kind, count=count, items=items))
    return sections


def _read(kind: QueueKind, user, today: date) -> tuple[int, list[Item]]:
    items = kind.items(user, today, SECTION_LIMIT)
    count = kind.count(user, today) if len(items) >= SECTION_LIMIT else len(items)
    for item in items:
        item.action_urls = [
            (action, reverse("inbox:act", args=[kind.name, item.pk, action.name]))
            for action in item.actions
        ]
    return count, items


def total(user, today: date) -> int:
    """How many things wait for this person: the count in the navigation, from the queue
    kept in the cache when a kind's marks have not moved."""
    kinds = kinds_for(user)
    stamps = _stamps(user, today, kinds)
    kept = cache.get_many(
        [_key(what, name, stamp) for name, stamp in stamps.items() for what in ("items", "count")]
    )
    counts, fresh = [], {}
    for kind in kinds:
        items, count = (_key(what, kind.name, stamps.get(kind.name)) for what in ("items", "count"))
        if items in kept:
            counts.append(kept[items][0])
        elif count in kept:
            counts.append(kept[count])
        else:
            counts.append(kind.count(user, today))
            if kind.name in stamps:
                fresh[count] = counts[-1]
    cache.set_many(fresh, FIGURES_SECONDS)
    return sum(counts)


def _key(what: str, name: str, stamp: str | None) -> str:
    """Where a kind's count and first items ("items") or its count alone ("count") are kept."""
    return f"queue:{what}:{name}:{stamp}"


def _stamps(user, today: date, kinds: list[QueueKind]) -> dict[str, str]:
    """{kind name: what its cached copy is kept under} for the kinds with marks: their
    marks (read in one query), the person, their roles, the day and the language."""
    marked = {kind.name: kind.marks(user) for kind in kinds if kind.marks is not None}
    if not marked:
        return {}
    # A mark several kinds share (the key tasks' history) is asked once.
    columns = list(dict.fromkeys(mark for marks in marked.values() for mark in marks))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(f"({sql})" for sql, _params in columns),
            [param for _sql, params in columns for param in params],
        )
        values = dict(zip(columns, cursor.fetchone(), strict=True))
    person = (
        user.pk,
        permissions.is_mayors_office(user),
        permissions.headed_bureau_paths(user),
        generation("bureaus"),
        today.isoformat(),
        get_language() or "",
        stale_days(),
    )
    return {
        name: hashlib.sha256(repr((person, [values[mark] for mark in marks])).encode()).hexdigest()
        for name, marks in marked.items()
    }
