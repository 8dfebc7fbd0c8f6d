"""Next year's plan in preparation: the submission deadline, each bureau's submission
(its draft key tasks, their roadmap of milestones and indicators) and every decision on
it. Adopting the plan turns accepted drafts into tracked key tasks (``services``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from plans.models import (
    AppendOnly,
    Bureau,
    ChoiceLabels,
    Indicator,
    KeptOnRecordQuerySet,
    KeyTask,
    Sector,
    WorkPlan,
    pick,
)


class Preparation(models.Model):
    """Next year's plan opened by the mayor's office: from which plan, the bureaus'
    submission deadline, who opened it and when."""

    plan = models.OneToOneField(
        WorkPlan, models.PROTECT, related_name="preparation", verbose_name=_("plan")
    )
    previous = models.ForeignKey(
        WorkPlan,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("prepared from"),
    )
    deadline = models.DateField(_("submission deadline"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("plan preparation")
        verbose_name_plural = _("plan preparations")

    def __str__(self) -> str:
        return f"{self.plan.year}: {self.deadline}"


class Submission(ChoiceLabels):
    """A bureau's plan for next year. Its state moves: drafting → submitted → returned
    (back to drafting, with the mayor's office's comment) or accepted. "Not started" is
    a bureau with no submission yet."""

    class State(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        DRAFTING = "drafting", _("Drafting")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")

    # The bureau may write while drafting or after a return; the mayor's office decides
    # on a submitted one.
    EDITABLE_STATES = (State.DRAFTING, State.RETURNED)
    MOVES = {
        "submit": (EDITABLE_STATES, State.SUBMITTED),
        "return": ((State.SUBMITTED, State.ACCEPTED), State.RETURNED),
        "accept": ((State.SUBMITTED,), State.ACCEPTED),
    }

    plan = models.ForeignKey(
        WorkPlan, models.PROTECT, related_name="submissions", verbose_name=_("plan")
    )
    bureau = models.ForeignKey(
        Bureau, models.PROTECT, related_name="submissions", verbose_name=_("bureau")
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.DRAFTING
    )
    # Staff the bureau head lets draft the submission with them.
    delegates = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("delegates")
    )
    # Bumped on every change; a decision carries the version its author read.
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("last update"), auto_now=True)

    class Meta:
        ordering = ["plan", "bureau__path"]
        verbose_name = _("bureau submission")
        verbose_name_plural = _("bureau submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "bureau"], name="one_submission_per_bureau_and_plan"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.bureau}: {self.state}"

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES

    def can_move(self, move: str) -> bool:
        sources, _target = self.MOVES[move]
        return self.state in sources


class SubmissionEvent(AppendOnly):
    """One transition of a submission: who, when, from what to what, and the comment.
    Append-only, written in the same transaction as the transition."""

    class Kind(models.TextChoices):
        STARTED = "started", _("Drafting started")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")
        ADOPTED = "adopted", _("Adopted into the plan")
        CARRIED_OVER = "carried_over", _("Tasks carried over")
        DELEGATED = "delegated", _("Drafting delegated")
        WITHDRAWN = "withdrawn", _("Draft key task removed")

    submission = models.ForeignKey(Submission, models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    old_state = models.CharField(_("old state"), max_length=12, blank=True)
    new_state = models.CharField(_("new state"), max_length=12, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)
    # The draft key task an event is about (a removal: the draft, kept, withdrawn).
    draft = models.ForeignKey(
        "DraftTask",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("draft key task"),
    )

    objects = KeptOnRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("submission event")
        verbose_name_plural = _("submission events")

    def __str__(self) -> str:
        return f"{self.submission_id} {self.kind}"


class DraftTaskQuerySet(models.QuerySet):
    def standing(self) -> DraftTaskQuerySet:
        """The drafts the submission proposes: not those the bureau removed from it
        (kept, withdrawn, on its record). The submission's page, its submitting, the
        briefing pack and adopting the plan read only these."""
        return self.filter(withdrawn_at__isnull=True)

    def with_predecessor_code(self) -> DraftTaskQuerySet:
        """Each draft with the code of the key task it carries over (``predecessor_code``,
        None for a new one): what its pages show of that task. Joining the whole task
        (30 columns) made the drafts' query the costliest part of the submission page."""
        return self.annotate(predecessor_code=F("predecessor__code"))


