"""Sections other apps add to the key-task page and to a report session's page and
briefing pack, without the work plan (or the sessions) importing them.

An app built on top (``discussion`` adds the thread between the mayor's office and the
bureau) registers a ``TaskSection`` from its AppConfig, as report sessions register
their reminder subject. The task page asks each section for its context; a section
that answers None is left out for this reader (it decides who may see it).

A ``SessionSection`` works the same way for a report session (``planning`` adds each
presenting bureau's submission while the session's plan is in preparation): it is asked
with the session and a callable giving its presenting bureaus in agenda order. Its
context may carry a ``stamp`` (what it shows for this reader), which the briefing pack's
cached PDF keys on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TaskSection:
    name: str
    # The template (or "page.html#fragment") included with ``section`` = the context.
    template: str
    context: Callable[[Any, Any], Any | None]


@dataclass(frozen=True)
class ShownSection:
    template: str
    context: Any


SECTIONS: dict[str, TaskSection] = {}


def register(section: TaskSection) -> None:
    SECTIONS[section.name] = section


def for_task(request, task) -> list[ShownSection]:
    shown = []
    for section in SECTIONS.values():
        context = section.context(request, task)
        if context is not None:
            shown.append(ShownSection(section.template, context))
    return shown


@dataclass(frozen=True)
class SessionSection:
    name: str
    template: str
    # (request, session, presenting) → context or None; ``presenting()`` gives the
    # session's presenting bureaus in agenda order (read only by a section that needs it).
    context: Callable[[Any, Any, Callable[[], list]], Any | None]


SESSION_SECTIONS: dict[str, SessionSection] = {}


def register_session(section: SessionSection) -> None:
    SESSION_SECTIONS[section.name] = section


def for_session(request, session, presenting: Callable[[], list]) -> list[ShownSection]:
    shown = []
    for section in SESSION_SECTIONS.values():
        context = section.context(request, session, presenting)
        if context is not None:
            shown.append(ShownSection(section.template, context))
    return shown


def stamp_of(shown: list[ShownSection]) -> str:
    """What the shown sections depend on, for a cache key: changes when any of them would
    render differently."""
    return "|".join(str(getattr(section.context, "stamp", "")) for section in shown)
