"""Sign-in with the city directory's user name and password (LDAP / Active Directory,
through django-auth-ldap): the person is found with ``LDAP_USER_FILTER`` under
``LDAP_USER_SEARCH_BASE`` and their password checked by the directory itself; the
tracker never stores it. Their name and email follow the directory at every sign-in, and
their bureau and mayor's-office role as ``sso.services`` explains.
"""

from __future__ import annotations

import logging

import ldap
from django.conf import settings
from django.contrib import messages
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from django_auth_ldap.backend import LDAPBackend, ldap_error

from .models import DirectoryChange
from .services import DirectoryFacts, apply_directory_facts

logger = logging.getLogger(__name__)

DIRECTORY_DOWN = _(
    "The city directory did not answer, so a city account could not be checked. "
    "Try again in a few minutes; if it keeps happening, tell city IT. "
    "Accounts of this tracker itself still work."
)


def normalised(dn: str) -> str:
    """One spelling of a distinguished name: "CN=A, OU=B" and "cn=a,ou=b" are the same."""
    try:
        return ldap.dn.dn2str(ldap.dn.str2dn(dn.lower()))
    except ldap.DECODING_ERROR:
        return dn.lower()


def facts_from_directory(ldap_user) -> DirectoryFacts:
    has_groups = getattr(settings, "AUTH_LDAP_GROUP_TYPE", None) is not None
    attribute = getattr(settings, "LDAP_BUREAU_ATTRIBUTE", "")
    if attribute:
        # Attribute names are case-insensitive in LDAP (departmentNumber, departmentnumber).
        attrs = {name.lower(): values for name, values in (ldap_user.attrs or {}).items()}
        bureau_values = tuple(attrs.get(attribute.lower(), []))
    elif has_groups:
        bureau_values = tuple(sorted(ldap_user.group_names))
    else:
        bureau_values = None

    group = getattr(settings, "LDAP_MAYORS_OFFICE_GROUP", "")
    mayors_office = None
    if group and has_groups:
        mayors_office = normalised(group) in {normalised(dn) for dn in ldap_user.group_dns}
    return DirectoryFacts(
        source=DirectoryChange.Source.LDAP,
        bureau_values=bureau_values,
        mayors_office=mayors_office,
        mayors_office_reason=(
            f"{'member' if mayors_office else 'not a member'} of {group}" if group else ""
        ),
    )


class DirectoryBackend(LDAPBackend):
    def authenticate_ldap_user(self, ldap_user, password):
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is not None:
            apply_directory_facts(user=user, facts=facts_from_directory(ldap_user))
        return user


@receiver(ldap_error)
def directory_did_not_answer(sender, context, exception, request=None, **kwargs):
    """django-auth-ldap turns a directory error into a failed sign-in; the person is told
    it was the directory, not their password, and city IT gets the error in the log."""
    logger.error("the city directory failed during %s: %r", context, exception)
    if request is not None:
        messages.error(request, DIRECTORY_DOWN)
