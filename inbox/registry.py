"""The registry of what a person's queue holds.

A kind of item (tasks to update, deadline changes to approve, escalations to
acknowledge, …) says whom it concerns, how many there are, which to list and what the
buttons beside each do. The queue page, its in-place actions and the count in the
navigation ask every registered kind the same questions, so an area adds a kind — plan
submissions to read, mentions to answer — with one ``register`` call and no change
here. The inbox's own kinds are in ``inbox.kinds``; an app beside or above the inbox
registers its own from its AppConfig's ``ready``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

# Each section lists at most this many items and says how many there are in all: the
# page's cost stays the same whatever the size of the plan.
SECTION_LIMIT = 10


class Group(TextChoices):
    """What the person must do with an item, in the order the queue shows them."""

    UPDATE = "update", _("Update")
    APPROVE = "approve", _("Approve")
    ACKNOWLEDGE = "acknowledge", _("Acknowledge")
    ANSWER = "answer", _("Answer")


@dataclass(frozen=True)
class Action:
    """A button beside an item: ``name`` goes in the URL, ``label`` on the button."""

    name: str
    label: str
    primary: bool = False


@dataclass
class Item:
    """One thing in the queue, as the page shows it."""

    pk: int
    title: str
    detail: str = ""
    url: str = ""
    quote: str = ""
    actions: list[Action] = field(default_factory=list)
    # The actions take a short note (a decision's reason, what was checked).
    takes_note: bool = False
    # (action, its URL), filled in by ``inbox.selectors.queue``.
    action_urls: list = field(default_factory=list)


# A scalar SQL subquery and its parameters, e.g. ("SELECT MAX(id) FROM plans_statusupdate", ()).
Mark = tuple[str, tuple]


@dataclass(frozen=True)
class QueueKind:
    """One kind of item.

    - ``concerns(user)``: whether the kind can hold anything for this person at all (a
      permission check, no query), so the queue asks nothing more of kinds that do not
      concern them;
    - ``count(user, today)`` → how many, in one query;
    - ``items(user, today, limit)`` → the first ``limit`` ``Item``s, in a fixed number of
      queries;
    - ``act(user, pk, action, note)`` → what was done, in the reader's words; raises
      ``PermissionDenied``, ``ObjectDoesNotExist`` or ``ValidationError`` (shown beside
      the item);
    - ``marks(user)`` → ``Mark``s: values that move with every change through the product
      that could add, remove or alter one of this person's items or their count. A kind
      that has them is read from the cache while they stay put (``inbox.selectors``
      asks every kind's marks in one query); a kind without them is read every time.
    """

    name: str
    group: str
    title: str
    concerns: Callable[[object], bool]
    count: Callable[[object, date], int]
    items: Callable[[object, date, int], list[Item]]
    act: Callable[[object, int, str, str], str]
    empty: str = ""
    marks: Callable[[object], list[Mark]] | None = None


KINDS: dict[str, QueueKind] = {}


def register(kind: QueueKind) -> None:
    KINDS[kind.name] = kind


def kinds_for(user) -> list[QueueKind]:
    """The registered kinds that concern this person, in the order of the groups."""
    order = {group: index for index, group in enumerate(Group.values)}
    concerned = [kind for kind in KINDS.values() if kind.concerns(user)]
    return sorted(concerned, key=lambda kind: order.get(kind.group, len(order)))
