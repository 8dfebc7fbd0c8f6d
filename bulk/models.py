"""An uploaded workbook of the Excel round trip, with what its check found.

The upload stays on record (the file as sent, who sent it, what was checked and what
was applied); the changes it made are in each key task's history like any other."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.models import KeptOnRecord, KeptOnRecordQuerySet


class BulkUpload(KeptOnRecord):
    class State(models.TextChoices):
        CHECKING = "checking", _("Being checked")
        CHECKED = "checked", _("Checked: ready to apply")
        APPLYING = "applying", _("Being applied")
        APPLIED = "applied", _("Applied")
        FAILED = "failed", _("Could not be read")

    WORKING_STATES = (State.CHECKING, State.APPLYING)

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="bulk_uploads",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField(editable=False)
    state = models.CharField(_("state"), max_length=12, choices=State.choices)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    # What the check found, row by row (bulk.services.Report as a dict).
    report = models.JSONField(default=dict, blank=True, editable=False)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    applied_tasks = models.PositiveIntegerField(_("key tasks changed"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)

    objects = KeptOnRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("Excel upload")
        verbose_name_plural = _("Excel uploads")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.uploaded_by})"

    @property
    def is_working(self) -> bool:
        return self.state in self.WORKING_STATES
