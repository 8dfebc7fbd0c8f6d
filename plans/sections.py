"""Sections other apps add to the key-task page, without the work plan importing them.

An app built on top (``discussion`` adds the thread between the mayor's office and the
bureau) registers a ``TaskSection`` from its AppConfig, as report sessions register
their reminder subject. The task page asks each section for its context; a section
that answers None is left out for this reader (it decides who may see it).
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
