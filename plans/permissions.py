"""Who may do what. Every view, HTMX partial, export and admin action asks here.

The roles, from the city's organisation:
- mayor's office: reads everything; writes report sessions, minutes and directives
  (the session rules are in ``meetings.permissions``, built on these roles);
- bureau head: edits the key tasks of the bureaus they head and every bureau under them,
  reads the rest of the plan and the dashboard;
- staff: updates the key tasks assigned to them, reads the plan;
- anonymous: the public disclosure page only.
A user can hold several of these at once (a head who also owns a task elsewhere).

Whatever the role, a closed plan is the record of its year: ``accepts_changes`` is the
one rule, asked by every rule below that writes to a key task, a milestone, an
indicator, a figure or a directive (and by the services, which refuse too).
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.lookups import StartsWith
from django.utils.translation import gettext as _

from .models import Bureau, DeadlineChange, KeyTask, Measurement, WorkPlan
from .prepared import ById


class Role(StrEnum):
    MAYORS_OFFICE = "mayors_office"
    BUREAU_HEAD = "bureau_head"
    STAFF = "staff"
    ANONYMOUS = "anonymous"


def require(allowed: bool, *, plan: WorkPlan | None = None) -> None:
    """For views: 403 unless the rule asked allows it. Given the plan the change would
    touch, a refusal because that plan is closed says so (``PlanClosed``)."""
    if not allowed:
        if plan is not None and not accepts_changes(plan):
            raise PlanClosed(plan)
        raise PermissionDenied


# --- a closed plan is a record -------------------------------------------------------


def accepts_changes(plan: WorkPlan) -> bool:
    """Whether anything of the plan may still change. A closed plan is the record of
    its year: its key tasks, milestones, indicators, figures and directives no longer
    change, for anyone, by any route (the pages, the queue, the Excel round trip, the
    API, the admin). The one rule: every ``can_*`` below that writes asks it, and so do
    the services (``plans.services``, ``plans.measurements``) as the last word."""
    return plan.stage != WorkPlan.Stage.CLOSED


def open_plans_q(prefix: str = "plan") -> Q:
    """``accepts_changes`` in SQL, for a list of what may still change (``prefix``: the
    path to the plan, e.g. "task__plan")."""
    return ~Q(**{f"{prefix}__stage": WorkPlan.Stage.CLOSED})


def record_message(plan: WorkPlan) -> str:
    """What a refusal says, in the reader's language."""
    return _("The %(year)s plan is closed and kept as the record: it no longer changes.") % {
        "year": plan.year
    }


class PlanClosed(PermissionDenied):
    """A change refused because its plan is closed; the message says so (the 403 page
    shows it, an HTMX request reloads the page, which shows the plan read-only)."""

    def __init__(self, plan: WorkPlan):
        super().__init__(record_message(plan))
        self.plan = plan


