"""Writes to report sessions: minutes and the Mayor's directives."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from plans import dates, deadlines, formatting
from plans.models import Bureau, KeyTask, Sector, StatusUpdate
from plans.services import check_owner, create_key_task, update_key_task

from .models import AgendaItem, Directive, ReportSession, SessionChange

TITLE_LENGTH = KeyTask._meta.get_field("title_ko").max_length


@dataclass
class MinutesConflict(Exception):
    """Someone saved the minutes after the editor opened them."""

    session: ReportSession


@transaction.atomic
def save_minutes(
    session: ReportSession, *, by, minutes: str, seen_updated_at: datetime | None
) -> ReportSession:
    """Save the minutes unless someone else saved them since ``seen_updated_at``."""
    current = ReportSession.objects.select_for_update().get(pk=session.pk)
    if current.minutes_updated_at != seen_updated_at:
        raise MinutesConflict(session=current)
    current.minutes = minutes.strip()
    current.minutes_updated_at = timezone.now()
    current.minutes_updated_by = by
    current.save(update_fields=["minutes", "minutes_updated_at", "minutes_updated_by"])
    return current


def _title(text: str) -> str:
    first_line = text.strip().splitlines()[0]
    if len(first_line) <= TITLE_LENGTH:
        return first_line
    return first_line[: TITLE_LENGTH - 1] + "…"


def follow_up_start(issued_on: date, due_date: date) -> date:
    """When a directive's follow-up starts: the day it is recorded, which is the
    session's day when recorded live. One recorded after the session starts today, so
    its schedule (and the computed risk) is not already part gone; never after its due
    date."""
    return min(max(issued_on, dates.today()), due_date)


@transaction.atomic
def add_directive(
    session: ReportSession, *, by, text: str, bureau: Bureau, due_date: date
) -> Directive:
    """Record a directive of the Mayor and open its follow-up key task, owned by the
    bureau, in the session's sector; the task's history starts with its creation."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the directive.")})
    # The row lock numbers a session's directives one after another, even when two
    # people record directives at the same moment.
    session = (
        ReportSession.objects.select_for_update(of=("self",))
        .select_related("sector__plan")
        .get(pk=session.pk)
    )
    issued_on = dates.seoul_day(session.starts_at)
    if due_date < issued_on:
        raise ValidationError(
            {
                "due_date": _("The due date cannot be before the session (%(date)s).")
                % {"date": formatting.long_date(issued_on, get_language())}
            }
        )
    number = session.directives.count() + 1
    task = create_key_task(
        by=by,
        origin=StatusUpdate.Origin.DIRECTIVE,
        origin_date=issued_on,
        sector=session.sector,
        bureau=bureau,
        code=f"D{session.sector.number}-{session.pk}-{number:02d}",
        title_ko=_title(text),
        description_ko=text,
        priority=KeyTask.Priority.HIGH,
        start_date=follow_up_start(issued_on, due_date),
        due_date=due_date,
        status=KeyTask.Status.NOT_STARTED,
        progress=0,
    )
    directive = Directive(
        session=session, text=text, bureau=bureau, due_date=due_date, key_task=task, issued_by=by
    )
    directive.full_clean()
    directive.save()
    return directive


# --- scheduling a session and building its agenda -------------------------------------
#
# Every write below moves the session to its next version with a conditional UPDATE
# (the check and the row lock at once, as for key tasks) and records what changed in
# ``SessionChange``, in the same transaction.

SESSION_FIELDS = (
    "sector",
    "starts_at",
    "ends_at",
    "venue_ko",
    "venue_en",
    "theme_ko",
    "theme_en",
    "attendees",
)
MOVES = ("up", "down")


@dataclass
class SessionConflict(Exception):
    """Someone else changed the session (or its agenda) after the editor loaded it."""

    session: ReportSession
    changes: list[SessionChange]


def _value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return dates.seoul_time(value).isoformat(timespec="minutes")
    if isinstance(value, Sector):
        return str(value.number)
    return str(value)


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("A session must end after it starts.")})


def _clean_text(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}


