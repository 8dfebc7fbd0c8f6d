"""Reads of next year's plan in preparation, shaped for pages and for other rooms (a
report session's briefing pack reads ``submission_for``). Each is a fixed number of
queries, whatever the number of bureaus or drafts."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from plans import cache
from plans.models import Bureau, Indicator, KeyTask, Milestone, WorkPlan
from plans.prepared import ById

from .models import DraftTask, Preparation, Submission, SubmissionEvent


def submitting_bureaus() -> QuerySet[Bureau]:
    """The bureaus expected to submit a plan: every bureau with a head to answer for it."""
    return Bureau.objects.filter(head__isnull=False).order_by("path")


def _plan_of_year(related: str) -> ById:
    return ById(
        WorkPlan,
        lambda year: WorkPlan.objects.filter(year=year).select_related(related),
        key="year",
    )


# Two plans and a preparation, forty columns: writing the SQL took longer than reading.
_PLAN_OF_YEAR = {False: _plan_of_year("preparation"), True: _plan_of_year("preparation__previous")}


def plan_of_year(year: int, *, with_previous: bool = False) -> WorkPlan:
    """The year's plan with its preparation (and, ``with_previous``, the plan it was
    prepared from: the pages that offer a carry-over), in one query; 404 without one."""
    try:
        return _PLAN_OF_YEAR[with_previous].get(year=year)
    except WorkPlan.DoesNotExist:
        raise Http404(_("There is no plan for that year.")) from None


def preparation_of(plan: WorkPlan) -> Preparation | None:
    try:
        return plan.preparation
    except Preparation.DoesNotExist:
        return None


_BUREAU_OF_CODE = ById(
    Bureau, lambda code: Bureau.objects.select_related("head").filter(code=code), key="code"
)


def bureau_of_code(code: str) -> Bureau:
    try:
        return _BUREAU_OF_CODE.get(code=code)
    except Bureau.DoesNotExist:
        raise Http404(_("There is no such bureau.")) from None


@dataclass
class BureauState:
    """One row of the submissions overview."""

    bureau: Bureau
    submission: Submission | None
    draft_count: int = 0

    @property
    def state(self) -> str:
        return self.submission.state if self.submission else Submission.State.NOT_STARTED

    @property
    def state_label(self) -> str:
        return str(Submission.State(self.state).label)


@dataclass
class Overview:
    rows: list[BureauState]
    counts: dict[str, int] = field(default_factory=dict)


def submissions_stamp(plan: WorkPlan) -> str:
    """What the overview shows changes with (one small query): any change to a
    submission or its drafts moves its version and update time, a new submission the
    count; the bureaus expected to submit change with the bureau list's generation."""
    found = Submission.objects.filter(plan=plan).aggregate(
        count=Count("id"), versions=Sum("version"), last=Max("updated_at")
    )
    generation = cache.generation("bureaus")
    return f"{found['count']}.{found['versions']}.{found['last']}.{generation}"


def submissions_overview(plan: WorkPlan) -> Overview:
    """Every submitting bureau with its submission's state and number of drafts (two
    queries)."""
    # Drafts counted in the database: reading them costs as much as the rest of the page.
    submissions = {
        s.bureau_id: s
        for s in Submission.objects.filter(plan=plan).annotate(
            drafts=Count("draft_tasks", filter=Q(draft_tasks__withdrawn_at__isnull=True))
        )
    }
    rows = []
    for bureau in submitting_bureaus():
        submission = submissions.get(bureau.pk)
        rows.append(BureauState(bureau, submission, submission.drafts if submission else 0))
    counts = dict.fromkeys(Submission.State.values, 0)
    for row in rows:
        counts[row.state] += 1
    return Overview(rows, counts)


# A draft's milestones and indicators as lists (``milestone_list``, ``indicator_list``):
# prefetched into the related managers instead, Django built a filtered queryset for
# each draft and each of the two (50 on a bureau's page of 25 drafts, 1 ms of it).
_DRAFTS = Prefetch(
    "draft_tasks",
    queryset=DraftTask.objects.standing()
    .with_predecessor_code()
    .select_related("sector", "owner")
    .prefetch_related(
        Prefetch("milestones", to_attr="milestone_list"),
        Prefetch("indicators", to_attr="indicator_list"),
    ),
)


def _one_submission(bureau: Bureau, plan: WorkPlan):
    """The bureau's submission for the plan, at most one (a unique pair): read without
    the model's ordering, which joined the plan and the bureau to sort one row."""
    return Submission.objects.filter(plan=plan, bureau=bureau).order_by()


def submission_for(bureau: Bureau, plan: WorkPlan) -> Submission | None:
    """The bureau's submission for the plan with its draft tasks (each with its sector,
    owner, predecessor's code, milestones and indicators) and its record of decisions, newest
    first: five queries. None when the bureau has not started. For the bureau's page and
    a report session's briefing pack."""
    submission = (
        _one_submission(bureau, plan)
        .prefetch_related(
            _DRAFTS,
            Prefetch("events", queryset=SubmissionEvent.objects.select_related("by")),
        )
        .first()
    )
    return submission


def submissions_of(bureaus: list[Bureau], plan: WorkPlan) -> dict[int, Submission]:
    """{bureau id: submission} for the plan, each with its draft tasks (sector, owner,
    predecessor's code, milestones, indicators) and delegates: six queries whatever the number
    of bureaus. For a report session's presenting bureaus."""
    submissions = Submission.objects.filter(
        plan=plan, bureau__in=[bureau.pk for bureau in bureaus]
    ).prefetch_related(_DRAFTS, "delegates")
    return {submission.bureau_id: submission for submission in submissions}


