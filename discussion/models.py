"""Comments on a key task between the mayor's office and the bureau, the people they
mention, and the files attached as evidence.

Nothing here is deleted: a comment or a file is withdrawn (who, when, why) and stays
on record as withdrawn; the stored file stays in storage.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plans.models import KeptOnRecord, KeyTask, Measurement, StatusUpdate


class Withdrawable(KeptOnRecord):
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawal_reason = models.CharField(_("why withdrawn"), max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class Comment(Withdrawable):
    task = models.ForeignKey(
        KeyTask, models.PROTECT, related_name="comments", verbose_name=_("key task")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("author")
    )
    body = models.TextField(_("comment"), max_length=4000)
    # An answer names the comment it answers (one level: answers are not answered).
    answers = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="answered_by",
        verbose_name=_("answers"),
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    mentioned = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Mention",
        related_name="+",
        verbose_name=_("mentioned"),
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["task", "created_at"], name="discussion_comment_task")]

    def __str__(self) -> str:
        return f"{self.task_id} #{self.pk} {self.author_id}"


class Mention(KeptOnRecord):
    comment = models.ForeignKey(Comment, models.PROTECT, related_name="mentions")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [
            models.UniqueConstraint(fields=["comment", "person"], name="one_mention_per_person")
        ]


def evidence_path(instance: Attachment, filename: str) -> str:
    # The stored name is ours (task and a random part), never the uploader's: the
    # uploader's name is kept in ``name`` and given back only as the download's name.
    return f"evidence/{instance.task_id}/{timezone.now():%Y%m}/{instance.sha256[:16]}"


class Attachment(Withdrawable):
    """A file attached as evidence. It always arrives with a comment (saying what it is)
    and may be evidence for one of the task's updates or one of its figures."""

    task = models.ForeignKey(
        KeyTask, models.PROTECT, related_name="attachments", verbose_name=_("key task")
    )
    comment = models.ForeignKey(
        Comment, models.PROTECT, related_name="attachments", verbose_name=_("comment")
    )
    status_update = models.ForeignKey(
        StatusUpdate,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evidence for the update"),
    )
    measurement = models.ForeignKey(
        Measurement,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evidence for the figure"),
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.name
