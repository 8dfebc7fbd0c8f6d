"""The main navigation: each role is offered only the pages it may open, asking the
same permission functions the views ask."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial

from django.urls import get_script_prefix, reverse
from django.utils.functional import SimpleLazyObject
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


@cache
def _url(name: str, prefix: str) -> str:
    """The address of a page without arguments, worked out once per name (and script
    prefix): every page's header asks for about fifteen."""
    return reverse(name)


def url_of(name: str) -> str:
    return _url(name, get_script_prefix())


def _items(request) -> list[NavItem]:
    user = getattr(request, "user", None)
    items = []
    for name, label, allowed in ENTRIES:
        if allowed(user):
            url = url_of(name)
            count = url_of(COUNTS[name]) if name in COUNTS else ""
            items.append(NavItem(url, str(label), request.path == url, count))
    return items


HEADER_LINKS = (
    "home",
    "plans:set_language",
    "reminders:notifications",
    "accounts:password_change",
    "api:tokens",
    "logout",
    "login",
)


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
    return {
        "navigation": partial(_items, request),
        "header_links": SimpleLazyObject(_header_links),
    }


def _header_links() -> dict[str, str]:
    """{name with "_" for ":": address} of the links every page's header shows."""
    return {name.replace(":", "_"): url_of(name) for name in HEADER_LINKS}
