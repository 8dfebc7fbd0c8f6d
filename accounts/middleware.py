from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

from . import sessions


class IdleSessionMiddleware:
    """Signs out a session left idle too long (or signed in too long ago) before the
    view runs; the sign-in requirement then sends the browser to sign in (HTMX too) and
    the sign-in page says why. Needs the session, the user and messages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if sessions.expired(request.session):
                request.signed_out_idle = True  # the audit records a time-out
                logout(request)
                messages.info(
                    request,
                    _(
                        "You were signed out because the tracker was not used for a while. "
                        "Sign in again to continue."
                    ),
                )
            else:
                sessions.mark_active(request.session)
        return self.get_response(request)
