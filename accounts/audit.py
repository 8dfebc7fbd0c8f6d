"""Writes the sign-in audit (``SignInEvent``) from Django's sign-in signals, axes'
lockout signal and the password flows."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .addresses import client_address
from .models import SignInEvent

Kind = SignInEvent.Kind


def _text(value, limit: int) -> str:
    # Whatever was typed is kept as typed, but a NUL cannot be stored (PostgreSQL).
    return str(value or "").replace("\x00", "\ufffd")[:limit]


def record(
    kind: str, *, request=None, user=None, username: str = "", by=None, address=None
) -> SignInEvent:
    """One line of the sign-in audit: the address is the request's unless given."""
    if user is not None and not username:
        username = user.get_username()
    meta = request.META if request is not None else {}
    if request is not None:
        address = client_address(request)
    return SignInEvent.objects.create(
        kind=kind,
        user=user if user is not None and user.pk else None,
        username=_text(username, 150),
        address=address or None,
        user_agent=_text(meta.get("HTTP_USER_AGENT"), 300),
        by=by,
    )


def _account(username: str):
    if not username:
        return None
    return (
        get_user_model()
        ._default_manager.filter(**{get_user_model().USERNAME_FIELD: username})
        .first()
    )


@receiver(user_logged_in, dispatch_uid="accounts.audit.signed_in")
def _signed_in(sender, request, user, **kwargs):
    record(Kind.SIGNED_IN, request=request, user=user)


@receiver(user_logged_out, dispatch_uid="accounts.audit.signed_out")
def _signed_out(sender, request, user, **kwargs):
    if user is None:
        return
    timed_out = getattr(request, "signed_out_idle", False)
    record(Kind.TIMED_OUT if timed_out else Kind.SIGNED_OUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="accounts.audit.failed")
def _failed(sender, credentials, request=None, **kwargs):
    username = _text(credentials.get(get_user_model().USERNAME_FIELD), 150)
    # The lock backend marks a sign-in it refused before any password was checked.
    refused = bool(getattr(request, "signin_refused", False))
    user = _account(username)
    record(
        Kind.REFUSED_LOCKED if refused else Kind.FAILED,
        request=request,
        user=user,
        username=username,
    )
    if request is None:
        return
    request.signin_failure_recorded = True
    if getattr(request, "signin_lock_pending", False):
        # axes' receiver ran first and locked: the failure that caused it comes first.
        record(Kind.LOCKED_OUT, request=request, user=user, username=username)


def locked_out(sender, request, username=None, ip_address=None, **kwargs):
    """axes' ``user_locked_out``, sent from its own failed sign-in receiver, before or
    after ``_failed`` depending on which was connected first: either way the failure is
    recorded before the lock it causes."""
    # axes signals the lock again for each refused attempt; that one is on record already.
    if getattr(request, "signin_refused", False):
        return
    if not getattr(request, "signin_failure_recorded", False):
        request.signin_lock_pending = True
        return
    username = _text(username, 150)
    record(Kind.LOCKED_OUT, request=request, user=_account(username), username=username)