@transaction.atomic
def schedule_session(*, by, sector: Sector, starts_at: datetime, ends_at: datetime, **fields):
    """Schedule a report session of a sector; its history starts with the scheduling."""
    fields = _clean_text(fields)
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"Not a session field: {', '.join(sorted(unknown))}")
    _check_times(starts_at, ends_at)
    session = ReportSession(sector=sector, starts_at=starts_at, ends_at=ends_at, **fields)
    session.full_clean()
    session.save()
    SessionChange.objects.create(
        session=session,
        version=session.version,
        changed_by=by,
        kind=SessionChange.Kind.SCHEDULED,
        new_value=_value(starts_at),
    )
    return session


def _moved_on(pk: int, expected_version: int) -> SessionConflict:
    current = ReportSession.objects.select_related("sector__plan").get(pk=pk)
    return SessionConflict(
        session=current,
        changes=list(
            current.changes.filter(version__gt=expected_version).select_related("changed_by")
        ),
    )


def _claim(session: ReportSession, *, expected_version: int, **values) -> ReportSession:
    """Move the session to its next version, writing ``values``, if it is still at
    ``expected_version``; ``SessionConflict`` if someone got there first."""
    claimed = ReportSession.objects.filter(pk=session.pk, version=expected_version).update(
        version=expected_version + 1, **values
    )
    if not claimed:
        raise _moved_on(session.pk, expected_version)
    session.version = expected_version + 1
    for field, value in values.items():
        setattr(session, field, value)
    return session


def _record(session: ReportSession, *, by, note: str = "", rows: list[tuple[str, str, str]]):
    SessionChange.objects.bulk_create(
        SessionChange(
            session=session,
            version=session.version,
            changed_by=by,
            kind=kind,
            old_value=old,
            new_value=new,
            note=note,
        )
        for kind, old, new in rows
    )


def _retime(session: ReportSession) -> None:
    """The agenda runs back to back from the session's start, in its order, each
    presentation keeping its length."""
    moment = session.starts_at
    items = list(session.agenda.order_by("order"))
    for item in items:
        length = item.ends_at - item.starts_at
        item.starts_at, item.ends_at = moment, moment + length
        moment = item.ends_at
    AgendaItem.objects.bulk_update(items, ["starts_at", "ends_at"])


@transaction.atomic
def edit_session(
    session: ReportSession, *, by, expected_version: int, note: str = "", **changes
) -> ReportSession:
    """Change the session's sector, time, venue, theme or attendees, unless someone
    changed it since ``expected_version``; a new start moves the agenda with it."""
    changes = _clean_text(changes)
    unknown = set(changes) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"Not a session field: {', '.join(sorted(unknown))}")
    current = ReportSession.objects.select_related("sector__plan").get(pk=session.pk)
    if current.version != expected_version:
        raise _moved_on(current.pk, expected_version)
    rows = [
        (field, _value(getattr(current, field)), _value(value))
        for field, value in changes.items()
        if getattr(current, field) != value
    ]
    if not rows:
        return current
    _check_times(
        changes.get("starts_at", current.starts_at), changes.get("ends_at", current.ends_at)
    )
    for field, value in changes.items():
        setattr(current, field, value)
    current.full_clean(exclude=["sector"] if "sector" not in changes else None)
    values = {field: getattr(current, field) for field, _old, _new in rows}
    current = _claim(current, expected_version=expected_version, **values)
    if "starts_at" in values:
        _retime(current)
    _record(current, by=by, note=note.strip(), rows=rows)
    return current


@transaction.atomic
def add_to_agenda(
    session: ReportSession,
    *,
    by,
    expected_version: int,
    bureau: Bureau,
    title_ko: str,
    title_en: str = "",
    minutes: int,
) -> AgendaItem:
    """Add a bureau's presentation at the end of the agenda, starting when the one
    before it ends."""
    title_ko = (title_ko or "").strip()
    if not title_ko:
        raise ValidationError({"title_ko": _("Give the presentation a title.")})
    if not 1 <= minutes <= 600:
        raise ValidationError({"minutes": _("A presentation lasts from 1 to 600 minutes.")})
    current = ReportSession.objects.get(pk=session.pk)
    if current.is_held:
        raise ValidationError(_("The session has been held: its agenda is on record."))
    current = _claim(current, expected_version=expected_version)
    last = current.agenda.order_by("-order").first()
    starts_at = last.ends_at if last else current.starts_at
    item = AgendaItem(
        session=current,
        order=(last.order + 1) if last else 1,
        bureau=bureau,
        title_ko=title_ko,
        title_en=(title_en or "").strip(),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
    )
    item.full_clean(exclude=["session"])
    item.save()
    _record(current, by=by, rows=[(SessionChange.Kind.AGENDA_ADDED, "", _agenda_line(item))])
    return item


