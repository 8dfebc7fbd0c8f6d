"""The reminder policy: who is reminded of what, and on which day.

Plain functions of (task or milestone, today, policy) → the reminders due, so the rules
can be tested at their edges without a worker or a mail server. ``due_reminders(today)``
applies them to the whole plan in a fixed number of queries; ``plans.delivery`` records
what is due in the reminder log and sends it once.

Apps built on top of plans (report sessions) add their own subjects with ``register``,
so the one log and the one sending service serve them without plans importing them.

The calendar rules:
- a reminder ahead of a deadline that would fall on a weekend or a Korean public
  holiday (lunar holidays and substitute days included) goes out on the business day
  before, and a sweep that missed a day catches up with the latest reminder due — never
  several at once;
- escalations promise the owner a grace period, so one that would fall on a day off
  goes out on the next business day instead, never early;
- done and dropped tasks, done milestones and inactive people get nothing; the deadline
  is part of each reminder's identity, so a moved deadline re-arms the reminders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

import holidays
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from .models import Bureau, KeyTask, Milestone, ReminderLog

Kind = ReminderLog.Kind
ONE_DAY = dt.timedelta(days=1)
# Korea's longest run of days off (Seollal or Chuseok next to a weekend and a substitute
# day) is under ten days; this bounds how far a reminder can move, for the DB filters.
MAX_SHIFT_DAYS = 14


# --- the calendar ------------------------------------------------------------------


@lru_cache(maxsize=32)
def _korean_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("KR", years=year))


def is_business_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _korean_holidays(day.year)


def business_day_on_or_before(day: dt.date) -> dt.date:
    while not is_business_day(day):
        day -= ONE_DAY
    return day


def business_day_on_or_after(day: dt.date) -> dt.date:
    while not is_business_day(day):
        day += ONE_DAY
    return day


def today_in_seoul(now: dt.datetime | None = None) -> dt.date:
    """The calendar day in Busan: 00:30 KST is already tomorrow in UTC terms' eyes."""
    return timezone.localtime(now or timezone.now(), timezone.get_default_timezone()).date()


# --- the policy --------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    offsets: tuple[int, ...] = (7, 3, 1, 0)
    escalate_to_head_days: int = 3
    escalate_to_mayors_office_days: int = 10
    digest_weekday: int = 0
    session_lead_days: int = 5

    @classmethod
    def from_settings(cls) -> Policy:
        return cls(
            offsets=tuple(sorted(set(settings.REMINDER_OFFSETS_DAYS))),
            escalate_to_head_days=settings.REMINDER_ESCALATE_TO_HEAD_DAYS,
            escalate_to_mayors_office_days=settings.REMINDER_ESCALATE_TO_MAYORS_OFFICE_DAYS,
            digest_weekday=settings.REMINDER_DIGEST_WEEKDAY,
            session_lead_days=settings.REMINDER_SESSION_LEAD_DAYS,
        )

    @property
    def horizon_days(self) -> int:
        """How far ahead of today a deadline can be and still have a reminder due."""
        return max((*self.offsets, self.session_lead_days)) + MAX_SHIFT_DAYS


@dataclass(frozen=True)
class Due:
    """A reminder the policy says is due: the key of its log row, and why."""

    subject_type: str
    subject_id: int
    deadline: dt.date
    kind: str
    recipient_id: int
    send_on: dt.date
    reason: str = field(compare=False)

    @property
    def key(self) -> tuple:
        return (self.subject_type, self.subject_id, self.deadline, self.kind, self.recipient_id)


def kind_for_offset(days: int) -> str:
    return Kind.DUE_TODAY if days == 0 else f"before_{days}"


def _moved(nominal: dt.date, actual: dt.date) -> str:
    if nominal == actual:
        return ""
    return f" ({nominal:%a %Y-%m-%d} is a day off: moved to {actual:%a %Y-%m-%d})"


@lru_cache(maxsize=4096)  # thousands of tasks share a handful of deadlines
def pre_deadline_step(
    deadline: dt.date, today: dt.date, policy: Policy
) -> tuple[str, dt.date, str] | None:
    """The latest reminder ahead of ``deadline`` due by ``today``: (kind, send_on, why).

    Smallest offset first: when two offsets land on the same business day (a Monday
    deadline's D-1 and D-3 are both Friday), or a sweep catches up after missing days,
    only the most recent reminder goes out.
    """
    if today > deadline:
        return None
    for days in policy.offsets:
        nominal = deadline - dt.timedelta(days=days)
        send_on = business_day_on_or_before(nominal)
        if send_on <= today:
            label = "on the due date" if days == 0 else f"{days} day(s) before the due date"
            why = f"{label} {deadline:%Y-%m-%d}{_moved(nominal, send_on)}"
            return kind_for_offset(days), send_on, why
    return None


