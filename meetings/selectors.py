"""Reads of report sessions, shaped for pages."""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language

from plans import dates, formatting, history, indicators, overviews
from plans.models import Bureau, KeyTask, KeyTaskQuerySet, Sector, WorkPlan, through

from .models import AgendaItem, Directive, ReportSession, SessionChange

SESSION_HISTORY_LIMIT = 100


def sessions_by_sector(plan: WorkPlan) -> dict[int, list[ReportSession]]:
    """The plan's report sessions keyed by sector id, in time order (one query)."""
    grouped: dict[int, list[ReportSession]] = defaultdict(list)
    for session in ReportSession.objects.filter(sector__plan=plan).order_by("starts_at"):
        grouped[session.sector_id].append(session)
    return grouped


def sessions_of_plan(plan: WorkPlan):
    return ReportSession.objects.filter(sector__plan=plan).select_related("sector")


def last_review(plan: WorkPlan, now=None) -> ReportSession | None:
    """The most recent session that has started: "since the last review" starts there."""
    now = now or timezone.now()
    return sessions_of_plan(plan).filter(starts_at__lte=now).order_by("-starts_at").first()


def get_session(pk: int) -> ReportSession:
    return get_object_or_404(ReportSession.objects.select_related("sector__plan", "held_by"), pk=pk)


