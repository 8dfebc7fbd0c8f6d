"""Writes to indicators' actuals. A published figure (verified or final) that changes
leaves a public revision record in the same transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Indicator, Measurement, MeasurementRevision


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
    current = Measurement.objects.select_for_update().get(pk=measurement.pk)
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