@lru_cache(maxsize=4096)
def escalation_steps(
    deadline: dt.date, today: dt.date, policy: Policy
) -> tuple[tuple[str, dt.date, str], ...]:
    """The escalations due by ``today`` for a deadline that passed: head, then mayor's office."""
    steps = []
    for kind, days in (
        (Kind.ESCALATION_HEAD, policy.escalate_to_head_days),
        (Kind.ESCALATION_MAYORS_OFFICE, policy.escalate_to_mayors_office_days),
    ):
        nominal = deadline + dt.timedelta(days=days)
        send_on = business_day_on_or_after(nominal)
        if send_on <= today:
            why = f"{days} day(s) overdue since {deadline:%Y-%m-%d}{_moved(nominal, send_on)}"
            steps.append((kind, send_on, why))
    return tuple(steps)


def digest_step(today: dt.date, policy: Policy) -> tuple[dt.date, dt.date] | None:
    """(the digest's nominal weekday, the day it goes out) for the digest due by today.

    Next week's digest comes first: when its weekday is a holiday it moves back into
    this week.
    """
    this_week = today - dt.timedelta(days=(today.weekday() - policy.digest_weekday) % 7)
    for nominal in (this_week + dt.timedelta(days=7), this_week):
        send_on = business_day_on_or_before(nominal)
        if send_on <= today:
            return nominal, send_on
    return None  # pragma: no cover - this_week is never after today


def session_prep_step(
    session_day: dt.date, today: dt.date, policy: Policy
) -> tuple[dt.date, str] | None:
    if today >= session_day:
        return None
    nominal = session_day - dt.timedelta(days=policy.session_lead_days)
    send_on = business_day_on_or_before(nominal)
    if send_on > today:
        return None
    why = (
        f"{policy.session_lead_days} day(s) before the report session of "
        f"{session_day:%Y-%m-%d}{_moved(nominal, send_on)}"
    )
    return send_on, why


# --- who receives them -------------------------------------------------------------


class Person(NamedTuple):
    """The little the policy needs to know of a user."""

    pk: int
    is_active: bool
    email: str


class TaskFacts(NamedTuple):
    """The fields of a key task the policy reads (a ``KeyTask`` works as well)."""

    pk: int
    due_date: dt.date
    status: str
    bureau_id: int
    owner: Person | None


def can_receive(user) -> bool:
    return bool(user is not None and user.is_active and user.email)


class Organisation:
    """The bureau tree's heads and the mayor's office, loaded once per sweep."""

    def __init__(self, bureaus: dict[int, Bureau], mayors_office: list):
        self.bureaus = bureaus
        self.mayors_office = [user for user in mayors_office if can_receive(user)]

    @classmethod
    def load(cls) -> Organisation:
        bureaus = Bureau.objects.select_related("head__profile__bureau")
        mayors_office = (
            get_user_model()
            .objects.filter(is_active=True, profile__is_mayors_office=True)
            .exclude(email="")
            .select_related("profile")
            .order_by("id")
        )
        return cls({b.pk: b for b in bureaus}, list(mayors_office))

    def head_for(self, bureau_id: int | None):
        """The nearest active head at or above the bureau: a vacant or inactive head's
        reminders go one level up rather than nowhere."""
        seen = set()
        while bureau_id is not None and bureau_id not in seen:
            seen.add(bureau_id)
            bureau = self.bureaus.get(bureau_id)
            if bureau is None:
                return None
            if can_receive(bureau.head):
                return bureau.head
            bureau_id = bureau.parent_id
        return None


def task_owner_or_head(task: KeyTask, org: Organisation) -> tuple[Any, str]:
    if can_receive(task.owner):
        return task.owner, "owner"
    head = org.head_for(task.bureau_id)
    return head, "bureau head (the task has no active owner)"


def task_reminders(
    task: KeyTask,
    today: dt.date,
    policy: Policy,
    org: Organisation,
    acknowledged: Collection[tuple] = (),
) -> list[Due]:
    """What is due today for one key task: a reminder ahead of its deadline, or the
    escalations once it is overdue (until someone acknowledges them)."""
    if task.status in KeyTask.CLOSED_STATUSES:
        return []
    due = []
    step = pre_deadline_step(task.due_date, today, policy)
    if step:
        recipient, role = task_owner_or_head(task, org)
        if recipient is not None:
            kind, send_on, why = step
            due.append(
                Due("task", task.pk, task.due_date, kind, recipient.pk, send_on, f"{role}: {why}")
            )
    if task.due_date < today and ("task", task.pk, task.due_date) not in acknowledged:
        for kind, send_on, why in escalation_steps(task.due_date, today, policy):
            if kind == Kind.ESCALATION_HEAD:
                head = org.head_for(task.bureau_id)
                recipients = [head] if head is not None else org.mayors_office
            else:
                recipients = org.mayors_office
            for recipient in recipients:
                due.append(Due("task", task.pk, task.due_date, kind, recipient.pk, send_on, why))
    return due


