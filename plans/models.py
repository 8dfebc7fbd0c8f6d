"""The work-plan domain: plans, sectors, bureaus, key tasks, indicators and their history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    CASCADE,
    Case,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    ProtectedError,
    Q,
    Value,
    When,
)
from django.db.models.functions import Greatest, Least
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from . import dates

# --- what stays on record ------------------------------------------------------------
#
# History, published figures and their revision log, directives, sessions with minutes
# and the people who wrote them are never deleted, by any route: a row's own delete()
# and its QuerySet's delete() refuse, foreign keys that would cascade into them
# PROTECT, and the admin offers no delete for them (it shows what protects the rest).


# Each field's choices as {value: label}, built once per process (the labels stay lazy,
# so each reader gets their own language).
_CHOICE_LABELS: dict[models.Field, dict] = {}


class ChoiceLabels(models.Model):
    """``get_<field>_display()`` read from one dict per field: Django's builds the dict
    of every choice afresh on each call (18 µs; a page of 25 key tasks asks for 50)."""

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        labels = _CHOICE_LABELS.get(field)
        if labels is None:
            labels = _CHOICE_LABELS[field] = dict(make_hashable(field.flatchoices))
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)


class OnRecord(ProtectedError, ValueError):
    """A deletion refused because what it would remove must stay on record."""


class KeptOnRecord(models.Model):
    """Rows that stay on record: every row, unless the model narrows ``on_record_q``."""

    class Meta:
        abstract = True

    @classmethod
    def on_record_q(cls) -> Q:
        return Q()

    def is_on_record(self) -> bool:
        return True

    def delete(self, *args, **kwargs):
        if self.is_on_record():
            raise OnRecord(
                f"{self._meta.verbose_name} stays on record: it cannot be deleted.", [self]
            )
        return super().delete(*args, **kwargs)


class AppendOnly(KeptOnRecord):
    """A record written once and never changed: its rows are added, not saved again."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError(f"{self._meta.verbose_name} is append-only: add a new row.")
        super().save(*args, **kwargs)


class KeptOnRecordQuerySet(models.QuerySet):
    def delete(self):
        kept = list(self.filter(self.model.on_record_q())[:20])
        if kept:
            name = self.model._meta.verbose_name_plural
            raise OnRecord(f"{name} stay on record: they cannot be deleted.", kept)
        return super().delete()


def pick(ko: str, en: str) -> str:
    """The text in the active language, falling back to the other when one is missing."""
    return picker()(ko, en)


def picker() -> Callable[[str, str], str]:
    """``pick`` with the language read once, for a long list (an export's rows)."""
    if (get_language() or "ko").startswith("en"):
        return lambda ko, en: en or ko
    return lambda ko, en: ko or en


