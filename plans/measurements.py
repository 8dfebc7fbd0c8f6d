"""Writes to indicators' actuals. A published figure (verified or final) that changes
leaves a public revision record in the same transaction.

What a figure cannot be is decided here, once, for every way in (the task page, the
in-row update, the admin): a negative count or amount, a date before the indicator's
baseline (the start of its plan's year) or after its target date. A figure that leaves
the indicator behind its pace to the target needs a note saying why. The bureau's
figure is provisional; the mayor's office verifies it, which publishes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import dates, permissions
from .indicators import period_start
from .models import Indicator, Measurement, MeasurementRevision


@dataclass(frozen=True)
class _Figure:
    as_of: date
    value: Decimal


def default_as_of(indicator: Indicator, today: date | None = None) -> date:
    """The day a figure entered without a date is for: today, or the target date once
    the indicator's period is over (its last figure)."""
    return min(today or dates.today(), indicator.target_date)


def check_figure(indicator: Indicator, *, as_of: date, value, note: str = "") -> None:
    """``ValidationError`` (keys ``value``, ``as_of``, ``note``) for a figure that cannot
    be; reads the indicator's other figures once, for the pace. A closed plan's figures
    no longer change (``permissions.accepts_changes``)."""
    require_open(indicator)
    value = Decimal(value)
    errors: dict[str, str] = {}
    if value < 0 and not indicator.allows_negative:
        errors["value"] = _("A count or an amount cannot be negative.")
    start = period_start(indicator.plan)
    if as_of < start:
        errors["as_of"] = _(
            "This date is before the indicator's baseline (%(start)s): date the figure "
            "inside its period, %(start)s to %(end)s."
        ) % {"start": start.isoformat(), "end": indicator.target_date.isoformat()}
    elif as_of > indicator.target_date:
        errors["as_of"] = _("This date is after the indicator's period, which ends on %(end)s.") % {
            "end": indicator.target_date.isoformat()
        }
    if not errors and not note.strip():
        others = [
            _Figure(m_as_of, m_value)
            for m_as_of, m_value in indicator.measurements.exclude(as_of=as_of).values_list(
                "as_of", "value"
            )
        ]
        pace = indicator.project_year_end([*others, _Figure(as_of, value)], start)
        if pace is not None and pace.will_miss:
            errors["note"] = _(
                "With this figure the indicator falls behind its pace to the target: "
                "add a note saying why."
            )
    if errors:
        raise ValidationError(errors)


def require_open(indicator: Indicator) -> None:
    if not permissions.accepts_changes(indicator.plan):
        raise ValidationError(permissions.record_message(indicator.plan))


@transaction.atomic
def record_measurement(
    indicator: Indicator,
    *,
    by,
    as_of: date,
    value: Decimal,
    state: str = Measurement.State.PROVISIONAL,
    note: str = "",
    reason: str = "",
) -> Measurement:
    """Record the actual for a date, or revise the one already recorded for it."""
    check_figure(indicator, as_of=as_of, value=value, note=note)
    existing = (
        Measurement.objects.select_for_update().filter(indicator=indicator, as_of=as_of).first()
    )
    if existing is not None:
        return revise_measurement(existing, by=by, value=value, state=state, reason=reason)
    measurement = Measurement(
        indicator=indicator, as_of=as_of, value=value, state=state, note=note, recorded_by=by
    )
    measurement.full_clean()
    measurement.save()
    return measurement


@transaction.atomic
def revise_measurement(
    measurement: Measurement, *, by, value: Decimal, state: str | None = None, reason: str = ""
) -> Measurement:
    """Change an actual. Once published, a change of value needs a public reason and is
    logged for residents; an unpublished (provisional) figure changes freely."""
    current = (
        Measurement.objects.select_for_update(of=("self",))
        .select_related("indicator__plan")
        .get(pk=measurement.pk)
    )
    require_open(current.indicator)
    state = state or current.state
    value = Decimal(value)
    was_published = current.is_published
    if was_published and state not in Measurement.PUBLISHED_STATES:
        raise ValidationError(
            {"state": _("A published figure cannot go back to provisional; revise it instead.")}
        )
    value_changed = value != current.value
    if was_published and value_changed and not reason.strip():
        raise ValidationError(
            {"reason": _("Say why a published figure is revised: residents will see it.")}
        )
    old_value, old_state = current.value, current.state
    current.value, current.state = value, state
    current.full_clean()
    current.save(update_fields=["value", "state"])
    if was_published and value_changed:
        MeasurementRevision.objects.create(
            measurement=current,
            old_value=old_value,
            new_value=value,
            old_state=old_state,
            new_state=state,
            reason=reason.strip(),
            revised_by=by,
        )
    return current


@transaction.atomic
def verify_measurement(measurement: Measurement, *, by) -> Measurement:
    """The mayor's office verifies a bureau's provisional figure, which publishes it
    (the disclosure page shows it; later changes leave a public revision). Returns the
    figure; ``ValidationError`` when it is no longer provisional."""
    current = (
        Measurement.objects.select_for_update(of=("self",))
        .select_related("indicator__plan")
        .get(pk=measurement.pk)
    )
    require_open(current.indicator)
    if current.state != Measurement.State.PROVISIONAL:
        raise ValidationError(_("This figure has already been verified."))
    current.state = Measurement.State.VERIFIED
    current.verified_by, current.verified_at = by, timezone.now()
    current.save(update_fields=["state", "verified_by", "verified_at"])
    return current
