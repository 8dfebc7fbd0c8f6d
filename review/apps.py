from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    """The mayor's office's review of the plan (dashboard, sector pages, the city-wide
    list and its exports) and the public disclosure page. It reads plans, and report
    sessions for "since the last review"; its one model records the exports prepared in
    the background (``ExportRequest``)."""

    name = "review"
    verbose_name = _("Review")
