from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    """One queue per person: what they must update, approve, acknowledge and answer.
    No models of its own: each kind of item is read from the area it belongs to."""

    name = "inbox"
    verbose_name = _("My queue")

    def ready(self) -> None:
        from . import kinds

        kinds.register_all()
