"""Single sign-on settings from the environment (README "Single sign-on").

Each way in is off until its variables are set, and local accounts always sign in (city
IT's own, and the embedded default): LDAP / Active Directory when ``LDAP_SERVER_URI`` is
set, the city's OpenID Connect provider when ``OIDC_RP_CLIENT_ID`` is. ``settings.py``
calls ``single_sign_on(os.environ)``; the sign-in tests call it with the addresses of
the directory and provider they start, so both read the same variables the same way.

A variable that is missing for a way in that is on stops the start with its name
(``ImproperlyConfigured``) rather than failing at someone's first sign-in.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import ldap
from django.core.exceptions import ImproperlyConfigured
from django_auth_ldap.config import (
    ActiveDirectoryGroupType,
    GroupOfNamesType,
    GroupOfUniqueNamesType,
    LDAPSearch,
    NestedActiveDirectoryGroupType,
    PosixGroupType,
)

from busan_tracker.environment import envbool, envint
from sso.ways_in import DIRECTORY_BACKEND, PROVIDER_BACKEND

LOCAL_BACKEND = "django.contrib.auth.backends.ModelBackend"

# LDAP_GROUP_TYPE → how membership is written in the directory, and what a group is.
LDAP_GROUP_TYPES = {
    "groupOfNames": (GroupOfNamesType, "(objectClass=groupOfNames)"),
    "groupOfUniqueNames": (GroupOfUniqueNamesType, "(objectClass=groupOfUniqueNames)"),
    "posixGroup": (PosixGroupType, "(objectClass=posixGroup)"),
    "activeDirectory": (ActiveDirectoryGroupType, "(objectClass=group)"),
    # Groups inside groups count (Active Directory's usual way of delegating).
    "nestedActiveDirectory": (NestedActiveDirectoryGroupType, "(objectClass=group)"),
}


def single_sign_on(env: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """``AUTHENTICATION_BACKENDS`` and the settings of each way in that is on."""
    backends = [LOCAL_BACKEND]
    found: dict[str, Any] = {}
    if env.get("LDAP_SERVER_URI"):
        found |= directory(env)
        backends.append(DIRECTORY_BACKEND)
    if env.get("OIDC_RP_CLIENT_ID"):
        found |= openid_connect(env)
        backends.append(PROVIDER_BACKEND)
    return {"AUTHENTICATION_BACKENDS": backends, **found}


def required(env: Mapping[str, str], name: str, because: str) -> str:
    value = env.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when {because} is set")
    return value


def directory(env: Mapping[str, str]) -> dict[str, Any]:
    """django-auth-ldap's settings, and which attribute or groups carry bureau and role."""
    because = "LDAP_SERVER_URI"
    user_base = required(env, "LDAP_USER_SEARCH_BASE", because)
    found: dict[str, Any] = {
        "AUTH_LDAP_SERVER_URI": env["LDAP_SERVER_URI"],
        # A service account that may search the people (anonymous when empty).
        "AUTH_LDAP_BIND_DN": env.get("LDAP_BIND_DN", ""),
        "AUTH_LDAP_BIND_PASSWORD": env.get("LDAP_BIND_PASSWORD", ""),
        "AUTH_LDAP_START_TLS": envbool("LDAP_START_TLS", "false", env),
        "AUTH_LDAP_USER_SEARCH": LDAPSearch(
            user_base, ldap.SCOPE_SUBTREE, env.get("LDAP_USER_FILTER", "(uid=%(user)s)")
        ),
        # The full name in one field, family name first, as the city writes Korean names
        # (the demo accounts keep theirs in last_name the same way).
        "AUTH_LDAP_USER_ATTR_MAP": attribute_map(
            env.get("LDAP_USER_ATTR_MAP", "last_name=cn,email=mail")
        ),
        "AUTH_LDAP_ALWAYS_UPDATE_USER": True,
        # A directory that stops answering fails a sign-in in seconds, not minutes;
        # Active Directory's referrals would send python-ldap to other servers unbound.
        "AUTH_LDAP_CONNECTION_OPTIONS": {
            ldap.OPT_NETWORK_TIMEOUT: envint("LDAP_TIMEOUT_SECONDS", 5, env),
            ldap.OPT_TIMEOUT: envint("LDAP_TIMEOUT_SECONDS", 5, env),
            ldap.OPT_REFERRALS: 0,
        },
        "LDAP_BUREAU_ATTRIBUTE": env.get("LDAP_BUREAU_ATTRIBUTE", ""),
        "LDAP_MAYORS_OFFICE_GROUP": env.get("LDAP_MAYORS_OFFICE_GROUP", ""),
    }
    group_base = env.get("LDAP_GROUP_SEARCH_BASE", "")
    if group_base:
        kind = env.get("LDAP_GROUP_TYPE", "groupOfNames")
        if kind not in LDAP_GROUP_TYPES:
            raise ImproperlyConfigured(
                f"LDAP_GROUP_TYPE must be one of {', '.join(LDAP_GROUP_TYPES)}, not {kind!r}"
            )
        group_type, group_filter = LDAP_GROUP_TYPES[kind]
        found["AUTH_LDAP_GROUP_SEARCH"] = LDAPSearch(group_base, ldap.SCOPE_SUBTREE, group_filter)
        found["AUTH_LDAP_GROUP_TYPE"] = group_type()
    for name in ("LDAP_REQUIRE_GROUP", "LDAP_MAYORS_OFFICE_GROUP"):
        if env.get(name) and not group_base:
            raise ImproperlyConfigured(f"LDAP_GROUP_SEARCH_BASE must be set when {name} is set")
    if env.get("LDAP_REQUIRE_GROUP"):
        found["AUTH_LDAP_REQUIRE_GROUP"] = env["LDAP_REQUIRE_GROUP"]
    return found


