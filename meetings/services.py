"""Writes to report sessions: minutes and the Mayor's directives."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plans import dates
from plans.models import Bureau, KeyTask
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
                % {"date": issued_on.isoformat()}
            }
        )
    number = session.directives.count() + 1
    task = create_key_task(
        by=by,
        note=_("Directive of the report session on %(date)s") % {"date": issued_on.isoformat()},
        sector=session.sector,
        bureau=bureau,
        code=f"D{session.sector.number}-{session.pk}-{number:02d}",
        title_ko=_title(text),
        description_ko=text,
        priority=KeyTask.Priority.HIGH,
        start_date=issued_on,
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
