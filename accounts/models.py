"""The sign-in audit: every sign-in, failure, lockout, sign-out and password change,
with the address and the time. City IT reads it in the admin; nobody deletes it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.models import KeptOnRecord, KeptOnRecordQuerySet


class SignInEvent(KeptOnRecord):
    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", _("signed in")
        FAILED = "failed", _("wrong user name or password")
        REFUSED_LOCKED = "refused_locked", _("refused: locked out")
        LOCKED_OUT = "locked_out", _("locked out after repeated failures")
        LOCK_LIFTED = "lock_lifted", _("lock lifted by city IT")
        SIGNED_OUT = "signed_out", _("signed out")
        TIMED_OUT = "timed_out", _("signed out after inactivity")
        PASSWORD_CHANGED = "password_changed", _("password changed")
        RESET_REQUESTED = "reset_requested", _("password reset requested")
        PASSWORD_RESET = "password_reset", _("password reset by email link")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    # What was typed (a failed sign-in may name nobody) or the account's user name.
    username = models.CharField(_("user name"), max_length=150, blank=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
    )
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    # Who did it when it was not the account itself (city IT lifting a lock).
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )

    objects = KeptOnRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("sign-in event")
        verbose_name_plural = _("sign-in audit")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.username}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("The sign-in audit is append-only.")
        super().save(*args, **kwargs)
