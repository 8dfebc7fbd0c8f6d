"""What a reminder is about: the registry of subject types, and the sweep's question
"what is due today?" asked of each.

A subject type (key tasks, milestones, the weekly digest, report sessions) says how to
find its due reminders and how to turn a log row back into an email. The reminders app
registers its own in ``reminders.registry``; apps built on top (``meetings``) register
theirs from their AppConfig, so the one log and the one outbox serve them without the
reminders importing them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .models import ReminderLog
from .policy import Due, Policy
from .recipients import Organisation


@dataclass
class SubjectType:
    """How the sweep finds due reminders of one subject type, and how delivery turns a
    log row back into an email.

    - ``collect(today, policy, org)`` → the ``Due`` reminders, in a fixed number of queries;
    - ``load(ids, today)`` → {id: subject}, in a fixed number of queries;
    - ``still_due(subject, row, today)`` → False when the row went stale (done, moved);
    - ``email(subject, row, today)`` → (template name, context) for the recipient;
    - ``kinds``: labels of the kinds of reminder only this subject sends (for the admin);
    - ``digestible``: its reminders join a person's daily email (``reminders.daily``)
      when they chose one; otherwise each goes out alone.
    """

    name: str
    collect: Callable[[dt.date, Policy, Organisation], Iterable[Due]]
    load: Callable[[Collection[int], dt.date], dict[int, Any]]
    still_due: Callable[[Any, ReminderLog, dt.date], bool]
    email: Callable[[Any, ReminderLog, dt.date], tuple[str, dict]]
    kinds: Mapping[str, str] = field(default_factory=dict)
    digestible: bool = False


SUBJECT_TYPES: dict[str, SubjectType] = {}


def register(subject_type: SubjectType) -> None:
    SUBJECT_TYPES[subject_type.name] = subject_type


def kind_label(kind: str) -> str:
    """A kind of reminder as people read it; an offset the settings added ("before_14")
    as it is."""
    for subject_type in SUBJECT_TYPES.values():
        if kind in subject_type.kinds:
            return subject_type.kinds[kind]
    return dict(ReminderLog.Kind.choices).get(kind, kind)


def due_reminders(today: dt.date, policy: Policy | None = None) -> list[Due]:
    """Every reminder due today across the plan, de-duplicated, in a fixed number of
    queries however many tasks are due."""
    policy = policy or Policy.from_settings()
    org = Organisation.load()
    found: dict[tuple, Due] = {}
    for subject_type in SUBJECT_TYPES.values():
        for due in subject_type.collect(today, policy, org):
            found.setdefault(due.key, due)
    return list(found.values())
