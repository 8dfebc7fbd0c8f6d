"""Files of the city-wide list prepared in the background: an export over
``EXPORT_BACKGROUND_ROWS`` rows is written by a Celery worker, not in a request a proxy
could cut off, and the person who asked gets a link by email. The record stays; the
file is removed from storage when its link expires."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportRequest(models.Model):
    class Kind(models.TextChoices):
        XLSX = "xlsx", "XLSX"
        CSV = "csv", "CSV"

    class State(models.TextChoices):
        WAITING = "waiting", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Link expired")

    # The link's id: not guessable, and served only to the person who asked.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="export_requests",
        verbose_name=_("requested by"),
    )
    kind = models.CharField(_("file type"), max_length=8, choices=Kind.choices)
    # The list's filters as in its URL, so the file lists what the page listed.
    query = models.TextField(_("filters"), blank=True)
    language = models.CharField(_("language"), max_length=8)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.WAITING
    )
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="exports/", blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link expires at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("export prepared in the background")
        verbose_name_plural = _("exports prepared in the background")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.requested_at:%Y-%m-%d %H:%M} ({self.requested_by})"
