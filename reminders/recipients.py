"""Who receives a reminder: the owner, else the nearest active head up the bureau tree,
and the mayor's office; and who the email names as the person to contact."""

from __future__ import annotations

from typing import Any, NamedTuple

from django.contrib.auth import get_user_model

from plans.models import Bureau


class Person(NamedTuple):
    """The little the policy needs to know of a user."""

    pk: int
    is_active: bool
    email: str


def can_receive(user) -> bool:
    return bool(user is not None and user.is_active and user.email)


class Organisation:
    """The bureau tree's heads and the mayor's office, loaded once per sweep."""

    def __init__(self, bureaus: dict[int, Bureau], mayors_office: list):
        self.bureaus = bureaus
        self.mayors_office = [user for user in mayors_office if can_receive(user)]

    @classmethod
    def load(cls) -> Organisation:
        bureaus = Bureau.objects.select_related("head__profile__bureau")
        mayors_office = (
            get_user_model()
            .objects.filter(is_active=True, profile__is_mayors_office=True)
            .exclude(email="")
            .select_related("profile")
            .order_by("id")
        )
        return cls({b.pk: b for b in bureaus}, list(mayors_office))

    def head_for(self, bureau_id: int | None, *, besides: int | None = None):
        """The nearest active head at or above the bureau: a vacant or inactive head's
        reminders go one level up rather than nowhere. ``besides``: a head who is the
        task's own owner is passed over too (escalating to them is telling them again)."""
        seen = set()
        while bureau_id is not None and bureau_id not in seen:
            seen.add(bureau_id)
            bureau = self.bureaus.get(bureau_id)
            if bureau is None:
                return None
            if can_receive(bureau.head) and bureau.head.pk != besides:
                return bureau.head
            bureau_id = bureau.parent_id
        return None


def owner_or_head(task, org: Organisation) -> tuple[Any, str]:
    """Who is reminded of a task's deadline, and in what role: its owner, else the
    head of its bureau (or the one above)."""
    if can_receive(task.owner):
        return task.owner, "owner"
    head = org.head_for(task.bureau_id)
    return head, "bureau head (the task has no active owner)"


def contact(user) -> dict:
    """Who to contact, as the email shows them."""
    if user is None:
        return {}
    profile = getattr(user, "profile", None)
    bureau = getattr(profile, "bureau", None) if profile else None
    return {
        "name": user.get_full_name() or user.username,
        "email": user.email,
        "phone": getattr(profile, "phone", "") if profile else "",
        # The bureau itself, not its name: the template renders it in the recipient's language.
        "bureau": bureau or "",
    }
