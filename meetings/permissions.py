"""Who may do what with report sessions, built on the roles of ``plans.permissions``
(the one place that says who is the mayor's office, a bureau head or staff)."""

from __future__ import annotations

from plans.permissions import (
    accepts_changes,
    can_view_dashboard,
    can_view_plan,
    is_mayors_office,
    require,
)

__all__ = [
    "can_add_directive",
    "can_edit_directive",
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


def can_add_directive(user, session) -> bool:
    """A directive opens a key task in the session's plan: not once that plan is closed
    (``plans.permissions.accepts_changes``)."""
    return can_write_directives(user) and accepts_changes(session.sector.plan)


def can_edit_directive(user, directive) -> bool:
    """A directive and its key task change together: not once their plan is closed."""
    return can_edit_directives(user) and accepts_changes(directive.session.sector.plan)
