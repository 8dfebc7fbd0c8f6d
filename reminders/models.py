"""The reminder log: one row per reminder to one person about one deadline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from plans.models import AppendOnly, KeptOnRecordQuerySet


class ReminderLog(models.Model):
    """One reminder to one person about one deadline: the record that makes it go out once.

    The subject is generic ("task", 12) so that apps built on top of the reminders
    (report sessions' agenda items) share the log without the reminders importing them.
    The deadline is part of the key, so moving a deadline re-arms the reminders for the
    new date.

    Moved here from ``plans`` with its table, constraints and indexes unchanged
    (``reminders/migrations/0001_initial.py``).
    """

    class Kind(models.TextChoices):
        """The kinds every deadline has; subjects name their own (``SubjectType.kinds``)."""

        BEFORE_7 = "before_7", _("7 days before")
        BEFORE_3 = "before_3", _("3 days before")
        BEFORE_1 = "before_1", _("1 day before")
        DUE_TODAY = "due_today", _("on the day")
        ESCALATION_HEAD = "escalation_head", _("overdue: escalated to the bureau head")
        ESCALATION_MAYORS_OFFICE = (
            "escalation_mayors_office",
            _("overdue: escalated to the mayor's office"),
        )

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        CLAIMED = "claimed", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("no longer due")

    ESCALATIONS = (Kind.ESCALATION_HEAD, Kind.ESCALATION_MAYORS_OFFICE)

    subject_type = models.CharField(_("subject type"), max_length=20)
    subject_id = models.PositiveBigIntegerField(_("subject id"))
    deadline = models.DateField(_("deadline"))
    # Offsets are configurable, so the kind is free text ("before_14"); the choices name
    # the defaults for the admin.
    kind = models.CharField(_("kind"), max_length=40)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="reminders",
        verbose_name=_("recipient"),
    )
    send_on = models.DateField(_("due to go out on"))
    reason = models.CharField(_("why"), max_length=300, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    class Meta:
        db_table = "plans_reminderlog"
        ordering = ["-created_at", "-id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminder log")
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "deadline", "kind", "recipient"],
                name="one_reminder_per_subject_deadline_kind_recipient",
            ),
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False),
                name="reminder_sent_has_sent_at",
            ),
        ]
        indexes = [
            # The names the indexes got in plans, kept with the table.
            models.Index(fields=["state", "next_attempt_at"], name="plans_remin_state_a9db64_idx"),
            models.Index(
                fields=["subject_type", "subject_id", "deadline"],
                name="plans_remin_subject_4f470e_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_key} {self.deadline} {self.kind} → {self.recipient_id}"

    @property
    def subject_key(self) -> str:
        return f"{self.subject_type}:{self.subject_id}"

    @property
    def is_escalation(self) -> bool:
        return self.kind in self.ESCALATIONS


class SchedulerHeartbeat(models.Model):
    """When the worker last ran each scheduled reminder job: the sign of life city IT
    reads in the admin and ``/healthz`` (``reminders.health``).

    A gauge, not a record: one row per job, overwritten on every run and after every
    batch, so a long delivery keeps it fresh. It lives in the database rather than the
    broker because it must outlast a lost Redis and be read from any web server.
    """

    class Job(models.TextChoices):
        SWEEP = "sweep", _("daily sweep")
        DELIVERY = "delivery", _("delivery")

    job = models.CharField(_("job"), max_length=20, choices=Job.choices, primary_key=True)
    started_at = models.DateTimeField(_("last run started"), null=True, blank=True)
    alive_at = models.DateTimeField(_("last sign of life"))
    finished_at = models.DateTimeField(_("last run finished"), null=True, blank=True)
    # The sweep only: the last Seoul day whose own sweep finished (a day whose sweep
    # did not is caught up by the next delivery run).
    day = models.DateField(_("day swept"), null=True, blank=True)
    worker = models.CharField(_("worker"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("scheduler heartbeat")
        verbose_name_plural = _("scheduler heartbeats")

    def __str__(self) -> str:
        return f"{self.job} {self.alive_at:%Y-%m-%d %H:%M:%S}"


class NotificationPreference(models.Model):
    """How a person wants their reminders: one email for each, or one email a day.

    Escalations are a digest whatever the choice: at most one escalation email a day.
    People who never chose get ``REMINDER_DEFAULT_DELIVERY``.
    """

    class Delivery(models.TextChoices):
        DAILY = "daily", _("One email a day listing everything (daily digest)")
        EACH = "each", _("One email for each reminder")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("person"),
    )
    delivery = models.CharField(
        _("reminders by email"), max_length=10, choices=Delivery.choices, default=Delivery.DAILY
    )
    changed_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.delivery}"


class NotificationSettingChange(AppendOnly):
    """A change of a person's notification setting: whose, who changed it, when, from
    what to what. Written by ``reminders.daily.set_delivery`` in the same transaction
    as the change; read on the person's email settings page and in the admin, never
    edited or deleted. Before a person first chooses, "from" is the default they had
    (``REMINDER_DEFAULT_DELIVERY``)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("person")
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    old_delivery = models.CharField(
        _("old setting"), max_length=10, choices=NotificationPreference.Delivery.choices
    )
    new_delivery = models.CharField(
        _("new setting"), max_length=10, choices=NotificationPreference.Delivery.choices
    )

    objects = KeptOnRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("notification setting change")
        verbose_name_plural = _("notification setting changes")
        indexes = [models.Index(fields=["person", "-changed_at"])]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.old_delivery} → {self.new_delivery}"
