from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Report sessions")

    def ready(self):
        # Report-session reminders share plans' reminder log and sending service.
        from . import reminders

        reminders.register()