def milestone_reminders(
    milestone: Milestone, today: dt.date, policy: Policy, org: Organisation
) -> list[Due]:
    if milestone.done_on is not None or milestone.task.status in KeyTask.CLOSED_STATUSES:
        return []
    step = pre_deadline_step(milestone.due_date, today, policy)
    if not step:
        return []
    recipient, role = task_owner_or_head(milestone.task, org)
    if recipient is None:
        return []
    kind, send_on, why = step
    return [
        Due(
            "milestone",
            milestone.pk,
            milestone.due_date,
            kind,
            recipient.pk,
            send_on,
            f"{role}: milestone {why}",
        )
    ]


def digest_reminders(today: dt.date, policy: Policy, org: Organisation) -> list[Due]:
    nominal, send_on = digest_step(today, policy)
    return [
        Due(
            "digest",
            0,
            nominal,
            Kind.WEEKLY_DIGEST,
            user.pk,
            send_on,
            f"mayor's office: weekly digest for {nominal:%Y-%m-%d}{_moved(nominal, send_on)}",
        )
        for user in org.mayors_office
    ]


# --- subjects: what a reminder is about --------------------------------------------


@dataclass
class SubjectType:
    """How the sweep finds due reminders of one subject type, and how delivery turns a
    log row back into an email.

    - ``collect(today, policy, org)`` → the ``Due`` reminders, in a fixed number of queries;
    - ``load(ids, today)`` → {id: object}, in a fixed number of queries;
    - ``still_due(obj, row, today)`` → False when the row went stale (done, moved);
    - ``email(obj, row, today)`` → (template name, context) for the recipient.
    """

    name: str
    collect: Callable[[dt.date, Policy, Organisation], Iterable[Due]]
    load: Callable[[Collection[int], dt.date], dict[int, Any]]
    still_due: Callable[[Any, ReminderLog, dt.date], bool]
    email: Callable[[Any, ReminderLog, dt.date], tuple[str, dict]]


SUBJECT_TYPES: dict[str, SubjectType] = {}


def register(subject_type: SubjectType) -> None:
    SUBJECT_TYPES[subject_type.name] = subject_type


def due_reminders(today: dt.date, policy: Policy | None = None) -> list[Due]:
    """Every reminder due today across the plan, de-duplicated, in a fixed number of
    queries however many tasks are due."""
    policy = policy or Policy.from_settings()
    org = Organisation.load()
    found: dict[tuple, Due] = {}
    for subject_type in SUBJECT_TYPES.values():
        for due in subject_type.collect(today, policy, org):
            found.setdefault(due.key, due)
    return list(found.values())


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def person(user) -> dict:
    """Who to contact, as the email shows them."""
    if user is None:
        return {}
    profile = getattr(user, "profile", None)
    bureau = getattr(profile, "bureau", None) if profile else None
    return {
        "name": user.get_full_name() or user.username,
        "email": user.email,
        "phone": getattr(profile, "phone", "") if profile else "",
        # The bureau itself, not its name: the template renders it in the recipient's language.
        "bureau": bureau or "",
    }


_USER_WITH_PROFILE = ("profile__bureau",)


def _collect_tasks(today: dt.date, policy: Policy, org: Organisation) -> Iterable[Due]:
    acknowledged = set(
        ReminderLog.objects.filter(
            subject_type="task", kind__in=ReminderLog.ESCALATIONS, acknowledged_at__isnull=False
        ).values_list("subject_type", "subject_id", "deadline")
    )
    # Upcoming deadlines within the reminder horizon, and every overdue open task (an
    # escalation is due however long ago the deadline passed, until acknowledged).
    # Plain tuples, not model instances: the sweep reads thousands of rows.
    rows = (
        KeyTask.objects.exclude(status__in=KeyTask.CLOSED_STATUSES)
        .filter(due_date__lte=today + dt.timedelta(days=policy.horizon_days))
        .values_list(
            "id", "due_date", "status", "bureau_id", "owner_id", "owner__is_active", "owner__email"
        )
        .order_by()
    )
    for pk, due_date, status, bureau_id, owner_id, active, email in rows.iterator(2000):
        owner = Person(owner_id, active, email) if owner_id else None
        task = TaskFacts(pk, due_date, status, bureau_id, owner)
        yield from task_reminders(task, today, policy, org, acknowledged)


