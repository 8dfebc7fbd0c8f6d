from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionConfig(AppConfig):
    name = "discussion"
    verbose_name = _("Comments and evidence")

    def ready(self):
        # The thread joins the task page and mentions join the reminder outbox once the
        # models are loaded; neither the work plan nor the reminders import this app.
        from . import registry

        registry.register_all()
