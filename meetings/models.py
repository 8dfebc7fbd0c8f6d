"""Report sessions: the meetings where bureaus present their plans and the Mayor decides."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from plans.models import (
    AppendOnly,
    Bureau,
    KeptOnRecord,
    KeptOnRecordQuerySet,
    KeyTask,
    KeyTaskQuerySet,
    Sector,
    pick,
    through,
)


class ReportSessionQuerySet(KeptOnRecordQuerySet):
    pass


class ReportSession(KeptOnRecord):
    sector = models.ForeignKey(
        Sector, models.PROTECT, related_name="report_sessions", verbose_name=_("sector")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue_ko = models.CharField(_("venue (Korean)"), max_length=300)
    venue_en = models.CharField(_("venue (English)"), max_length=300, blank=True)
    theme_ko = models.CharField(_("theme (Korean)"), max_length=300, blank=True)
    theme_en = models.CharField(_("theme (English)"), max_length=300, blank=True)
    # The press release gives only some dates and times; what the city had to assume
    # is named here so nobody mistakes it for the record.
    assumed_fields = models.CharField(_("assumed fields"), max_length=200, blank=True)
    assumption_note_ko = models.TextField(_("assumption note (Korean)"), blank=True)
    assumption_note_en = models.TextField(_("assumption note (English)"), blank=True)
    attendees = models.TextField(_("attendees"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    minutes_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Bumped on every accepted change to the session or its agenda; an edit carries the
    # version its author saw, so nobody overwrites another's change unseen.
    version = models.PositiveIntegerField(default=1, editable=False)
    held_at = models.DateTimeField(_("held (recorded at)"), null=True, blank=True, editable=False)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ReportSessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("report session")
        verbose_name_plural = _("report sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sector} ({self.starts_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("meetings:session_detail", args=[self.pk])

    @property
    def venue(self) -> str:
        return pick(self.venue_ko, self.venue_en)

    @property
    def theme(self) -> str:
        return pick(self.theme_ko, self.theme_en) or self.sector.theme

    @property
    def assumption_note(self) -> str:
        return pick(self.assumption_note_ko, self.assumption_note_en)

    def is_assumed(self, field: str) -> bool:
        return field in self.assumed_fields.split(",")

    @property
    def is_held(self) -> bool:
        return self.held_at is not None

    # A session whose minutes were written, or that was held, stays on record (one with
    # directives or a history is kept by them too: they PROTECT it).
    @classmethod
    def on_record_q(cls) -> Q:
        return ~Q(minutes="") | Q(held_at__isnull=False)

    def is_on_record(self) -> bool:
        return bool(self.minutes) or self.is_held

    def agenda_runs_over(self, agenda: list[AgendaItem]) -> bool:
        """Whether the presentations, back to back, run past the session's end."""
        return bool(agenda) and agenda[-1].ends_at > self.ends_at


class AgendaItem(models.Model):
    """A bureau's presentation slot in a report session."""

    session = models.ForeignKey(ReportSession, models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("order"))
    bureau = models.ForeignKey(Bureau, models.PROTECT, related_name="+", verbose_name=_("bureau"))
    title_ko = models.CharField(_("title (Korean)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        ordering = ["session", "order"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["session", "order"], name="agenda_order_unique"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="agenda_item_ends_after_start",
                violation_error_message=_("A presentation must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    @property
    def title(self) -> str:
        return pick(self.title_ko, self.title_en)

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class SessionChange(AppendOnly):
    """One change to a report session or its agenda: who, when, what, old → new, why.
    Append-only, written in the same transaction as the change; a version's changes
    share its number."""

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        SECTOR = "sector", _("sector")
        STARTS_AT = "starts_at", _("starts at")
        ENDS_AT = "ends_at", _("ends at")
        VENUE_KO = "venue_ko", _("venue (Korean)")
        VENUE_EN = "venue_en", _("venue (English)")
        THEME_KO = "theme_ko", _("theme (Korean)")
        THEME_EN = "theme_en", _("theme (English)")
        ATTENDEES = "attendees", _("attendees")
        AGENDA_ADDED = "agenda_added", _("presentation added")
        AGENDA_MOVED = "agenda_moved", _("presentation moved")
        HELD = "held", _("marked held")

    session = models.ForeignKey(ReportSession, models.PROTECT, related_name="changes")
    version = models.PositiveIntegerField(_("version"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = KeptOnRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("session change")
        verbose_name_plural = _("session changes")

    def __str__(self) -> str:
        return f"{self.session_id} v{self.version} {self.kind}: {self.old_value} → {self.new_value}"

    # Moments are kept as ISO text (Seoul time); these kinds are read back as moments.
    MOMENT_KINDS = ("scheduled", "starts_at", "ends_at", "held")


class DirectiveQuerySet(KeptOnRecordQuerySet):
    """A directive's state and lateness are its follow-up key task's, decided by the
    key-task QuerySet's rules (open, overdue), never restated here."""

    def in_state(self, state: str) -> DirectiveQuerySet:
        if state == Directive.State.OPEN:
            return self.filter(through("key_task", KeyTaskQuerySet.open_q()))
        if state in (Directive.State.DONE, Directive.State.DROPPED):
            return self.filter(key_task__status=state)
        return self

    def overdue(self, today) -> DirectiveQuerySet:
        return self.filter(through("key_task", KeyTaskQuerySet.overdue_q(today)))


class Directive(KeptOnRecord):
    """A decision of the Mayor in a session; it is followed up as a key task. It stays
    on record, with its session, its key task and who issued it."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", pgettext_lazy("directive state", "Done")
        DROPPED = "dropped", pgettext_lazy("directive state", "Dropped")

    session = models.ForeignKey(
        ReportSession, models.PROTECT, related_name="directives", verbose_name=_("report session")
    )
    text = models.TextField(_("directive"))
    bureau = models.ForeignKey(
        Bureau, models.PROTECT, related_name="directives", verbose_name=_("owner bureau")
    )
    due_date = models.DateField(_("due date"))
    key_task = models.OneToOneField(
        KeyTask,
        models.PROTECT,
        related_name="directive",
        verbose_name=_("follow-up key task"),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DirectiveQuerySet.as_manager()

    class Meta:
        ordering = ["session", "created_at"]
        verbose_name = _("directive")
        verbose_name_plural = _("directives")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def state(self) -> str:
        status = self.key_task.status
        if status in (KeyTask.Status.DONE, KeyTask.Status.DROPPED):
            return Directive.State(str(status))
        return Directive.State.OPEN

    def get_state_display(self) -> str:
        return str(Directive.State(self.state).label)
