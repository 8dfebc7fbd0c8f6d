from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    name = "sso"
    verbose_name = _("Single sign-on")

    def ready(self):
        # The directory's "did not answer" message on the sign-in page (a signal receiver).
        from . import directory  # noqa: F401
