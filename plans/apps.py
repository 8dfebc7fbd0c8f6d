from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Work plans")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import cache
        from .models import Bureau, Sector

        # The bureau and sector lists kept in the cache (long selects, the admin's
        # filters) are read again after any change to one of their rows, wherever it is
        # made (the admin, single sign-on, a load).
        for signal in (post_save, post_delete):
            signal.connect(cache.bureaus_changed, sender=Bureau, dispatch_uid=f"bureaus-{signal}")
            signal.connect(cache.sectors_changed, sender=Sector, dispatch_uid=f"sectors-{signal}")