def _is_city_user(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def headed_bureau_paths(user) -> tuple[str, ...]:
    """Paths of the bureaus the user heads (read with ``headed_subtree_ids``)."""
    return _headed_bureaus(user)[0]


def _headed_bureaus(user) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """(paths of the bureaus the user heads, ids of those bureaus and every bureau
    under them), in one query cached on the user for the request: My tasks, the inbox
    and the navigation ask for both, and each was a round trip of its own."""
    if not _is_city_user(user):
        return (), ()
    if not hasattr(user, "_headed_bureaus"):
        rows = _HEADED_BUREAUS.rows(pk=user.pk)
        user._headed_bureaus = (
            tuple(path for _pk, path, head in rows if head == user.pk),
            tuple(pk for pk, _path, _head in rows),
        )
    return user._headed_bureaus


def is_mayors_office(user) -> bool:
    if not _is_city_user(user):
        return False
    if user.is_superuser:
        return True
    profile = getattr(user, "profile", None)
    return bool(profile and profile.is_mayors_office)


def is_bureau_head(user) -> bool:
    return bool(headed_bureau_paths(user))


def roles(user) -> set[Role]:
    if not _is_city_user(user):
        return {Role.ANONYMOUS}
    found = {Role.STAFF}
    if is_mayors_office(user):
        found.add(Role.MAYORS_OFFICE)
    if is_bureau_head(user):
        found.add(Role.BUREAU_HEAD)
    return found


# --- reading -----------------------------------------------------------------


def can_view_plan(user) -> bool:
    """The internal plan (all sectors, tasks, history) is for the city's own people."""
    return _is_city_user(user)


def can_view_task(user, task: KeyTask) -> bool:
    return can_view_plan(user) or task.is_public


def can_view_dashboard(user) -> bool:
    return is_mayors_office(user) or is_bureau_head(user)


def can_export(user) -> bool:
    return can_view_dashboard(user)


def visible_tasks(user, queryset: QuerySet[KeyTask] | None = None) -> QuerySet[KeyTask]:
    queryset = KeyTask.objects.all() if queryset is None else queryset
    if can_view_plan(user):
        return queryset
    return queryset.filter(is_public=True)


# --- writing key tasks -------------------------------------------------------


# The bureaus whose path starts with the path of a bureau the person (by id) heads:
# those and every bureau under them. Its SQL is written once (``plans.prepared``).
_HEADED_BUREAUS = ById(
    Bureau,
    lambda person: (
        Bureau.objects.filter(
            Exists(
                Bureau.objects.filter(head=person).filter(StartsWith(OuterRef("path"), F("path")))
            )
        )
        .order_by("path")
        .values_list("pk", "path", "head_id")
    ),
)


def headed_subtree_ids(user) -> tuple[int, ...]:
    """Ids of the bureaus the user heads and every bureau under them. Filtering tasks
    by these ids (rather than by a join on the bureau path) lets PostgreSQL combine the
    bureau and owner indexes: at 20,000 tasks that is the difference between a
    sequential scan and a millisecond."""
    return _headed_bureaus(user)[1]


def _editable_condition(user) -> Q | None:
    if not _is_city_user(user):
        return None
    condition = Q(owner=user)
    subtree = headed_subtree_ids(user)
    if subtree:
        condition |= Q(bureau_id__in=subtree)
    return condition


def editable_tasks(user, queryset: QuerySet[KeyTask] | None = None) -> QuerySet[KeyTask]:
    """The key tasks this user may update: their bureaus' (with sub-bureaus) and their
    own, of plans that are not closed."""
    queryset = KeyTask.objects.all() if queryset is None else queryset
    condition = _editable_condition(user)
    if condition is None:
        return queryset.none()
    return queryset.filter(condition & open_plans_q())


def can_edit_task(user, task: KeyTask) -> bool:
    """Update the task's progress, milestones and figures: ``answers_for_task``, while
    its plan accepts changes (the task's plan is read with it)."""
    return answers_for_task(user, task) and accepts_changes(task.plan)


def answers_for_task(user, task: KeyTask) -> bool:
    """The task's owner and the heads of its bureau and the bureaus above: who takes
    part in its discussion and answers its escalations, whether or not its plan is
    closed."""
    if not _is_city_user(user):
        return False
    return task.owner_id == user.pk or can_manage_bureau(user, task.bureau)


def can_manage_bureau(user, bureau: Bureau) -> bool:
    """Whether the user heads the bureau or one above it."""
    if not _is_city_user(user):
        return False
    # Who heads the bureau, and its parent when that was read with it, settles most
    # cases without reading the bureaus this user heads.
    if bureau.head_id == user.pk:
        return True
    parent = bureau.parent if Bureau.parent.is_cached(bureau) else None
    if parent is not None and parent.head_id == user.pk:
        return True
    return any(bureau.path.startswith(path) for path in headed_bureau_paths(user))


# --- managing key tasks (creating, owners, milestones, dropping) ---------------------


def can_create_tasks(user, plan: WorkPlan | None = None) -> bool:
    """The mayor's office for any bureau, a bureau head for the bureaus they head; given
    the plan, not in a closed one."""
    allowed = is_mayors_office(user) or is_bureau_head(user)
    return allowed and (plan is None or accepts_changes(plan))


def task_bureaus(user) -> QuerySet[Bureau]:
    """The bureaus this user may create and manage key tasks in."""
    if is_mayors_office(user):
        return Bureau.objects.order_by("path")
    return Bureau.objects.filter(pk__in=headed_subtree_ids(user)).order_by("path")


def can_manage_task(user, task: KeyTask) -> bool:
    """Owner, title, schedule and milestones of a key task, and dropping it: the mayor's
    office, and the heads of its bureau and the bureaus above (its owner only updates
    its progress), while its plan accepts changes."""
    return (is_mayors_office(user) or can_manage_bureau(user, task.bureau)) and accepts_changes(
        task.plan
    )


def can_publish_task(user) -> bool:
    """Whether a key task is disclosed to residents is the mayor's office's decision."""
    return is_mayors_office(user)


# --- reminders ---------------------------------------------------------------


def can_acknowledge_escalation(user, task: KeyTask) -> bool:
    """An overdue task's escalation is answered by those who can act on it: its owner,
    the heads of its bureau and the bureaus above, and the mayor's office."""
    return is_mayors_office(user) or answers_for_task(user, task)


# --- deadline changes --------------------------------------------------------


def can_request_deadline_change(user, task: KeyTask) -> bool:
    """Whoever updates a task may ask to move its deadline (or a milestone's); the
    mayor's office, which approves every level, may move one itself. Not in a closed
    plan."""
    return (is_mayors_office(user) or answers_for_task(user, task)) and accepts_changes(task.plan)


def can_approve_as(user, task: KeyTask, approver: str) -> bool:
    """Whether the user speaks for ``approver`` ("bureau_head" or "mayors_office") on
    this task's deadline. The mayor's office decides at every level."""
    if is_mayors_office(user):
        return True
    return approver == "bureau_head" and can_manage_bureau(user, task.bureau)


def can_decide_deadline_change(user, change) -> bool:
    """A pending change is decided by whoever it awaits (``DeadlineChange.awaiting``),
    while the task's plan accepts changes."""
    if not change.is_pending or not change.awaiting:
        return False
    return can_approve_as(user, change.task, change.awaiting) and accepts_changes(change.task.plan)


def asked_for_deadline_change(user, change) -> bool:
    """The person who asked for the change, or a head of the task's bureau or a bureau
    above (the asker's bureau head): those who may withdraw it while it waits."""
    if not _is_city_user(user):
        return False
    return change.requested_by_id == user.pk or can_manage_bureau(user, change.task.bureau)


def can_withdraw_deadline_change(user, change) -> bool:
    """A pending change is withdrawn, before it is decided, by whoever asked for it or
    their bureau head, while its plan takes changes. The mayor's office declines instead."""
    return (
        change.is_pending
        and accepts_changes(change.task.plan)
        and asked_for_deadline_change(user, change)
    )


def deadline_changes_to_decide(user, queryset: QuerySet | None = None) -> QuerySet:
    """The pending deadline changes this user may decide (none of a closed plan)."""
    queryset = DeadlineChange.objects.pending() if queryset is None else queryset.pending()
    queryset = queryset.filter(open_plans_q("task__plan"))
    if is_mayors_office(user):
        return queryset
    subtree = headed_subtree_ids(user)
    if not subtree:
        return queryset.none()
    return queryset.filter(awaiting="bureau_head", task__bureau_id__in=subtree)


# --- figures -----------------------------------------------------------------


def can_verify_figures(user, plan: WorkPlan | None = None) -> bool:
    """The mayor's office verifies the bureaus' figures, which publishes them; given the
    figures' plan, not once it is closed."""
    return is_mayors_office(user) and (plan is None or accepts_changes(plan))


def figures_to_verify(user) -> QuerySet[Measurement]:
    """The provisional figures this user may verify: every open plan's, for the mayor's
    office (a closed plan's stay as they were recorded)."""
    if not can_verify_figures(user):
        return Measurement.objects.none()
    return Measurement.objects.to_verify().filter(open_plans_q("indicator__plan"))


# --- the API, open data and the Excel round trip -------------------------------------


def can_use_api(user) -> bool:
    """The JSON API is for the city's own people, each through a personal token; what a
    call may read or change is then asked here like on the pages."""
    return _is_city_user(user)


def can_update_in_bulk(user) -> bool:
    """The Excel round trip is for bureau heads (their bureaus' tasks) and the mayor's
    office (every bureau's)."""
    return is_mayors_office(user) or is_bureau_head(user)


def bulk_editable_tasks(user, queryset: QuerySet[KeyTask] | None = None) -> QuerySet[KeyTask]:
    """The key tasks a person may update through the Excel round trip."""
    queryset = KeyTask.objects.all() if queryset is None else queryset
    if is_mayors_office(user):
        return queryset.filter(open_plans_q())
    if is_bureau_head(user):
        return editable_tasks(user, queryset)
    return queryset.none()
