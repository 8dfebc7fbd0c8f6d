"""What a person's queue holds: each registered kind that concerns them, with its count
and its first items (a fixed number of queries per kind, whatever the size of the plan)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse

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
    def group_label(self) -> str:
        return Group(self.kind.group).label if self.kind.group in Group.values else ""


def queue(user, today: date) -> list[Section]:
    """One query per kind, and a second (the count) only for a kind whose list is full."""
    sections = []
    for kind in kinds_for(user):
        items = kind.items(user, today, SECTION_LIMIT)
        count = kind.count(user, today) if len(items) >= SECTION_LIMIT else len(items)
        for item in items:
            item.action_urls = [
                (action, reverse("inbox:act", args=[kind.name, item.pk, action.name]))
                for action in item.actions
            ]
        sections.append(Section(kind=kind, count=count, items=items))
    return sections


def total(user, today: date) -> int:
    """How many things wait for this person: the count in the navigation."""
    return sum(kind.count(user, today) for kind in kinds_for(user))