def _agenda_line(item: AgendaItem) -> str:
    return f"{item.order}. {item.bureau.name_ko} · {item.title_ko} ({item.minutes} min)"


@transaction.atomic
def move_on_agenda(item: AgendaItem, *, by, expected_version: int, direction: str) -> ReportSession:
    """Move a presentation one place up or down the agenda; the times follow the order."""
    if direction not in MOVES:
        raise ValidationError(_("Move a presentation up or down."))
    session = ReportSession.objects.get(pk=item.session_id)
    if session.is_held:
        raise ValidationError(_("The session has been held: its agenda is on record."))
    session = _claim(session, expected_version=expected_version)
    items = list(session.agenda.select_related("bureau").order_by("order"))
    index = next(i for i, found in enumerate(items) if found.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        return session
    items[index], items[other] = items[other], items[index]
    # Two steps, so the one-order-per-session constraint holds at every statement.
    session.agenda.update(order=F("order") + 1000)
    for number, found in enumerate(items, start=1):
        found.order = number
    AgendaItem.objects.bulk_update(items, ["order"])
    _retime(session)
    moved = items[other]
    _record(
        session,
        by=by,
        rows=[
            (
                SessionChange.Kind.AGENDA_MOVED,
                str(index + 1),
                f"{other + 1}. {moved.bureau.name_ko}",
            )
        ],
    )
    return session


@transaction.atomic
def mark_held(session: ReportSession, *, by, expected_version: int) -> ReportSession:
    """Record that the session took place; from then on its agenda is on record."""
    current = ReportSession.objects.select_related("sector__plan").get(pk=session.pk)
    if current.is_held:
        return current
    if current.starts_at > timezone.now():
        raise ValidationError(_("A session can be marked held once it has started."))
    now = timezone.now()
    current = _claim(current, expected_version=expected_version, held_at=now, held_by=by)
    _record(current, by=by, rows=[(SessionChange.Kind.HELD, "", _value(now))])
    return current


# --- following a directive up -----------------------------------------------------------


@transaction.atomic
def edit_directive(
    directive: Directive,
    *,
    by,
    expected_version: int,
    text: str,
    bureau: Bureau,
    owner,
    due_date: date,
    note: str = "",
) -> Directive:
    """Edit a directive and assign it to a bureau and an owner with a due date. Its
    follow-up key task changes with it through the one versioned update, so the change
    is refused when someone changed the task since ``expected_version`` (EditConflict)
    and recorded in the task's history (who, when, old → new, why)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the directive.")})
    check_owner(bureau, owner)
    directive = Directive.objects.select_related("key_task__plan", "session").get(pk=directive.pk)
    issued_on = dates.seoul_day(directive.session.starts_at)
    if due_date < issued_on:
        raise ValidationError(
            {
                "due_date": _("The due date cannot be before the session (%(date)s).")
                % {"date": formatting.long_date(issued_on, get_language())}
            }
        )
    task, version = directive.key_task, expected_version
    if due_date != task.due_date:
        # A deadline moves through the one deadline rule, with its reason, on record.
        if not note.strip():
            raise ValidationError({"note": _("Say why the due date moves.")})
        deadlines.request_deadline_change(
            task, by=by, expected_version=version, new_due_date=due_date, reason=note
        )
        task = KeyTask.objects.select_related("plan").get(pk=task.pk)
        version = task.version
    task = update_key_task(
        task,
        by=by,
        expected_version=version,
        note=note,
        title_ko=_title(text),
        description_ko=text,
        bureau=bureau,
        owner=owner,
    )
    # The deadline in force (a move waiting for approval leaves it as it was).
    directive.text, directive.bureau, directive.due_date = text, bureau, task.due_date
    directive.key_task = task
    directive.full_clean()
    directive.save(update_fields=["text", "bureau", "due_date"])
    return directive
