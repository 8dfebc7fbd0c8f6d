"""Making, checking and revoking API tokens, and the per-token rate limit."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiToken

TOKEN_PREFIX = "bt_"
# Writing "last used" on every call would make every read a write; once a minute is
# precise enough for city IT to see which tokens are still in use.
LAST_USED_PRECISION_SECONDS = 60


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    raw: str  # shown once, never stored


def issue_token(*, user, name: str) -> IssuedToken:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, such as the system using it.")})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, prefix=raw[:10], digest=digest(raw))
    token.full_clean()
    token.save()
    return IssuedToken(token=token, raw=raw)


def revoke_token(token: ApiToken, *, by) -> ApiToken:
    """Revoke once; revoking again keeps the first record of who and when."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    token.refresh_from_db(fields=["revoked_at", "revoked_by"])
    return token


def token_for(raw: str) -> ApiToken | None:
    """The active token with this value (its person loaded), or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.active().select_related("user__profile").filter(digest=digest(raw)).first()
    )
    if token is None:
        return None
    now = timezone.now()
    if (
        token.last_used_at is None
        or (now - token.last_used_at).total_seconds() > LAST_USED_PRECISION_SECONDS
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def within_rate_limit(token: ApiToken) -> bool:
    """At most ``API_RATE_LIMIT`` calls per token in a minute, counted in the shared cache
    (Redis in production, so every app server counts the same calls)."""
    window = int(timezone.now().timestamp() // 60)
    key = f"api-rate:{token.pk}:{window}"
    cache.add(key, 0, timeout=90)
    try:
        calls = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=90)
        calls = 1
    return calls <= settings.API_RATE_LIMIT