class DraftTask(models.Model):
    """A key task as the bureau proposes it for next year. Removed from the submission
    while the bureau still drafts it, it is kept, marked withdrawn (who, when), and
    named by the submission's record (``SubmissionEvent``)."""

    submission = models.ForeignKey(
        Submission, models.PROTECT, related_name="draft_tasks", verbose_name=_("submission")
    )
    sector = models.ForeignKey(Sector, models.PROTECT, related_name="+", verbose_name=_("sector"))
    pillar_ko = models.CharField(_("pillar (Korean)"), max_length=100, blank=True)
    pillar_en = models.CharField(_("pillar (English)"), max_length=100, blank=True)
    title_ko = models.CharField(_("title (Korean)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    start_date = models.DateField(_("start date"))
    due_date = models.DateField(_("due date"))
    predecessor = models.ForeignKey(
        KeyTask,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("carried over from"),
    )
    # The tracked key task it became when the plan was adopted.
    adopted_as = models.OneToOneField(
        KeyTask, models.PROTECT, null=True, blank=True, related_name="draft", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("removed at"), null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("removed by"),
    )

    objects = DraftTaskQuerySet.as_manager()

    class Meta:
        ordering = ["sector__number", "id"]
        verbose_name = _("draft key task")
        verbose_name_plural = _("draft key tasks")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_date__gte=models.F("start_date")),
                name="draft_due_not_before_start",
                violation_error_message=_("The due date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def title(self) -> str:
        return pick(self.title_ko, self.title_en)

    @property
    def pillar(self) -> str:
        return pick(self.pillar_ko, self.pillar_en)

    @property
    def description(self) -> str:
        return pick(self.description_ko, self.description_en)


class DraftMilestone(models.Model):
    """A step of a draft task's roadmap."""

    task = models.ForeignKey(DraftTask, models.PROTECT, related_name="milestones")
    title_ko = models.CharField(_("milestone (Korean)"), max_length=300)
    title_en = models.CharField(_("milestone (English)"), max_length=300, blank=True)
    due_date = models.DateField(_("due date"))

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("draft milestone")
        verbose_name_plural = _("draft milestones")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return pick(self.title_ko, self.title_en)


class DraftIndicator(models.Model):
    """An indicator of a draft task: baseline and the challenging target."""

    task = models.ForeignKey(DraftTask, models.PROTECT, related_name="indicators")
    name_ko = models.CharField(_("indicator (Korean)"), max_length=300)
    name_en = models.CharField(_("indicator (English)"), max_length=300, blank=True)
    unit_ko = models.CharField(_("unit (Korean)"), max_length=40)
    unit_en = models.CharField(_("unit (English)"), max_length=40, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=18, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=2)
    direction = models.CharField(
        _("direction"),
        max_length=10,
        choices=Indicator.Direction.choices,
        default=Indicator.Direction.INCREASE,
    )
    predecessor = models.ForeignKey(
        Indicator,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("carried over from"),
    )
    adopted_as = models.OneToOneField(
        Indicator, models.PROTECT, null=True, blank=True, related_name="draft", editable=False
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("draft indicator")
        verbose_name_plural = _("draft indicators")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(target=models.F("baseline")),
                name="draft_indicator_target_differs_from_baseline",
                violation_error_message=_("The target must differ from the baseline."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_ko, self.name_en)

    @property
    def unit(self) -> str:
        return pick(self.unit_ko, self.unit_en)


class StageChange(AppendOnly):
    """A plan moved on (adopted, closed): who, when, from what to what."""

    plan = models.ForeignKey(WorkPlan, models.PROTECT, related_name="stage_changes")
    old_stage = models.CharField(_("old stage"), max_length=12, choices=WorkPlan.Stage.choices)
    new_stage = models.CharField(_("new stage"), max_length=12, choices=WorkPlan.Stage.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = KeptOnRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("plan stage change")
        verbose_name_plural = _("plan stage changes")

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.old_stage} → {self.new_stage}"
