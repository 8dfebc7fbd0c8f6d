from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulkConfig(AppConfig):
    name = "bulk"
    verbose_name = _("Excel round trip")

    def ready(self) -> None:
        # The web process queues the round trip's jobs by their registered names
        # (bulk.services cannot import the tasks that call it): register them here, as
        # a worker's autodiscovery does.
        from . import tasks  # noqa: F401
