from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Report sessions")

    def ready(self):
        # Report-session reminders share the reminders app's log and outbox; the
        # subject reads models, so it is registered once they are loaded.
        from . import reminders

        reminders.register_subject()
