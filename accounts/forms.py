"""The password reset request: the email goes out through the reminders' email machinery
(``reminders.emails.make_message``), in the person's language, with the link built from
``SITE_URL`` (never from the Host header a request brought)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from plans.links import absolute_reverse
from reminders.emails import make_message

from . import audit
from .models import SignInEvent

logger = logging.getLogger(__name__)

# One reset email per account in this many seconds: a form anyone can post must not be
# a way to fill a colleague's mailbox.
RESET_EMAIL_INTERVAL = 5 * 60


class CityPasswordResetForm(PasswordResetForm):
    def save(self, *, request=None, token_generator=None, **kwargs) -> None:
        email = self.cleaned_data["email"]
        users = list(self.get_users(email))
        if not users:
            audit.record(SignInEvent.Kind.RESET_REQUESTED, request=request, username=email)
        for user in users:
            audit.record(SignInEvent.Kind.RESET_REQUESTED, request=request, user=user)
            if cache.add(f"password-reset:{user.pk}", 1, RESET_EMAIL_INTERVAL):
                self.send_reset(user, token_generator)

    def send_reset(self, user, token_generator) -> None:
        link = absolute_reverse(
            "accounts:password_reset_confirm",
            uidb64=urlsafe_base64_encode(force_bytes(user.pk)),
            token=token_generator.make_token(user),
        )
        context = {"user": user, "reset_url": link, "valid_minutes": valid_minutes()}
        try:
            make_message("password_reset", user, context).send()
        except Exception:
            # The page says the same whether or not the mail went (it must not tell who
            # has an account); city IT finds the failure in the log.
            logger.exception("Failed to send the password reset email to user %s", user.pk)


def valid_minutes() -> int:
    return settings.PASSWORD_RESET_TIMEOUT // 60