class WorkPlanQuerySet(models.QuerySet):
    def current_first(self) -> WorkPlanQuerySet:
        """Plans with the current one first: the newest adopted (tracked) plan; with none
        adopted yet, the newest plan of any stage. The one rule for "the current plan"."""
        tracked_first = Case(
            When(stage=WorkPlan.Stage.ADOPTED, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return self.order_by(tracked_first, "-year")

    def current(self) -> WorkPlan | None:
        """The plan pages show unless a year is asked for (one query)."""
        return self.current_first().first()


class WorkPlan(ChoiceLabels):
    """One year's plan. Its stage moves one way: in preparation (next year's plan being
    drafted by the bureaus) → adopted (tracked through the year) → closed (on record)."""

    class Stage(models.TextChoices):
        PREPARATION = "preparation", _("In preparation")
        ADOPTED = "adopted", _("Adopted (tracked)")
        CLOSED = "closed", _("Closed")

    # The only moves a plan's stage makes.
    NEXT_STAGE = {Stage.PREPARATION: Stage.ADOPTED, Stage.ADOPTED: Stage.CLOSED}

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.PREPARATION
    )
    administration_ko = models.CharField(_("administration (Korean)"), max_length=200, blank=True)
    administration_en = models.CharField(_("administration (English)"), max_length=200, blank=True)
    core_goal_ko = models.CharField(_("core goal (Korean)"), max_length=300)
    core_goal_en = models.CharField(_("core goal (English)"), max_length=300, blank=True)
    vision_ko = models.CharField(_("vision (Korean)"), max_length=300, blank=True)
    vision_en = models.CharField(_("vision (English)"), max_length=300, blank=True)
    slogan_ko = models.CharField(_("slogan (Korean)"), max_length=300, blank=True)
    slogan_en = models.CharField(_("slogan (English)"), max_length=300, blank=True)

    objects = WorkPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")

    def __str__(self) -> str:
        return f"{self.year} {self.core_goal}"

    @property
    def is_in_preparation(self) -> bool:
        return self.stage == self.Stage.PREPARATION

    @property
    def is_tracked(self) -> bool:
        return self.stage == self.Stage.ADOPTED

    @property
    def is_closed(self) -> bool:
        return self.stage == self.Stage.CLOSED

    def can_move_to(self, stage: str) -> bool:
        return self.NEXT_STAGE.get(self.stage) == stage

    @property
    def core_goal(self) -> str:
        return pick(self.core_goal_ko, self.core_goal_en)

    @property
    def vision(self) -> str:
        return pick(self.vision_ko, self.vision_en)

    @property
    def administration(self) -> str:
        return pick(self.administration_ko, self.administration_en)

    @property
    def slogan(self) -> str:
        return pick(self.slogan_ko, self.slogan_en)


class AdministrationGoal(models.Model):
    plan = models.ForeignKey(WorkPlan, models.CASCADE, related_name="goals")
    order = models.PositiveSmallIntegerField(_("order"))
    text_ko = models.CharField(_("goal (Korean)"), max_length=300)
    text_en = models.CharField(_("goal (English)"), max_length=300, blank=True)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("administration goal")
        verbose_name_plural = _("administration goals")
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="goal_order_unique_per_plan"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return pick(self.text_ko, self.text_en)


class Sector(models.Model):
    plan = models.ForeignKey(WorkPlan, models.CASCADE, related_name="sectors")
    number = models.PositiveSmallIntegerField(_("number"))
    name_ko = models.CharField(_("name (Korean)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    theme_ko = models.CharField(_("theme (Korean)"), max_length=300, blank=True)
    theme_en = models.CharField(_("theme (English)"), max_length=300, blank=True)
    focus_ko = models.TextField(_("focus (Korean)"), blank=True)
    focus_en = models.TextField(_("focus (English)"), blank=True)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"], name="sector_number_unique_per_plan"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=5), name="sector_number_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def name(self) -> str:
        return pick(self.name_ko, self.name_en)

    @property
    def theme(self) -> str:
        return pick(self.theme_ko, self.theme_en)

    @property
    def focus(self) -> str:
        return pick(self.focus_ko, self.focus_en)


class Bureau(ChoiceLabels):
    class Kind(models.TextChoices):
        OFFICE = "office", _("office")
        HEADQUARTERS = "headquarters", _("headquarters")
        BUREAU = "bureau", _("bureau")
        DEPARTMENT = "department", _("department")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name_ko = models.CharField(_("name (Korean)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    # Materialised path ("/1/4/9/") so "this bureau and its sub-bureaus" is one
    # indexed prefix query rather than a walk of the tree.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_bureaus",
        verbose_name=_("head"),
    )
    # What the city's directory calls this bureau (an organisation code, a department
    # attribute's value or a group name): single sign-on puts a person whose directory
    # entry carries it in this bureau. Blank: the directory never names it.
    directory_code = models.CharField(
        _("directory code"),
        max_length=200,
        blank=True,
        help_text=_(
            "The value the city's directory (LDAP / Active Directory or the OpenID "
            "provider) gives for this bureau, e.g. its organisation code. People whose "
            "directory entry carries it are put in this bureau when they sign in."
        ),
    )

    class Meta:
        ordering = ["path"]
        verbose_name = _("bureau")
        verbose_name_plural = _("bureaus")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="bureau_not_own_parent"
            ),
            models.UniqueConstraint(
                fields=["directory_code"],
                condition=~Q(directory_code=""),
                name="bureau_directory_code_unique",
                violation_error_message=_("Another bureau already has this directory code."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if path != self.path:
            moved = bool(self.path)
            Bureau.objects.filter(pk=self.pk).update(path=path)
            self.path = path
            if moved:
                for child in self.children.all():
                    child.save()

    @property
    def name(self) -> str:
        return pick(self.name_ko, self.name_en)

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A bureau cannot sit under itself.")})
            ancestor = ancestor.parent

    def subtree(self) -> models.QuerySet[Bureau]:
        """This bureau and every bureau under it."""
        return Bureau.objects.filter(path__startswith=self.path)

    def people(self) -> models.QuerySet:
        """Who may own this bureau's key tasks: the active people of the bureau and the
        bureaus under it, and their heads."""
        return (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(
                Q(profile__bureau__path__startswith=self.path)
                | Q(headed_bureaus__path__startswith=self.path)
            )
            .distinct()
            .order_by("last_name", "first_name", "username")
        )


class Profile(models.Model):
    """What the city knows of a user beyond Django's account: their bureau and role."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="profile")
    bureau = models.ForeignKey(
        Bureau,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("bureau"),
    )
    is_mayors_office = models.BooleanField(_("mayor's office"), default=False)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="ko"
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.user)


# --- the early-warning rules ---------------------------------------------------------
#
# Each rule is written once, here: in SQL on the key-task QuerySet (so the dashboard
# counts 20,000 tasks with one aggregate query) and for one task in memory on the model,
# with tests holding the two forms to the same edges.
#
# * Open: neither done nor dropped. Overdue: open and past its due date. Due soon: open
#   and due within ``DUE_SOON_DAYS``.
# * Behind schedule (shown as "at risk (computed)"): the progress lags the elapsed share
#   of the schedule by more than ``settings.RISK_MARGIN_PERCENT`` points. Shown apart
#   from the status the bureau reports, so optimistic reporting is visible. The elapsed
#   share runs from 0 on the start date to 100% on the due date (and stays there); a
#   one-day task counts its single day as the whole schedule.
# * Reported trouble: the bureau itself reports the task at risk or delayed.
# * Needs attention: overdue, behind schedule or reported trouble.

DUE_SOON_DAYS = 14
EPOCH = date(1970, 1, 1)


def risk_margin() -> int:
    return int(getattr(settings, "RISK_MARGIN_PERCENT", 15))


def through(relation: str, condition: Q) -> Q:
    """A condition on a key task (``KeyTaskQuerySet.open_q()`` …) asked of a related
    row across ``relation`` ("key_task"): a join, where a ``pk__in`` subquery made
    PostgreSQL plan the directives list for 17 ms to run it for 1."""
    moved = Q(_connector=condition.connector, _negated=condition.negated)
    for child in condition.children:
        if isinstance(child, Q):
            moved.children.append(through(relation, child))
        else:
            lookup, value = child
            moved.children.append((f"{relation}__{lookup}", value))
    return moved


class DayNumber(Func):
    """Whole days since 1970-01-01 of a date column, on PostgreSQL and SQLite."""

    output_field = IntegerField()
    template = "(%(expressions)s - DATE '1970-01-01')"

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)",
            **extra,
        )


class KeyTaskQuerySet(models.QuerySet):
    # The orders a list of key tasks can be read in; "lag" needs ``with_schedule``.
    SORTS = {
        "due": ("due_date", "code"),
        "-due": ("-due_date", "code"),
        "progress": ("progress", "code"),
        "-progress": ("-progress", "code"),
        "updated": ("-updated_at", "code"),
        "lag": ("-lag_points", "due_date", "code"),
        "bureau": ("bureau__path", "code"),
        "code": ("code",),
    }
    DEFAULT_SORT = "due"

    def sorted_by(self, sort: str, *first: str) -> KeyTaskQuerySet:
        """Ordered by ``first`` (e.g. the sector), then by the named sort."""
        return self.order_by(*first, *self.SORTS.get(sort, self.SORTS[self.DEFAULT_SORT]))

    # The conditions as Q objects too: aggregates filter with them (Count(filter=…)).

    @staticmethod
    def open_q() -> Q:
        return ~Q(status__in=KeyTask.CLOSED_STATUSES)

    @classmethod
    def overdue_q(cls, today: date) -> Q:
        return cls.open_q() & Q(due_date__lt=today)

    @classmethod
    def due_soon_q(cls, today: date, days: int = DUE_SOON_DAYS) -> Q:
        return cls.open_q() & Q(due_date__gte=today, due_date__lte=today + timedelta(days=days))

    @staticmethod
    def reported_trouble_q() -> Q:
        return Q(status__in=KeyTask.TROUBLE_STATUSES)

    @classmethod
    def behind_schedule_q(cls) -> Q:
        """Needs ``with_schedule``: the same rule as ``KeyTask.is_behind_schedule``."""
        return cls.open_q() & Q(lag_over_margin__gt=0)

    @classmethod
    def needs_attention_q(cls, today: date) -> Q:
        """Needs ``with_schedule``."""
        return cls.overdue_q(today) | cls.behind_schedule_q() | cls.reported_trouble_q()

    def open(self) -> KeyTaskQuerySet:
        return self.filter(self.open_q())

    def tracked(self) -> KeyTaskQuerySet:
        """Tasks of adopted plans: those kept current, reminded and shown in My tasks
        (not next year's plan still in preparation, nor a closed year on record)."""
        return self.filter(plan__stage=WorkPlan.Stage.ADOPTED)

    def overdue(self, today: date) -> KeyTaskQuerySet:
        return self.filter(self.overdue_q(today))

    def due_soon(self, today: date, days: int = DUE_SOON_DAYS) -> KeyTaskQuerySet:
        return self.filter(self.due_soon_q(today, days))

    def reported_trouble(self) -> KeyTaskQuerySet:
        return self.filter(self.reported_trouble_q())

    def behind_schedule(self, today: date, margin: int | None = None) -> KeyTaskQuerySet:
        return self.with_schedule(today, margin).filter(self.behind_schedule_q())

    def needs_attention(self, today: date, margin: int | None = None) -> KeyTaskQuerySet:
        return self.with_schedule(today, margin).filter(self.needs_attention_q(today))

    def with_schedule(self, today: date, margin: int | None = None) -> KeyTaskQuerySet:
        """Annotate ``schedule_lag`` (points behind an even pace, times schedule days),
        ``lag_over_margin`` (> 0 when behind schedule) and ``lag_points``."""
        margin = risk_margin() if margin is None else margin
        start = DayNumber("start_date")
        span = Greatest(DayNumber("due_date") - start, Value(1), output_field=IntegerField())
        elapsed = Least(
            Greatest(Value((today - EPOCH).days) - start, Value(0), output_field=IntegerField()),
            span,
            output_field=IntegerField(),
        )
        return self.annotate(
            schedule_span=ExpressionWrapper(span, output_field=IntegerField()),
            schedule_lag=ExpressionWrapper(
                Value(100) * elapsed - F("progress") * span, output_field=IntegerField()
            ),
        ).annotate(
            lag_over_margin=ExpressionWrapper(
                F("schedule_lag") - Value(margin) * F("schedule_span"),
                output_field=IntegerField(),
            ),
            # Points behind an even pace, comparable between long and short schedules.
            lag_points=ExpressionWrapper(
                F("schedule_lag") * Value(1.0) / F("schedule_span"), output_field=FloatField()
            ),
        )

    def with_latest_note(self) -> KeyTaskQuerySet:
        """Tasks with ``latest_note`` (and ``latest_note_at``): the newest note written
        with a change, the "why" beside the status (off the task-and-time index)."""
        notes = (
            StatusUpdate.objects.filter(task=models.OuterRef("pk"))
            .exclude(note="")
            .order_by("-changed_at", "-id")
        )
        return self.annotate(
            latest_note=models.Subquery(notes.values("note")[:1]),
            latest_note_at=models.Subquery(notes.values("changed_at")[:1]),
        )

    def with_warnings(self, today: date, margin: int | None = None) -> KeyTaskQuerySet:
        """Tasks with ``is_overdue_flag`` and ``behind_schedule_flag`` from the database."""
        return self.with_schedule(today, margin).annotate(
            is_overdue_flag=Case(When(self.overdue_q(today), then=True), default=False),
            behind_schedule_flag=Case(
                When(self.behind_schedule_q(), then=True),
                default=False,
                output_field=models.BooleanField(),
            ),
        )


class AdoptedDeadline(models.Model):
    """A due date that keeps the date adopted with the plan. The current ``due_date``
    moves only through an approved deadline change (``plans.deadlines``), so the old
    deadline stands for overdue, reminders and escalation until a change is approved,
    and a slip (adopted → current, times moved) stays visible to everyone."""

    # Null only for rows written in bulk by other rooms (bench, carried-over plans)
    # before the save below ran: read it through ``adopted_due_date``.
    baseline_due_date = models.DateField(
        _("adopted due date"), null=True, blank=True, editable=False
    )
    # A database default too, so rows written with COPY or raw SQL (bench/fill.py,
    # data loads) need not name it.
    deadline_moves = models.PositiveSmallIntegerField(
        _("times the deadline moved"), default=0, editable=False
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.baseline_due_date is None and self.due_date and not kwargs.get("update_fields"):
            self.baseline_due_date = self.due_date
        super().save(*args, **kwargs)

    @property
    def adopted_due_date(self) -> date:
        return self.baseline_due_date or self.due_date

    @property
    def slip_days(self) -> int:
        """Days the current deadline lies after the adopted one (negative: earlier)."""
        return (self.due_date - self.adopted_due_date).days

    @property
    def has_slipped(self) -> bool:
        return self.deadline_moves > 0 and self.due_date != self.adopted_due_date


class KeyTask(ChoiceLabels, AdoptedDeadline):
    class Status(models.TextChoices):
        # In context: the reported "At risk" (지연 우려) is not the computed one (지연 위험).
        NOT_STARTED = "not_started", pgettext_lazy("task status", "Not started")
        ON_TRACK = "on_track", pgettext_lazy("task status", "On track")
        AT_RISK = "at_risk", pgettext_lazy("task status", "At risk")
        DELAYED = "delayed", pgettext_lazy("task status", "Delayed")
        DONE = "done", pgettext_lazy("task status", "Done")
        DROPPED = "dropped", pgettext_lazy("task status", "Dropped")

    class Priority(models.IntegerChoices):
        HIGH = 1, _("High")
        MEDIUM = 2, _("Medium")
        LOW = 3, _("Low")

    CLOSED_STATUSES = (Status.DONE, Status.DROPPED)
    # What the bureau itself reports as trouble (not the computed "behind schedule").
    TROUBLE_STATUSES = (Status.AT_RISK, Status.DELAYED)

    # The sector's plan, kept on the task so a code is unique within its plan (a
    # database constraint) and "tasks of tracked plans" needs no join. Set from the
    # sector on save.
    plan = models.ForeignKey(
        WorkPlan, models.PROTECT, related_name="key_tasks", editable=False, verbose_name=_("plan")
    )
    sector = models.ForeignKey(
        Sector, models.PROTECT, related_name="key_tasks", verbose_name=_("sector")
    )
    bureau = models.ForeignKey(
        Bureau, models.PROTECT, related_name="key_tasks", verbose_name=_("owning bureau")
    )
    # The task of an earlier year's plan this one carries over.
    predecessor = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("carried over from"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_tasks",
        verbose_name=_("owner"),
    )
    code = models.CharField(_("code"), max_length=30)
    title_ko = models.CharField(_("title (Korean)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    pillar_ko = models.CharField(_("pillar (Korean)"), max_length=100, blank=True)
    pillar_en = models.CharField(_("pillar (English)"), max_length=100, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.MEDIUM
    )
    start_date = models.DateField(_("start date"))
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    is_public = models.BooleanField(_("publicly disclosed"), default=False)
    # Bumped on every accepted change; an edit carries the version its author saw.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("last update"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last updated by"),
    )

    objects = KeyTaskQuerySet.as_manager()

    class Meta:
        ordering = ["sector__number", "code"]
        verbose_name = _("key task")
        verbose_name_plural = _("key tasks")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"],
                name="task_code_unique_per_plan",
                violation_error_message=_("Another key task of this plan has this code."),
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("start_date")),
                name="task_due_not_before_start",
                violation_error_message=_("The due date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100),
                name="task_progress_0_to_100",
                violation_error_message=_("Progress must be between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(progress=100, completed_on__isnull=False),
                name="task_done_is_complete",
                violation_error_message=_(
                    "A task marked done must be 100%% complete and have a completion date."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="not_started") | Q(progress=0),
                name="task_not_started_has_no_progress",
                violation_error_message=_("A task that has not started cannot show progress."),
            ),
            models.CheckConstraint(
                condition=Q(status="done") | Q(completed_on__isnull=True),
                name="task_completion_only_when_done",
                violation_error_message=_("Only a task marked done has a completion date."),
            ),
        ]
        indexes = [
            models.Index(fields=["bureau", "status"]),
            models.Index(fields=["status", "due_date"]),
            # A sector's bureaus (a session's agenda is built from them), read from the
            # index alone instead of each bureau's tasks.
            models.Index(fields=["sector", "bureau"], name="keytask_sector_bureau_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs) -> None:
        self.set_plan_from_sector()
        super().save(*args, **kwargs)

    def set_plan_from_sector(self) -> None:
        """The plan follows the sector: read from the sector when it is at hand (no
        query), or when the task has no plan yet."""
        if self.sector_id is None:
            return
        if KeyTask.sector.is_cached(self) or self.plan_id is None:
            self.plan_id = self.sector.plan_id

    def validate_unique(self, exclude=None) -> None:
        self.set_plan_from_sector()
        super().validate_unique(exclude)

    def validate_constraints(self, exclude=None) -> None:
        self.set_plan_from_sector()
        if exclude:
            exclude = set(exclude) - {"plan"}
        super().validate_constraints(exclude)

    @property
    def title(self) -> str:
        return pick(self.title_ko, self.title_en)

    @property
    def description(self) -> str:
        return pick(self.description_ko, self.description_en)

    @property
    def pillar(self) -> str:
        return pick(self.pillar_ko, self.pillar_en)

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED_STATUSES

    @property
    def reports_trouble(self) -> bool:
        return self.status in self.TROUBLE_STATUSES

    def days_left(self, today: date | None = None) -> int:
        return (self.due_date - (today or dates.today())).days

    def is_overdue(self, today: date | None = None) -> bool:
        return not self.is_closed and self.days_left(today) < 0

    def is_due_soon(self, today: date | None = None, days: int = DUE_SOON_DAYS) -> bool:
        return not self.is_closed and 0 <= self.days_left(today) <= days

    def days_overdue(self, today: date | None = None) -> int:
        return max(0, -self.days_left(today))

    def schedule(self, today: date | None = None) -> tuple[int, int]:
        """(elapsed days, schedule days), elapsed clamped to the schedule."""
        span = max((self.due_date - self.start_date).days, 1)
        elapsed = min(max(((today or dates.today()) - self.start_date).days, 0), span)
        return elapsed, span

    def expected_progress(self, today: date | None = None) -> int:
        """The progress (%) the task would show had it advanced evenly over its schedule."""
        elapsed, span = self.schedule(today)
        return int((Decimal(100 * elapsed) / span).to_integral_value(ROUND_HALF_UP))

    def is_behind_schedule(self, today: date | None = None, margin: int | None = None) -> bool:
        if self.is_closed:
            return False
        margin = risk_margin() if margin is None else margin
        elapsed, span = self.schedule(today)
        # Integer form of "100*elapsed/span - progress > margin", so it matches the database.
        return 100 * elapsed - self.progress * span > margin * span

    def needs_attention(self, today: date | None = None) -> bool:
        return self.is_overdue(today) or self.is_behind_schedule(today) or self.reports_trouble


class Milestone(AdoptedDeadline):
    task = models.ForeignKey(KeyTask, models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_ko = models.CharField(_("title (Korean)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        # The roadmap's order, as its bureau arranged it (then by date).
        ordering = ["order", "due_date", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return pick(self.title_ko, self.title_en)

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


HUNDRED = Decimal(100)


@dataclass
class Pace:
    """Where an indicator is heading: the figure at its target date if the pace so far
    continues."""

    projected: Decimal
    will_miss: bool
    is_final: bool  # the latest actual already covers the target date


class IndicatorQuerySet(models.QuerySet):
    def with_latest_actual(self, on: date | None = None) -> IndicatorQuerySet:
        """Each indicator with its latest actual as ``latest_value`` and ``latest_as_of``
        (the latest by date, the last recorded of a day; up to ``on`` when given), in the
        indicators' own query."""
        figures = Measurement.objects.filter(indicator=models.OuterRef("pk"))
        if on is not None:
            figures = figures.filter(as_of__lte=on)
        latest = figures.order_by("-as_of", "-id")
        return self.annotate(
            latest_value=models.Subquery(latest.values("value")[:1]),
            latest_as_of=models.Subquery(latest.values("as_of")[:1]),
        )


class Indicator(ChoiceLabels):
    """A KPI. Achievement and pace are decided here, on plain values too, so ranking
    every indicator of a large plan needs no model instances (``review``'s board)."""

    class Direction(models.TextChoices):
        INCREASE = "increase", _("higher is better")
        DECREASE = "decrease", _("lower is better")

    plan = models.ForeignKey(WorkPlan, models.CASCADE, related_name="indicators")
    sector = models.ForeignKey(
        Sector, models.PROTECT, related_name="indicators", verbose_name=_("sector")
    )
    task = models.ForeignKey(
        KeyTask,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("key task"),
    )
    code = models.CharField(_("code"), max_length=30)
    # The indicator of an earlier year's plan this one carries over.
    predecessor = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("carried over from"),
    )
    name_ko = models.CharField(_("name (Korean)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    unit_ko = models.CharField(_("unit (Korean)"), max_length=40)
    unit_en = models.CharField(_("unit (English)"), max_length=40, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=18, decimal_places=2, default=0)
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=2)
    target_date = models.DateField(_("target date"))
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    definition_ko = models.TextField(_("definition (Korean)"), blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    source_ko = models.CharField(_("source (Korean)"), max_length=300, blank=True)
    source_en = models.CharField(_("source (English)"), max_length=300, blank=True)
    is_public = models.BooleanField(_("publicly disclosed"), default=False)
    # Counts and amounts (jobs, won, tonnes) are never below zero; a rate of change may be.
    allows_negative = models.BooleanField(
        _("figures may be negative"),
        default=False,
        help_text=_("Tick for a rate of change or a balance; leave clear for counts and amounts."),
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["sector__number", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"],
                name="indicator_code_unique_per_plan",
                violation_error_message=_("Another indicator of this plan has this code."),
            ),
            models.CheckConstraint(
                condition=~Q(target=models.F("baseline")),
                name="indicator_target_differs_from_baseline",
                violation_error_message=_("The target must differ from the baseline."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return pick(self.name_ko, self.name_en)

    @property
    def unit(self) -> str:
        return pick(self.unit_ko, self.unit_en)

    @property
    def definition(self) -> str:
        return pick(self.definition_ko, self.definition_en)

    @property
    def source(self) -> str:
        return pick(self.source_ko, self.source_en)

    def percent_achieved(self, value) -> Decimal | None:
        return self.achievement(self.direction, self.baseline, self.target, value)

    def reaches(self, value) -> bool:
        return self.reached(self.direction, self.target, value)

    def project_year_end(self, measurements, period_start: date) -> Pace | None:
        return self.projection(
            self.direction, self.baseline, self.target, self.target_date, measurements, period_start
        )

    @staticmethod
    def achievement(direction: str, baseline, target, value) -> Decimal | None:
        """Achievement against the target, in %.

        Higher-is-better: actual ÷ target, the city's own convention (208,959 jobs against
        a target of 189,988 is reported as 110%). Lower-is-better: the share of the
        planned reduction from the baseline that has been made.
        """
        if value is None:
            return None
        value, baseline, target = Decimal(value), Decimal(baseline), Decimal(target)
        if direction == Indicator.Direction.DECREASE:
            result = (baseline - value) / (baseline - target) * HUNDRED
        elif target == 0:
            return None
        else:
            result = value / target * HUNDRED
        return result.quantize(Decimal("0.1"), ROUND_HALF_UP)

    @staticmethod
    def reached(direction: str, target, value) -> bool:
        if direction == Indicator.Direction.DECREASE:
            return value <= Decimal(target)
        return value >= Decimal(target)

    @staticmethod
    def projection(
        direction: str, baseline, target, target_date: date, measurements, period_start: date
    ) -> Pace | None:
        """The figure at the target date on a straight line from the baseline at the start
        of the period through the latest actual (None without an actual inside the
        period). ``measurements`` need ``as_of`` and ``value``."""
        dated = [m for m in measurements if period_start < m.as_of]
        if not dated:
            return None
        latest = max(dated, key=lambda m: m.as_of)
        if latest.as_of >= target_date:
            return Pace(
                projected=latest.value,
                will_miss=not Indicator.reached(direction, target, latest.value),
                is_final=True,
            )
        elapsed = (latest.as_of - period_start).days
        total = (target_date - period_start).days
        baseline = Decimal(baseline)
        projected = baseline + (Decimal(latest.value) - baseline) * total / elapsed
        return Pace(
            # Judged before rounding, so a projection a fraction short is still a miss.
            projected=projected.quantize(Decimal("1"), ROUND_HALF_UP),
            will_miss=not Indicator.reached(direction, target, projected),
            is_final=False,
        )


class MeasurementQuerySet(KeptOnRecordQuerySet):
    def published(self) -> MeasurementQuerySet:
        return self.filter(state__in=Measurement.PUBLISHED_STATES)

    def to_verify(self) -> MeasurementQuerySet:
        """The bureaus' provisional figures, waiting for the mayor's office."""
        return self.filter(state=Measurement.State.PROVISIONAL)


def protect_published(collector, field, sub_objs, using):
    """An indicator goes only with figures nobody has seen: deleting one that has a
    verified or final (published) figure is refused; provisional figures go with it."""
    published = list(sub_objs.filter(Measurement.on_record_q())[:20])
    if published:
        raise OnRecord(
            "An indicator with published figures stays on record: it cannot be deleted.",
            published,
        )
    CASCADE(collector, field, sub_objs, using)


class Measurement(ChoiceLabels, KeptOnRecord):
    """A dated actual value of an indicator. The bureau's figure is provisional; once the
    mayor's office verifies it, it is published (the disclosure page shows it) and every
    later change of its value leaves a public ``MeasurementRevision``."""

    class State(models.TextChoices):
        PROVISIONAL = "provisional", _("Provisional")
        VERIFIED = "verified", _("Verified")
        FINAL = "final", _("Final")

    PUBLISHED_STATES = (State.VERIFIED, State.FINAL)

    indicator = models.ForeignKey(Indicator, protect_published, related_name="measurements")
    as_of = models.DateField(_("as of"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.PROVISIONAL
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    is_assumed = models.BooleanField(_("illustrative (assumed) value"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Who in the mayor's office verified (and so published) the figure, and when.
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    objects = MeasurementQuerySet.as_manager()

    class Meta:
        ordering = ["as_of", "id"]
        get_latest_by = "as_of"
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "as_of"], name="one_measurement_per_indicator_and_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.as_of}: {self.value}"

    @property
    def is_published(self) -> bool:
        return self.state in self.PUBLISHED_STATES

    @classmethod
    def on_record_q(cls) -> Q:
        return Q(state__in=cls.PUBLISHED_STATES)

    def is_on_record(self) -> bool:
        return self.is_published


class StatusUpdate(AppendOnly):
    """One change to a key task: append-only, written in the same transaction as the
    change itself so no write escapes the record. A version's changes share its number;
    a task field's change has that field's kind, a milestone's or an actual's names it."""

    class Kind(models.TextChoices):
        # The labels are the task fields' own names, so a history line reads like the form.
        CREATED = "created", _("created")
        NOTE = "note", _("note")
        STATUS = "status", _("status")
        PROGRESS = "progress", _("progress (%)")
        COMPLETED_ON = "completed_on", _("completed on")
        START_DATE = "start_date", _("start date")
        DUE_DATE = "due_date", _("due date")
        OWNER = "owner", _("owner")
        BUREAU = "bureau", _("owning bureau")
        SECTOR = "sector", _("sector")
        PRIORITY = "priority", _("priority")
        IS_PUBLIC = "is_public", _("publicly disclosed")
        CODE = "code", _("code")
        PILLAR_KO = "pillar_ko", _("pillar (Korean)")
        PILLAR_EN = "pillar_en", _("pillar (English)")
        TITLE_KO = "title_ko", _("title (Korean)")
        TITLE_EN = "title_en", _("title (English)")
        DESCRIPTION_KO = "description_ko", _("description (Korean)")
        DESCRIPTION_EN = "description_en", _("description (English)")
        MILESTONE = "milestone", _("milestone")
        MILESTONE_ADDED = "milestone_added", _("milestone added")
        MILESTONE_EDITED = "milestone_edited", _("milestone changed")
        MILESTONE_MOVED = "milestone_moved", _("milestone moved")
        ACTUAL = "actual", _("actual value")
        CARRIED_OVER = "carried_over", _("carried over to next year's plan")
        # A deadline change asked for, and the decision on it (``DeadlineChange``).
        DEADLINE_REQUEST = "deadline_request", _("deadline change requested")
        DEADLINE_ENDORSED = "deadline_endorsed", _("deadline change endorsed by the bureau head")
        DEADLINE_APPROVED = "deadline_approved", _("deadline change approved")
        DEADLINE_DECLINED = "deadline_declined", _("deadline change declined")
        DEADLINE_WITHDRAWN = "deadline_withdrawn", _("deadline change withdrawn")
        FIGURE_VERIFIED = "figure_verified", _("figure verified and published")

    class Origin(models.TextChoices):
        """Where a task came from: kept on its "created" row (``new_value``) and written
        in the reader's language, never as text frozen in the creator's."""

        PLAN_DATA = "plan_data", _("Loaded from the plan data file")
        DIRECTIVE = "directive", _("Created from a directive of the report session")
        ADMIN = "admin", _("Created in the admin")
        PRODUCT = "product", _("Created in the tracker")
        SUBMISSION = "submission", _("Adopted from the bureau's submission")
        CARRIED_OVER = "carried_over", _("Carried over from the previous year's plan")

    # A task, milestone, indicator or person named in the history stays with it.
    task = models.ForeignKey(KeyTask, models.PROTECT, related_name="history")
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
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    milestone = models.ForeignKey(
        Milestone,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("milestone"),
    )
    indicator = models.ForeignKey(
        Indicator,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("indicator"),
    )
    # The date an actual value is for (kind "actual"); for a task created from a
    # directive, the day of its report session (kind "created", origin "directive").
    as_of = models.DateField(_("as of"), null=True, blank=True)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = KeptOnRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        indexes = [
            models.Index(fields=["task", "-changed_at"]),
            # "What changed since the last review", newest first, across the whole plan.
            models.Index(fields=["-changed_at"], name="statusupdate_changed_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} v{self.version} {self.kind}: {self.old_value} → {self.new_value}"


class MeasurementRevision(AppendOnly):
    """A published figure that was later changed: the public keeps the trail.

    Written by ``plans.measurements.revise_measurement`` whenever a verified or final
    value (the only ones the disclosure page shows) is changed, so residents can see
    that a number moved, from what to what, when and why.
    """

    measurement = models.ForeignKey(Measurement, models.PROTECT, related_name="revisions")
    old_value = models.DecimalField(_("old value"), max_digits=18, decimal_places=2)
    new_value = models.DecimalField(_("new value"), max_digits=18, decimal_places=2)
    old_state = models.CharField(_("old state"), max_length=12, choices=Measurement.State.choices)
    new_state = models.CharField(_("new state"), max_length=12, choices=Measurement.State.choices)
    # Shown on the public page, unlike the measurement's internal note.
    reason = models.CharField(_("public reason for the revision"), max_length=500)
    revised_at = models.DateTimeField(_("revised at"), auto_now_add=True)
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = KeptOnRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-revised_at", "-id"]
        verbose_name = _("measurement revision")
        verbose_name_plural = _("measurement revisions")

    def __str__(self) -> str:
        return f"{self.measurement_id}: {self.old_value} → {self.new_value}"


class DeadlineChangeQuerySet(KeptOnRecordQuerySet):
    def pending(self) -> DeadlineChangeQuerySet:
        return self.filter(state=DeadlineChange.State.PENDING)


class DeadlineChange(ChoiceLabels, KeptOnRecord):
    """A request to move a key task's or a milestone's deadline, with its reason and the
    decisions on it. The rules (who must approve, when it takes effect, who may withdraw
    it while it waits) are in ``plans.deadlines``; the task's history records the
    request, each decision and a withdrawal. A change is never deleted: a withdrawn one
    stays on record as withdrawn."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Approver(models.TextChoices):
        NONE = "", _("No approval needed")
        BUREAU_HEAD = "bureau_head", _("The bureau head")
        MAYORS_OFFICE = "mayors_office", _("The mayor's office")

    task = models.ForeignKey(
        KeyTask, models.PROTECT, related_name="deadline_changes", verbose_name=_("key task")
    )
    milestone = models.ForeignKey(
        Milestone,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="deadline_changes",
        verbose_name=_("milestone"),
    )
    old_due_date = models.DateField(_("due date before"))
    new_due_date = models.DateField(_("requested due date"))
    reason = models.CharField(_("reason"), max_length=500)
    # The last approval the change needs; ``awaiting`` who must decide next.
    needs = models.CharField(_("needs approval by"), max_length=20, choices=Approver.choices)
    awaiting = models.CharField(
        _("awaiting"), max_length=20, choices=Approver.choices, blank=True, default=""
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    endorsed_at = models.DateTimeField(null=True, blank=True)
    # Who closed the change, when and why: whoever approved or declined it, or the
    # person who withdrew it (the asker, or their bureau head) before it was decided.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)

    objects = DeadlineChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("deadline change")
        verbose_name_plural = _("deadline changes")
        constraints = [
            # One open request per deadline: a second waits for the first's decision.
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(state="pending", milestone__isnull=True),
                name="one_pending_deadline_change_per_task",
            ),
            models.UniqueConstraint(
                fields=["milestone"],
                condition=Q(state="pending", milestone__isnull=False),
                name="one_pending_deadline_change_per_milestone",
            ),
        ]
        indexes = [models.Index(fields=["state", "awaiting"])]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.old_due_date} → {self.new_due_date} ({self.state})"

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING

    @property
    def days_moved(self) -> int:
        return (self.new_due_date - self.old_due_date).days
