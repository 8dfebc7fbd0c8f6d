from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Sign-in")

    def ready(self):
        # The sign-in audit listens to Django's sign-in signals and to axes' lock.
        from . import audit, sessions  # noqa: F401

        axes_signals = import_module("axes.signals")
        axes_signals.user_locked_out.connect(
            audit.locked_out, dispatch_uid="accounts.audit.locked_out"
        )
