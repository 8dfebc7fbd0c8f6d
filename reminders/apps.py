from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Reminders")

    def ready(self):
        # The subjects read models, so they are registered once the models are loaded.
        from . import registry

        registry.register_own_subjects()
