"""Who may do what with report sessions, built on the roles of ``plans.permissions``
(the one place that says who is the mayor's office, a bureau head or staff)."""

from __future__ import annotations

from plans.permissions import can_view_dashboard, can_view_plan, is_mayors_office, require

__all__ = [
    "can_edit_directives",
    "can_list_directives",
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
can_edit_directives = can_manage_sessions


def can_list_directives(user) -> bool:
    """The directives list across sessions and its files: like the city-wide list of key
    tasks, for the mayor's office and bureau heads."""
    return can_view_dashboard(user)
