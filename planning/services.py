"""Writes of next year's plan: opening it from this year's, carrying unfinished tasks
over, the bureaus' drafts and submissions, the mayor's office's decisions, adopting and
closing plans. Every transition is recorded (``SubmissionEvent``; the key tasks' own
history for what is carried over) in the same transaction as the change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from plans import dates
from plans import services as plan_services
from plans.models import (
    AdministrationGoal,
    Bureau,
    Indicator,
    KeyTask,
    Measurement,
    Milestone,
    Sector,
    StatusUpdate,
    WorkPlan,
)

from .models import (
    DraftIndicator,
    DraftMilestone,
    DraftTask,
    Preparation,
    StageChange,
    Submission,
    SubmissionEvent,
)

State = Submission.State
Event = SubmissionEvent.Kind


@dataclass
class SectorText:
    number: int
    name_ko: str
    name_en: str = ""
    theme_ko: str = ""
    theme_en: str = ""


class SubmissionConflict(Exception):
    """Someone else changed the submission after the reader loaded it."""


# --- next year's plan ------------------------------------------------------------------


@transaction.atomic
def open_next_year(
    *,
    by,
    previous: WorkPlan | None,
    year: int,
    deadline: date,
    core_goal_ko: str,
    core_goal_en: str = "",
    vision_ko: str = "",
    vision_en: str = "",
    goals: list[tuple[str, str]] = (),
    sectors: list[SectorText] = (),
) -> WorkPlan:
    """Next year's plan, in preparation, with its goals and five sectors (copied from
    ``previous`` by the form, edited by the mayor's office) and the bureaus' deadline."""
    errors = {}
    if WorkPlan.objects.filter(year=year).exists():
        errors["year"] = _("There is already a plan for %(year)s.") % {"year": year}
    elif previous is not None and year <= previous.year:
        errors["year"] = _("Next year's plan must come after %(year)s.") % {"year": previous.year}
    if deadline < dates.today():
        errors["deadline"] = _("The submission deadline cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    plan = WorkPlan(
        year=year,
        stage=WorkPlan.Stage.PREPARATION,
        core_goal_ko=core_goal_ko,
        core_goal_en=core_goal_en,
        vision_ko=vision_ko,
        vision_en=vision_en,
        administration_ko=previous.administration_ko if previous else "",
        administration_en=previous.administration_en if previous else "",
        slogan_ko=previous.slogan_ko if previous else "",
        slogan_en=previous.slogan_en if previous else "",
    )
    plan.full_clean()
    plan.save()
    for order, (text_ko, text_en) in enumerate(goals, start=1):
        AdministrationGoal.objects.create(plan=plan, order=order, text_ko=text_ko, text_en=text_en)
    for text in sectors:
        Sector.objects.create(
            plan=plan,
            number=text.number,
            name_ko=text.name_ko,
            name_en=text.name_en,
            theme_ko=text.theme_ko,
            theme_en=text.theme_en,
        )
    Preparation.objects.create(plan=plan, previous=previous, deadline=deadline, opened_by=by)
    return plan


def set_deadline(*, by, preparation: Preparation, deadline: date) -> Preparation:
    if deadline < dates.today():
        raise ValidationError({"deadline": _("The submission deadline cannot be in the past.")})
    preparation.deadline = deadline
    preparation.save(update_fields=["deadline"])
    return preparation


def _require_preparation(plan: WorkPlan) -> None:
    if not plan.is_in_preparation:
        raise ValidationError(
            _("The %(year)s plan is no longer in preparation.") % {"year": plan.year}
        )


def _record(submission, kind, *, by, old="", new="", comment="") -> SubmissionEvent:
    return SubmissionEvent.objects.create(
        submission=submission, kind=kind, old_state=old, new_state=new, by=by, comment=comment
    )


@transaction.atomic
def start_drafting(*, by, plan: WorkPlan, bureau: Bureau) -> Submission:
    """The bureau's submission, started if it was not (recorded once)."""
    _require_preparation(plan)
    submission, created = Submission.objects.get_or_create(plan=plan, bureau=bureau)
    if created:
        _record(submission, Event.STARTED, by=by, new=State.DRAFTING)
    return submission


