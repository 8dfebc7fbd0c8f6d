from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Next year's plan")

    def ready(self):
        # Submission-deadline reminders share the reminders app's log and outbox; the
        # subject reads models, so it is registered once they are loaded.
        from . import registry, reminders

        reminders.register_subject()
        # Report sessions show the presenting bureaus' submissions while the plan is
        # prepared; the sessions app reads them through plans.sections.
        registry.register_all()
