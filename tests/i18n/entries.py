"""What a REGISTRY entry says about a page (tests/i18n/pages.py explains the registry)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Page:
    roles: tuple[str, ...]
    kwargs: Callable[[Any], dict] | None = None
    htmx: bool = False
    # The page is shown to people (HTML from a template); False: checked elsewhere.
    html: bool = True
    reason: str = ""
    query: str = ""
    # The page also answers HTMX requests with a fragment of itself: checked both ways.
    fragment: bool = False


def page(
    *roles: str, kwargs=None, htmx: bool = False, query: str = "", fragment: bool = False
) -> Page:
    return Page(
        roles=roles or (ANONYMOUS,), kwargs=kwargs, htmx=htmx, query=query, fragment=fragment
    )


def not_html(reason: str) -> Page:
    return Page(roles=(), html=False, reason=reason)