def attribute_map(text: str) -> dict[str, str]:
    """``last_name=cn,email=mail`` → {"last_name": "cn", "email": "mail"}."""
    pairs = [item.split("=", 1) for item in text.split(",") if item.strip()]
    if any(len(pair) != 2 for pair in pairs):
        raise ImproperlyConfigured("LDAP_USER_ATTR_MAP is field=attribute pairs: last_name=cn")
    return {field.strip(): attribute.strip() for field, attribute in pairs}


def openid_connect(env: Mapping[str, str]) -> dict[str, Any]:
    """mozilla-django-oidc's settings (the same names as the variables), and which claims
    carry user name, bureau and role."""
    because = "OIDC_RP_CLIENT_ID"
    found: dict[str, Any] = {
        name: required(env, name, because)
        for name in (
            "OIDC_RP_CLIENT_SECRET",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
        )
    }
    found |= {
        "OIDC_RP_CLIENT_ID": env["OIDC_RP_CLIENT_ID"],
        "OIDC_RP_SIGN_ALGO": env.get("OIDC_RP_SIGN_ALGO", "RS256"),
        "OIDC_RP_SCOPES": env.get("OIDC_RP_SCOPES", "openid email profile"),
        # The code cannot be used by whoever intercepts it (RFC 7636).
        "OIDC_USE_PKCE": envbool("OIDC_USE_PKCE", "true", env),
        "OIDC_TIMEOUT": envint("OIDC_TIMEOUT_SECONDS", 10, env),
        "OIDC_AUTHENTICATION_CALLBACK_URL": "sso:oidc_callback",
        "OIDC_USERNAME_CLAIM": env.get("OIDC_USERNAME_CLAIM", "preferred_username"),
        "OIDC_NAME_CLAIM": env.get("OIDC_NAME_CLAIM", "name"),
        "OIDC_GROUPS_CLAIM": env.get("OIDC_GROUPS_CLAIM", "groups"),
        "OIDC_BUREAU_CLAIM": env.get("OIDC_BUREAU_CLAIM", ""),
        "OIDC_MAYORS_OFFICE_GROUP": env.get("OIDC_MAYORS_OFFICE_GROUP", ""),
        "OIDC_REQUIRE_GROUP": env.get("OIDC_REQUIRE_GROUP", ""),
    }
    return found