def _year_start_and_end(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


@transaction.atomic
def carry_over(
    *, by, plan: WorkPlan, tasks: list[KeyTask], indicators: list[Indicator]
) -> list[DraftTask]:
    """Unfinished tasks of the previous plan become drafts of their bureaus' submissions
    for ``plan``, linked to their predecessor, with their open milestones and the
    indicators chosen among theirs. Each task's own history says it was carried over;
    each submission's record says which were."""
    _require_preparation(plan)
    sectors = {s.number: s for s in plan.sectors.all()}
    chosen = {indicator.pk for indicator in indicators}
    start, end = _year_start_and_end(plan.year)
    made: dict[int, list[DraftTask]] = {}
    for task in tasks:
        if task.is_closed or task.plan_id == plan.pk:
            continue
        sector = sectors.get(task.sector.number)
        if sector is None:
            raise ValidationError(
                _("The %(year)s plan has no sector %(number)s.")
                % {"year": plan.year, "number": task.sector.number}
            )
        submission = start_drafting(by=by, plan=plan, bureau=task.bureau)
        if not submission.is_editable:
            continue
        draft = DraftTask(
            submission=submission,
            sector=sector,
            pillar_ko=task.pillar_ko,
            pillar_en=task.pillar_en,
            title_ko=task.title_ko,
            title_en=task.title_en,
            description_ko=task.description_ko,
            description_en=task.description_en,
            owner=task.owner,
            start_date=start,
            due_date=max(end, task.due_date) if task.due_date.year == plan.year else end,
            predecessor=task,
        )
        draft.full_clean()
        draft.save()
        for milestone in task.milestones.all():
            if not milestone.is_done:
                DraftMilestone.objects.create(
                    task=draft,
                    title_ko=milestone.title_ko,
                    title_en=milestone.title_en,
                    due_date=max(milestone.due_date, start),
                )
        for indicator in task.indicators.all():
            if indicator.pk in chosen:
                latest = Measurement.objects.filter(indicator=indicator).order_by("-as_of").first()
                DraftIndicator.objects.create(
                    task=draft,
                    name_ko=indicator.name_ko,
                    name_en=indicator.name_en,
                    unit_ko=indicator.unit_ko,
                    unit_en=indicator.unit_en,
                    # This year's starting point is where the last one ended, when known.
                    baseline=latest.value if latest else indicator.baseline,
                    target=indicator.target
                    if indicator.target != (latest.value if latest else indicator.baseline)
                    else indicator.target + 1,
                    direction=indicator.direction,
                    predecessor=indicator,
                )
        version = task.version + 1
        KeyTask.objects.filter(pk=task.pk).update(version=F("version") + 1)
        StatusUpdate.objects.create(
            task=task,
            version=version,
            changed_by=by,
            kind=StatusUpdate.Kind.CARRIED_OVER,
            new_value=str(plan.year),
        )
        made.setdefault(submission.pk, []).append(draft)
    for drafts in made.values():
        codes = ", ".join(d.predecessor.code for d in drafts)
        _record(drafts[0].submission, Event.CARRIED_OVER, by=by, comment=codes)
    return [draft for drafts in made.values() for draft in drafts]


# --- the bureau's drafts ----------------------------------------------------------------


def require_editable(submission: Submission) -> None:
    """``ValidationError`` saying why, unless the bureau may still change the submission."""
    _require_preparation(submission.plan)
    if not submission.is_editable:
        raise ValidationError(
            _("This submission is %(state)s: it can no longer be changed.")
            % {"state": submission.get_state_display()}
        )


@transaction.atomic
def save_draft_task(
    *,
    by,
    submission: Submission,
    draft: DraftTask,
    milestones: list[DraftMilestone] = (),
    indicators: list[DraftIndicator] = (),
) -> DraftTask:
    """Save a draft task (new or changed) with its new or changed milestones and
    indicators; the submission's version moves on."""
    require_editable(submission)
    if draft.sector.plan_id != submission.plan_id:
        raise ValidationError(
            {"sector": _("Choose a sector of the %(year)s plan.") % {"year": submission.plan.year}}
        )
    draft.submission = submission
    draft.full_clean()
    draft.save()
    for row in (*milestones, *indicators):
        row.task = draft
        row.full_clean()
        row.save()
    Submission.objects.filter(pk=submission.pk).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    return draft


@transaction.atomic
def withdraw_draft(*, by, submission: Submission, draft: DraftTask) -> DraftTask:
    """Remove a draft key task from the bureau's submission while the bureau still
    drafts it (drafting or returned; never once submitted or accepted). The draft is
    kept, marked withdrawn with who and when, and left out of the submission, its
    briefing and adoption; the submission's record names it; its version moves on."""
    _require_preparation(submission.plan)
    if draft.submission_id != submission.pk:
        raise ValidationError(_("This draft key task is not part of this submission."))
    now = timezone.now()
    # The state is checked in the same UPDATE that moves the version, so a submission
    # sent meanwhile is not changed behind the mayor's office's back.
    claimed = Submission.objects.filter(
        pk=submission.pk, state__in=Submission.EDITABLE_STATES
    ).update(version=F("version") + 1, updated_at=now)
    if not claimed:
        submission.refresh_from_db(fields=["state"])
        require_editable(submission)
        raise SubmissionConflict
    removed = DraftTask.objects.filter(pk=draft.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=now, withdrawn_by=by
    )
    if not removed:
        raise ValidationError(_("This draft key task has already been removed."))
    draft.withdrawn_at, draft.withdrawn_by = now, by
    SubmissionEvent.objects.create(
        submission=submission, kind=Event.WITHDRAWN, by=by, draft=draft, comment=draft.title_ko
    )
    return draft


@transaction.atomic
def delegate(*, by, submission: Submission, people: list) -> Submission:
    """Who besides the bureau's head drafts the submission."""
    old = sorted(u.get_username() for u in submission.delegates.all())
    submission.delegates.set(people)
    new = sorted(u.get_username() for u in people)
    if old != new:
        _record(submission, Event.DELEGATED, by=by, comment=", ".join(new))
    return submission


# --- decisions --------------------------------------------------------------------------


@transaction.atomic
def move_submission(
    *, by, submission: Submission, move: str, version: int, comment: str = ""
) -> Submission:
    """Submit (the bureau), return with a comment or accept (the mayor's office). Refused
    when someone changed the submission after ``version`` was read."""
    _require_preparation(submission.plan)
    sources, target = Submission.MOVES[move]
    comment = comment.strip()
    if move == "return" and not comment:
        raise ValidationError({"comment": _("Say what the bureau should change.")})
    if move == "submit" and not submission.draft_tasks.standing().exists():
        raise ValidationError(_("Add at least one key task before submitting."))
    old = submission.state
    changed = Submission.objects.filter(
        pk=submission.pk, version=version, state__in=sources
    ).update(state=target, version=F("version") + 1, updated_at=timezone.now())
    if not changed:
        raise SubmissionConflict
    submission.refresh_from_db()
    kind = {"submit": Event.SUBMITTED, "return": Event.RETURNED, "accept": Event.ACCEPTED}[move]
    _record(submission, kind, by=by, old=old, new=target, comment=comment)
    return submission


# --- the plan's stage -------------------------------------------------------------------


def _next_code(prefix: str, taken: set[str]) -> str:
    n = 1
    while f"{prefix}-{n:02d}" in taken:
        n += 1
    code = f"{prefix}-{n:02d}"
    taken.add(code)
    return code


@transaction.atomic
def adopt_plan(*, by, plan: WorkPlan) -> list[KeyTask]:
    """The plan becomes the tracked one: every accepted submission's drafts become key
    tasks (with their milestones and indicators), each with its creation in its history
    and linked to its draft and predecessor. Later changes go through the normal
    versioned update."""
    if not plan.can_move_to(WorkPlan.Stage.ADOPTED):
        raise ValidationError(_("Only a plan in preparation can be adopted."))
    task_codes = set(KeyTask.objects.filter(plan=plan).values_list("code", flat=True))
    indicator_codes = set(Indicator.objects.filter(plan=plan).values_list("code", flat=True))
    start, end = _year_start_and_end(plan.year)
    made = []
    accepted = Submission.objects.filter(plan=plan, state=State.ACCEPTED).select_related("bureau")
    for submission in accepted:
        drafts = (
            submission.draft_tasks.standing()
            .filter(adopted_as__isnull=True)
            .select_related("sector__plan", "predecessor")
        )
        for draft in drafts:
            task = plan_services.create_key_task(
                by=by,
                origin=(
                    StatusUpdate.Origin.CARRIED_OVER
                    if draft.predecessor_id
                    else StatusUpdate.Origin.SUBMISSION
                ),
                sector=draft.sector,
                bureau=submission.bureau,
                owner=draft.owner,
                code=_next_code(str(draft.sector.number), task_codes),
                title_ko=draft.title_ko,
                title_en=draft.title_en,
                description_ko=draft.description_ko,
                description_en=draft.description_en,
                pillar_ko=draft.pillar_ko,
                pillar_en=draft.pillar_en,
                start_date=draft.start_date,
                due_date=draft.due_date,
                predecessor=draft.predecessor,
            )
            for order, milestone in enumerate(draft.milestones.all(), start=1):
                Milestone.objects.create(
                    task=task,
                    order=order,
                    title_ko=milestone.title_ko,
                    title_en=milestone.title_en,
                    due_date=milestone.due_date,
                )
            for row in draft.indicators.all():
                indicator = Indicator(
                    plan=plan,
                    sector=draft.sector,
                    task=task,
                    code=_next_code(f"K{task.code}", indicator_codes),
                    name_ko=row.name_ko,
                    name_en=row.name_en,
                    unit_ko=row.unit_ko,
                    unit_en=row.unit_en,
                    baseline=row.baseline,
                    target=row.target,
                    target_date=min(max(draft.due_date, start), end),
                    direction=row.direction,
                    predecessor=row.predecessor,
                )
                indicator.full_clean()
                indicator.save()
                row.adopted_as = indicator
                row.save(update_fields=["adopted_as"])
            draft.adopted_as = task
            draft.save(update_fields=["adopted_as"])
            made.append(task)
        _record(submission, Event.ADOPTED, by=by, old=submission.state, new=submission.state)
    _move_plan(plan, WorkPlan.Stage.ADOPTED, by=by)
    return made


def _move_plan(plan: WorkPlan, stage: str, *, by) -> None:
    StageChange.objects.create(plan=plan, old_stage=plan.stage, new_stage=stage, by=by)
    plan.stage = stage
    plan.save(update_fields=["stage"])


def close_plan(*, by, plan: WorkPlan) -> WorkPlan:
    """The year is over: the plan stays on record, read-only in spirit, reminding nobody."""
    if not plan.can_move_to(WorkPlan.Stage.CLOSED):
        raise ValidationError(_("Only an adopted plan can be closed."))
    with transaction.atomic():
        _move_plan(plan, WorkPlan.Stage.CLOSED, by=by)
    return plan


__all__ = [
    "SectorText",
    "SubmissionConflict",
    "adopt_plan",
    "carry_over",
    "close_plan",
    "delegate",
    "move_submission",
    "open_next_year",
    "save_draft_task",
    "set_deadline",
    "start_drafting",
    "withdraw_draft",
]
