"""What the city's directory says about a person, applied at each sign-in.

How single sign-on sets roles (README "Single sign-on"):
- **Bureau** (``Profile.bureau``): the bureau whose *directory code* the directory
  names (an attribute or claim, or a group). When it names several, the deepest in the
  tree wins (a department over its headquarters). When it names none the tracker knows,
  the profile keeps its bureau and the sign-in is logged for city IT to map the code:
  a bureau only says where a person works, so a stale one costs nothing, and a blank
  one would hide who to ask.
- **Mayor's office** (``Profile.is_mayors_office``): membership of the configured group
  decides it both ways, at every sign-in. It opens every page of the plan, so leaving the
  group in the directory takes it away at the next sign-in.
- **Bureau head** (``Bureau.head``) is never set or cleared by sign-in: heading a bureau
  is an appointment the city records in the tracker (acting heads and vacancies
  included), not a fact directories carry reliably. A head whom the directory moves to
  another bureau keeps the headship until city IT changes it; the move shows in the
  directory changes.
Every change is recorded (``DirectoryChange``) in the same transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Length

from plans.models import Bureau, Profile

from .models import DirectoryChange

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DirectoryFacts:
    """What the directory said, read from LDAP attributes or OpenID claims.

    ``None`` means the directory was not asked (no bureau attribute, claim or groups, or
    no mayor's office group configured): the profile keeps what it has.
    """

    source: str
    bureau_values: tuple[str, ...] | None
    mayors_office: bool | None
    mayors_office_reason: str = ""


def bureau_named(values: Iterable[str]) -> tuple[Bureau, str] | None:
    """The deepest bureau whose directory code is one of ``values``, and that value."""
    values = [value for value in values if value]
    if not values:
        return None
    bureau = (
        Bureau.objects.filter(directory_code__in=values)
        .order_by(Length("path").desc(), "code")
        .first()
    )
    return (bureau, bureau.directory_code) if bureau else None


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


def apply_directory_facts(*, user, facts: DirectoryFacts) -> list[DirectoryChange]:
    """Set the person's bureau and mayor's-office role from the directory; returns the
    changes recorded (none when the profile already agreed)."""
    with transaction.atomic():
        profile, _ = Profile.objects.select_for_update().get_or_create(user=user)
        changes: list[DirectoryChange] = []

        def record(field, old, new, said):
            changes.append(
                DirectoryChange(
                    user=user,
                    username=user.get_username(),
                    source=facts.source,
                    field=field,
                    old_value=old,
                    new_value=new,
                    directory_value=said,
                )
            )

        if facts.bureau_values is not None:
            named = bureau_named(facts.bureau_values)
            if named is None:
                if facts.bureau_values:
                    logger.warning(
                        "directory bureau not known: no bureau has the directory code %s",
                        ", ".join(facts.bureau_values),
                        extra={"username": user.get_username(), "source": facts.source},
                    )
            elif named[0].pk != profile.bureau_id:
                bureau, said = named
                old = profile.bureau.code if profile.bureau_id else ""
                record(DirectoryChange.Field.BUREAU, old, bureau.code, said)
                profile.bureau = bureau
        if facts.mayors_office is not None and facts.mayors_office != profile.is_mayors_office:
            record(
                DirectoryChange.Field.MAYORS_OFFICE,
                yes_no(profile.is_mayors_office),
                yes_no(facts.mayors_office),
                facts.mayors_office_reason,
            )
            profile.is_mayors_office = facts.mayors_office
        if changes:
            profile.full_clean()
            profile.save(update_fields=["bureau", "is_mayors_office"])
            DirectoryChange.objects.bulk_create(changes)
    return changes


def update_contact_details(*, user, full_name: object, email: object) -> list[str]:
    """Name and email as the provider last said; a value that is missing or not valid
    (an email that is not one, a name too long) is left as it was and logged."""
    changed = []
    for field, value in (("last_name", full_name), ("email", email)):
        if not isinstance(value, str) or not value or getattr(user, field) == value:
            continue
        try:
            value = user._meta.get_field(field).clean(value, user)
        except ValidationError:
            logger.warning("ignored the directory's %s for %s: not valid", field, user)
            continue
        setattr(user, field, value)
        changed.append(field)
    if changed:
        user.save(update_fields=changed)
    return changed
