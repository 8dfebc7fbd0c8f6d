"""Writes to report sessions: minutes and the Mayor's directives."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from plans import dates, formatting
from plans.models import Bureau, KeyTask, StatusUpdate
from plans.services import create_key_task

from .models import Directive, ReportSession

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
    session = ReportSession.objects.select_for_update().select_related("sector").get(pk=session.pk)
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