def _collect_milestones(today: dt.date, policy: Policy, org: Organisation) -> Iterable[Due]:
    milestones = (
        Milestone.objects.filter(
            done_on__isnull=True,
            due_date__gte=today,
            due_date__lte=today + dt.timedelta(days=policy.horizon_days),
        )
        .exclude(task__status__in=KeyTask.CLOSED_STATUSES)
        .select_related("task__owner")
        .only(
            "id",
            "due_date",
            "done_on",
            "task__id",
            "task__status",
            "task__bureau_id",
            "task__owner__id",
            "task__owner__email",
            "task__owner__is_active",
        )
        .order_by()
    )
    for milestone in milestones.iterator(chunk_size=2000):
        yield from milestone_reminders(milestone, today, policy, org)


def _load_tasks(ids: Collection[int], today: dt.date) -> dict[int, KeyTask]:
    tasks = {
        task.pk: task
        for task in KeyTask.objects.filter(pk__in=ids).select_related(
            "sector", "bureau__head__profile__bureau", "owner__profile__bureau"
        )
    }
    acknowledged = set(
        ReminderLog.objects.filter(
            subject_type="task",
            subject_id__in=ids,
            kind__in=ReminderLog.ESCALATIONS,
            acknowledged_at__isnull=False,
        ).values_list("subject_id", "deadline")
    )
    org = Organisation.load()
    for task in tasks.values():
        task.acknowledged_deadlines = {d for pk, d in acknowledged if pk == task.pk}
        task.nearest_head = org.head_for(task.bureau_id)
    return tasks


def _too_late(row: ReminderLog, today: dt.date) -> bool:
    """A reminder ahead of a deadline that only gets through (after retries) once the
    deadline has passed would be wrong; the escalations take over from there."""
    return not row.is_escalation and today > row.deadline


def _task_still_due(task: KeyTask, row: ReminderLog, today: dt.date) -> bool:
    if task.status in KeyTask.CLOSED_STATUSES or task.due_date != row.deadline:
        return False
    if _too_late(row, today):
        return False
    # An escalation stops once someone acknowledged it, even after this row was written.
    return not (row.is_escalation and row.deadline in task.acknowledged_deadlines)


def _task_email(task: KeyTask, row: ReminderLog, today: dt.date) -> tuple[str, dict]:
    from .delivery import acknowledgement_url

    context = {
        "task": task,
        "deadline": row.deadline,
        "days_left": (row.deadline - today).days,
        "days_overdue": (today - row.deadline).days,
        "task_url": absolute_url(reverse("plans:task_detail", args=[task.pk])),
    }
    if row.is_escalation:
        context["owner"] = person(task.owner)
        context["head"] = person(task.nearest_head)
        context["to_mayors_office"] = row.kind == Kind.ESCALATION_MAYORS_OFFICE
        context["acknowledge_url"] = acknowledgement_url(row)
        return "escalation", context
    # The owner's first contact is the head of their bureau, or of the one above it.
    context["contact"] = person(task.nearest_head)
    return "reminder", context


def _load_milestones(ids: Collection[int], today: dt.date) -> dict[int, Milestone]:
    milestones = Milestone.objects.filter(pk__in=ids).select_related(
        "task__sector", "task__bureau", "task__owner"
    )
    org = Organisation.load()
    for milestone in milestones:
        milestone.task.nearest_head = org.head_for(milestone.task.bureau_id)
    return {m.pk: m for m in milestones}


def _milestone_still_due(milestone: Milestone, row: ReminderLog, today: dt.date) -> bool:
    return (
        milestone.done_on is None
        and not _too_late(row, today)
        and milestone.due_date == row.deadline
        and milestone.task.status not in KeyTask.CLOSED_STATUSES
    )


def _milestone_email(milestone: Milestone, row: ReminderLog, today: dt.date):
    task = milestone.task
    return "reminder", {
        "task": task,
        "milestone": milestone,
        "deadline": row.deadline,
        "days_left": (row.deadline - today).days,
        "task_url": absolute_url(reverse("plans:task_detail", args=[task.pk])),
        "contact": person(task.nearest_head),
    }


def _load_digest(ids: Collection[int], today: dt.date) -> dict[int, Any]:
    from .selectors import weekly_digest

    return {0: weekly_digest(today)}


def _digest_email(digest, row: ReminderLog, today: dt.date):
    return "digest", {"digest": digest, "week_of": row.deadline, "site_url": settings.SITE_URL}


register(SubjectType("task", _collect_tasks, _load_tasks, _task_still_due, _task_email))
register(
    SubjectType(
        "milestone",
        _collect_milestones,
        _load_milestones,
        _milestone_still_due,
        _milestone_email,
    )
)
register(
    SubjectType(
        "digest",
        lambda today, policy, org: digest_reminders(today, policy, org),
        _load_digest,
        # A digest that could not go out all week is replaced by next week's.
        lambda digest, row, today: today < row.deadline + dt.timedelta(days=7),
        _digest_email,
    )
)
