"""Who may do what with report sessions, built on the roles of ``plans.permissions``
(the one place that says who is the mayor's office, a bureau head or staff)."""

from __future__ import annotations

from plans.permissions import can_view_plan, is_mayors_office, require

__all__ = [
    "can_manage_sessions",
    "can_view_sessions",
    "can_write_directives",
    "can_write_minutes",
    "require",
]


def can_view_sessions(user) -> bool:
    """Sessions, agendas, minutes and briefing packs are for the city's own people."""
    return can_view_plan(user)


def can_manage_sessions(user) -> bool:
    """Sessions, their agenda and minutes, and the Mayor's directives."""
    return is_mayors_office(user)


can_write_minutes = can_manage_sessions
can_write_directives = can_manage_sessions
