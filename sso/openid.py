"""Sign-in through the city's OpenID Connect provider (mozilla-django-oidc): the sign-in
page's "Sign in with the city account" sends the browser to the provider, which sends it
back with a code; the tracker exchanges the code (with PKCE) for tokens, checks the ID
token's signature against the provider's keys, and reads the person's claims.

A person is recognised by ``OIDC_USERNAME_CLAIM`` (``preferred_username``; the same user
name as a local or directory account of theirs, compared without case) and created at the
first sign-in. Name and email follow the claims at every sign-in; bureau and mayor's-office
role as ``sso.services`` explains, from ``OIDC_BUREAU_CLAIM`` (or the groups) and
``OIDC_MAYORS_OFFICE_GROUP`` in ``OIDC_GROUPS_CLAIM``.

Nothing a provider or a visitor sends ends in a server error: a provider that does not
answer, a refused or tampered token, an old or replayed link and a person the city has
not admitted each bring the visitor back to the sign-in page with a message saying which.
"""

from __future__ import annotations

import logging

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation, ValidationError
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .models import DirectoryChange
from .services import DirectoryFacts, apply_directory_facts, update_contact_details

logger = logging.getLogger(__name__)

# Why a sign-in through the provider did not succeed (the sign-in page says which).
UNAVAILABLE = "unavailable"
REFUSED = "refused"
NOT_ADMITTED = "not_admitted"
EXPIRED = "expired"


def note_failure(request, reason: str) -> None:
    """The callback view reads this to tell the person what happened."""
    if request is not None:
        request.city_account_failure = reason


def claim_values(claims: dict, name: str) -> tuple[str, ...]:
    """A claim as a list of strings, whether the provider sends one value or several."""
    value = claims.get(name)
    if value is None or value == "":
        return ()
    if isinstance(value, list | tuple):
        return tuple(str(item) for item in value if item not in (None, ""))
    return (str(value),)


def facts_from_claims(claims: dict) -> DirectoryFacts:
    groups = set(claim_values(claims, settings.OIDC_GROUPS_CLAIM))
    bureau_claim = settings.OIDC_BUREAU_CLAIM
    if bureau_claim:
        bureau_values = claim_values(claims, bureau_claim)
    elif settings.OIDC_GROUPS_CLAIM in claims:
        bureau_values = tuple(sorted(groups))
    else:
        bureau_values = None
    group = settings.OIDC_MAYORS_OFFICE_GROUP
    mayors_office = (group in groups) if group else None
    return DirectoryFacts(
        source=DirectoryChange.Source.OIDC,
        bureau_values=bureau_values,
        mayors_office=mayors_office,
        mayors_office_reason=(
            f"{settings.OIDC_GROUPS_CLAIM} {'has' if mayors_office else 'lacks'} {group}"
            if group
            else ""
        ),
    )


class CityAccountBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        try:
            user = super().authenticate(request, **kwargs)
        except requests.RequestException as error:
            # Unreachable, or it refused the code (e.g. used twice): the log has which.
            logger.error("the city's OpenID provider failed the sign-in: %s", error)
            note_failure(request, UNAVAILABLE if error.response is None else REFUSED)
            return None
        except SuspiciousOperation as error:
            logger.warning("the city's OpenID provider's token was refused: %s", error)
            note_failure(request, REFUSED)
            return None
        if user is not None and not user.is_active:
            note_failure(request, NOT_ADMITTED)
        return user

    def verify_claims(self, claims):
        names = claim_values(claims, settings.OIDC_USERNAME_CLAIM)
        try:
            if not names:
                raise ValidationError("missing")
            get_user_model()._meta.get_field("username").run_validators(names[0])
        except ValidationError:
            logger.warning(
                "the provider's %s claim is missing or not a user name: %r",
                settings.OIDC_USERNAME_CLAIM,
                names,
            )
            note_failure(self.request, REFUSED)
            return False
        required = settings.OIDC_REQUIRE_GROUP
        if required and required not in claim_values(claims, settings.OIDC_GROUPS_CLAIM):
            logger.info(
                "city account refused: not in %s",
                required,
                extra={"username": claims.get(settings.OIDC_USERNAME_CLAIM)},
            )
            note_failure(self.request, NOT_ADMITTED)
            return False
        return True

    def username(self, claims) -> str:
        return claim_values(claims, settings.OIDC_USERNAME_CLAIM)[0]

    def filter_users_by_claims(self, claims):
        return get_user_model().objects.filter(username__iexact=self.username(claims))

    def create_user(self, claims):
        user = get_user_model().objects.create_user(self.username(claims))
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        update_contact_details(
            user=user,
            # The full name in one field, as the city writes Korean names.
            full_name=claims.get(settings.OIDC_NAME_CLAIM),
            email=claims.get("email"),
        )
        apply_directory_facts(user=user, facts=facts_from_claims(claims))
        return user
