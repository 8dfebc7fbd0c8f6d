"""The main navigation: each role is offered only the pages it may open, asking the
same permission functions the views ask."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meetings import permissions as session_permissions
from planning import permissions as planning_permissions
from plans import permissions


def _anyone(user) -> bool:
    return True


ENTRIES: list[tuple[str, str, Callable]] = [
    ("home", _("Home"), _anyone),
    ("inbox:queue", _("My queue"), permissions.can_view_plan),
    ("plans:my_tasks", _("My tasks"), permissions.can_view_plan),
    ("review:dashboard", _("Dashboard"), permissions.can_view_dashboard),
    ("meetings:session_list", _("Report sessions"), session_permissions.can_view_sessions),
    ("planning:plan_list", _("Plans by year"), planning_permissions.can_view_years),
    ("bulk:home", _("Excel updates"), permissions.can_update_in_bulk),
    ("review:public", _("Public targets"), _anyone),
]


# Entries that show a count, fetched after the page renders (so no page pays for it).
COUNTS = {"inbox:queue": "inbox:count"}


@dataclass
class NavItem:
    url: str
    label: str
    current: bool
    count_url: str = ""


def _items(request) -> list[NavItem]:
    user = getattr(request, "user", None)
    items = []
    for name, label, allowed in ENTRIES:
        if allowed(user):
            url = reverse(name)
            count = reverse(COUNTS[name]) if name in COUNTS else ""
            items.append(NavItem(url, str(label), request.path == url, count))
    return items


def start_page(user) -> str:
    """Where a person lands after signing in: their own queue of what to update,
    approve, acknowledge and answer (``inbox``). The one place that decides it
    (``busan_tracker.views.SignInView``); a sign-in with ``?next=`` goes there instead."""
    if permissions.can_view_plan(user):
        return reverse("inbox:queue")
    return reverse("home")


def navigation(request) -> dict:
    # A callable: worked out only when a page renders its navigation, not for every
    # fragment rendered with the request.
    return {"navigation": partial(_items, request)}