def submission_alone(bureau: Bureau, plan: WorkPlan) -> Submission | None:
    """The bureau's submission for the plan without its drafts (one query): for a page
    about one draft."""
    return _one_submission(bureau, plan).first()


def draft_of(submission: Submission, pk: int) -> DraftTask:
    draft = (
        DraftTask.objects.standing()
        .filter(submission=submission, pk=pk)
        .with_predecessor_code()
        .select_related("sector")
        .first()
    )
    if draft is None:
        raise Http404(_("There is no such draft key task."))
    return draft


_INDICATORS_BY_CODE = Indicator.objects.order_by("code")


def unfinished_tasks(plan: WorkPlan) -> QuerySet[KeyTask]:
    """The plan's open key tasks that have not been carried over yet, each with its
    bureau and sector: what next year's plan may carry over (one query)."""
    # A draft the bureau removed from its submission no longer carries its task over.
    carried = (
        DraftTask.objects.standing().filter(predecessor__isnull=False).values("predecessor_id")
    )
    return (
        KeyTask.objects.filter(plan=plan)
        .open()
        .exclude(pk__in=carried)
        .select_related("bureau", "sector")
        .order_by("sector__number", "code")
    )


def carried_from(preparation: Preparation) -> QuerySet[KeyTask]:
    """What next year's plan may carry over: its previous plan's unfinished key tasks
    (404 for a plan opened without a previous one)."""
    if preparation.previous is None:
        raise Http404(_("This plan has no previous plan to carry tasks over from."))
    # With their indicators, which carrying a task over copies (``services.carry_over``).
    indicators = Prefetch("indicators", queryset=_INDICATORS_BY_CODE)
    return unfinished_tasks(preparation.previous).prefetch_related(indicators)


CARRY_OVER_PER_PAGE = 25
# What the carry-over list shows of a task: its sector's and bureau's other columns
# (descriptions, themes) made writing the SQL take longer than running it.
_LISTED = (
    "code",
    "title_ko",
    "title_en",
    "status",
    "progress",
    "sector__number",
    "bureau__name_ko",
    "bureau__name_en",
)


def unfinished_page(plan: WorkPlan, filters: dict, number):
    """A page of the plan's unfinished key tasks (``unfinished_tasks``) in a sector or a
    bureau and those under it, each with its indicators (``indicator_list``): three
    queries whatever the size of the plan. The indicators come as a list: prefetched
    into each task's related manager, Django built a filtered queryset per task."""
    indicators = Prefetch("indicators", queryset=_INDICATORS_BY_CODE, to_attr="indicator_list")
    tasks = unfinished_tasks(plan).only(*_LISTED).prefetch_related(indicators)
    if filters.get("sector"):
        tasks = tasks.filter(sector=filters["sector"])
    if filters.get("bureau"):
        tasks = tasks.filter(bureau__path__startswith=filters["bureau"].path)
    # By code (its sector's number first): the plan's (plan, code) index, no sort.
    paginator = Paginator(tasks.order_by("code"), CARRY_OVER_PER_PAGE)
    # Counting 18,000 unfinished tasks took longer than the page: counted once per change
    # of the plan or of the submissions (every carry-over and withdrawal is an event).
    chosen = (
        getattr(filters.get("sector"), "pk", None),
        getattr(filters.get("bureau"), "pk", None),
    )
    paginator.count = cache.cached(
        "carry-over-count",
        (plan.pk, *chosen),
        tasks.count,
        stamp=cache.plan_stamp(SubmissionEvent),
    )
    return paginator.get_page(number)


def open_milestones(task: KeyTask) -> list[Milestone]:
    return [m for m in task.milestones.all() if not m.is_done]


def plans_by_year() -> list[WorkPlan]:
    """Every year's plan with its preparation, newest first (one query)."""
    return list(WorkPlan.objects.select_related("preparation").order_by("-year"))


def bureaus_to_draft(user, plans: list[WorkPlan]) -> list[Bureau]:
    """The bureaus whose submission this user drafts: those they head, and those whose
    submission for a plan in preparation names them a delegate (two queries at most)."""
    if not getattr(user, "is_authenticated", False):
        return []
    headed = list(Bureau.objects.filter(head=user).order_by("path"))
    preparing = [plan.pk for plan in plans if plan.is_in_preparation]
    if preparing:
        delegated = Bureau.objects.filter(
            submissions__plan__in=preparing, submissions__delegates=user
        ).exclude(pk__in=[b.pk for b in headed])
        headed += list(delegated.distinct())
    return headed


def for_the_queue(submissions: QuerySet[Submission], event: str) -> QuerySet[Submission]:
    """Submissions as the queue lists them, in one query: with their plan and bureau,
    when the last ``event`` (``SubmissionEvent.Kind``) happened and what it said
    (``event_at``, ``event_comment``) and how many draft key tasks they propose
    (``drafts``), oldest event first."""
    last = SubmissionEvent.objects.filter(submission=OuterRef("pk"), kind=event).order_by(
        "-at", "-id"
    )
    return (
        submissions.select_related("plan", "bureau")
        .annotate(
            event_at=Subquery(last.values("at")[:1]),
            event_comment=Subquery(last.values("comment")[:1]),
            drafts=Count("draft_tasks", filter=Q(draft_tasks__withdrawn_at__isnull=True)),
        )
        .order_by("event_at", "id")
    )