def previous_session(session: ReportSession) -> ReportSession | None:
    """The sector's previous session, or else the plan's session before this one."""
    return (
        ReportSession.objects.filter(
            sector__plan_id=session.sector.plan_id, starts_at__lt=session.starts_at
        )
        .annotate(
            same_sector=Case(
                When(sector_id=session.sector_id, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-same_sector", "-starts_at")
        .first()
    )


def directives_of(session: ReportSession) -> list[Directive]:
    return list(
        session.directives.select_related("bureau", "key_task").order_by("created_at", "id")
    )


def follow_ups(session: ReportSession) -> list[Directive]:
    """The follow-up (이행 점검) at a session: the directives of the sector's earlier
    sessions, this year's or an earlier plan's, whose key task is still open."""
    return list(
        Directive.objects.filter(
            through("key_task", KeyTaskQuerySet.open_q()),
            session__sector__number=session.sector.number,
            session__starts_at__lt=session.starts_at,
        )
        .select_related("bureau", "key_task__owner", "session__sector")
        .order_by("session__starts_at", "created_at", "id")
    )


def agenda_of(session: ReportSession) -> list[AgendaItem]:
    return list(session.agenda.select_related("bureau").order_by("order"))


def presenting_bureaus(agenda: list[AgendaItem]) -> list[Bureau]:
    """The bureaus presenting at a session, in agenda order, each once."""
    bureaus: dict[int, Bureau] = {}
    for item in agenda:
        bureaus.setdefault(item.bureau_id, item.bureau)
    return list(bureaus.values())


def sector_bureaus(sector: Sector):
    """The bureaus an agenda is built from: those owning key tasks in the sector, the
    bureaus above them first; every bureau when the sector has no tasks yet (a plan in
    preparation)."""
    return _sector_bureaus(sector.pk).all()


@lru_cache(maxsize=256)
def _sector_bureaus(sector_id: int):
    # One lazy query (the form's choices are cached), not a check first. Built once per
    # sector and process: building it cost a session page more than reading it. It is
    # never evaluated itself (callers get a copy), so it holds no rows that could age.
    tasks = KeyTask.objects.filter(sector_id=sector_id)
    return Bureau.objects.filter(
        Exists(tasks.filter(bureau=OuterRef("pk"))) | ~Exists(tasks)
    ).order_by("path")


@dataclass
class SessionChangeLine:
    """One recorded change to a session, its values in the reader's words."""

    change: SessionChange
    old: str
    new: str


def _readable(kind: str, value: str) -> str:
    if value and kind in SessionChange.MOMENT_KINDS:
        try:
            return formatting.long_datetime(datetime.fromisoformat(value), get_language())
        except ValueError:
            return value
    return value


def session_history(session: ReportSession) -> list[SessionChangeLine]:
    changes = session.changes.select_related("changed_by").order_by("-changed_at", "-id")
    return [
        SessionChangeLine(
            change,
            _readable(change.kind, change.old_value),
            _readable(change.kind, change.new_value),
        )
        for change in changes[:SESSION_HISTORY_LIMIT]
    ]


def month_grid(sessions: list[ReportSession], year: int, month: int):
    """Weeks of (day, sessions that day) for a month calendar, Seoul dates."""
    by_day: dict = defaultdict(list)
    for session in sessions:
        by_day[dates.seoul_day(session.starts_at)].append(session)
    weeks = calendar.Calendar(firstweekday=6).monthdatescalendar(year, month)
    return [[(day, day.month == month, by_day.get(day, [])) for day in week] for week in weeks]


def month_asked(value: str | None) -> date | None:
    """The month a calendar link asks for ("2024-01"), or None when it cannot be read.
    The calendar links a month either side: keep clear of the date type's limits."""
    if not value:
        return None
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1) if 1900 <= year <= 2999 else None
    except ValueError:
        return None


def month_of_next_session(sessions: list[ReportSession]) -> date:
    """The month of the next session, else of the last, else this month."""
    now = timezone.now()
    upcoming = [s for s in sessions if s.starts_at >= now]
    pick = upcoming[0] if upcoming else (sessions[-1] if sessions else None)
    day = dates.seoul_day(pick.starts_at) if pick else dates.today()
    return day.replace(day=1)


@dataclass
class MonthCalendar:
    month: date
    weeks: list
    previous_month: date
    next_month: date
    sessions: list[ReportSession]


def month_calendar(sessions: list[ReportSession], month: date) -> MonthCalendar:
    """A month of report sessions, with the months either side to link to."""
    previous_month = date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
    next_month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return MonthCalendar(
        month=month,
        weeks=month_grid(sessions, month.year, month.month),
        previous_month=previous_month,
        next_month=next_month,
        sessions=[s for s in sessions if dates.seoul_day(s.starts_at).replace(day=1) == month],
    )


def sessions_with_counts(plan: WorkPlan):
    return (
        sessions_of_plan(plan)
        .annotate(
            agenda_count=Count("agenda", distinct=True),
            directive_count=Count("directives", distinct=True),
        )
        .order_by("starts_at")
    )


BRIEFING_TASK_LIMIT = 60


@dataclass
class BriefingPack:
    """What the mayor's office takes into a session, for the session's sector."""

    bureaus: list
    overview: overviews.Overview
    tasks: list[KeyTask]
    live_count: int
    task_limit: int
    indicators: list
    indicators_total: int
    earlier_directives: list[Directive]
    directives: list[Directive]
    previous: ReportSession | None
    changes: list
    changes_total: int
    changes_cap: int


def briefing_pack(session: ReportSession, *, today: date) -> BriefingPack:
    """The sector's live tasks (overdue and at risk first), its bureaus at a glance, its
    indicators, the follow-up of earlier directives and what changed since the sector's
    previous session; a fixed number of queries whatever the size of the plan."""
    sector = session.sector
    bureaus = overviews.bureau_overviews(sector, today)
    overview = overviews.combined(overview for _bureau, overview in bureaus)
    live = KeyTask.objects.filter(sector=sector).open().with_warnings(today)
    tasks = list(
        live.with_latest_note()
        .select_related("bureau")
        .order_by("-is_overdue_flag", "-behind_schedule_flag", "due_date", "code")[
            :BRIEFING_TASK_LIMIT
        ]
    )
    previous = previous_session(session)
    changes_total, changes = (
        history.recent_changes(previous.starts_at, sector=sector, limit=40) if previous else (0, [])
    )
    board = indicators.indicator_board(
        sector.indicators.select_related("sector").order_by("code"), sector.plan, today
    )
    return BriefingPack(
        bureaus=bureaus,
        overview=overview,
        tasks=tasks,
        live_count=overview.open,
        task_limit=BRIEFING_TASK_LIMIT,
        indicators=board.rows,
        indicators_total=board.total,
        earlier_directives=follow_ups(session),
        directives=directives_of(session),
        previous=previous,
        changes=history.feed(changes),
        changes_total=changes_total,
        changes_cap=history.CHANGES_COUNT_CAP,
    )


DIRECTIVES_PER_PAGE = 50


def directives_filtered(filters: dict, *, today: date):
    """Directives across sessions, newest session first, filtered by state, lateness,
    owner bureau and session; each with what its row shows, in one query."""
    directives = Directive.objects.select_related(
        "session__sector__plan", "bureau", "key_task__owner"
    ).order_by("-session__starts_at", "created_at", "id")
    if filters.get("state"):
        directives = directives.in_state(filters["state"])
    if filters.get("overdue"):
        directives = directives.overdue(today)
    if filters.get("bureau"):
        directives = directives.filter(bureau=filters["bureau"])
    if filters.get("session"):
        directives = directives.filter(session=filters["session"])
    return directives


def closed_plans() -> tuple[int, ...]:
    """The plans kept as the record (one small query): a cached list of directives
    shows their rows without edit links, and is read again when a plan closes."""
    closed = WorkPlan.objects.filter(stage=WorkPlan.Stage.CLOSED).order_by("pk")
    return tuple(closed.values_list("pk", flat=True))


def directive_for_edit(pk: int) -> Directive:
    return get_object_or_404(
        Directive.objects.select_related("session__sector__plan", "bureau", "key_task__owner"),
        pk=pk,
    )
