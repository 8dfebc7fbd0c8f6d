"""How long a sign-in lasts on a shared office PC: it ends after ``SESSION_IDLE_MINUTES``
without a request and after ``SESSION_COOKIE_AGE`` in any case (the cookie itself ends
with the browser, ``SESSION_EXPIRE_AT_BROWSER_CLOSE``)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

SIGNED_IN_AT = "_signed_in_at"
LAST_SEEN = "_last_seen"


def idle_limit() -> int:
    return max(0, settings.SESSION_IDLE_MINUTES) * 60


def refresh_interval() -> int:
    # Activity is written at most once a minute (less for very short limits), so a busy
    # user's requests do not each write the session row.
    limit = idle_limit()
    return min(60, limit // 4) if limit else 60


def expired(session, now: float | None = None) -> bool:
    now = time.time() if now is None else now
    signed_in_at = session.get(SIGNED_IN_AT)
    if signed_in_at is not None and now - signed_in_at > settings.SESSION_COOKIE_AGE:
        return True
    seen = session.get(LAST_SEEN)
    limit = idle_limit()
    return bool(limit and seen is not None and now - seen > limit)


def mark_active(session, now: float | None = None) -> None:
    now = int(time.time() if now is None else now)
    seen = session.get(LAST_SEEN)
    if seen is None or now - seen >= refresh_interval():
        session[LAST_SEEN] = now
    session.setdefault(SIGNED_IN_AT, now)


@receiver(user_logged_in, dispatch_uid="accounts.sessions.signed_in")
def _stamp_sign_in(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None:
        now = int(time.time())
        session[SIGNED_IN_AT] = now
        session[LAST_SEEN] = now
