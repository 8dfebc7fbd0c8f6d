from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Sign-in")

    def ready(self):
        # The sign-in audit listens to Django's and axes' sign-in signals.
        from . import audit, sessions  # noqa: F401
