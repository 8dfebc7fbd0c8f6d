"""Submission-deadline reminders: the head of every bureau that has not submitted next
year's plan is reminded ``REMINDER_SUBMISSION_LEAD_DAYS`` days before the deadline (or
the business day before), once. Registered with the reminders app from
``PlanningConfig.ready``, so it shares the one reminder log and outbox (which sends each
log row once) without the reminders knowing about plans in preparation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from plans.links import absolute_reverse
from plans.models import WorkPlan
from reminders.calendar import MAX_SHIFT_DAYS, business_day_on_or_before, moved
from reminders.models import ReminderLog
from reminders.policy import Due, Policy
from reminders.recipients import Organisation, can_receive
from reminders.subjects import SubjectType, register

from .models import Preparation, Submission

PREPARATION = "preparation"
SUBMISSION_DUE = "submission_due"
# What still has to reach the mayor's office: not started, drafting or returned.
NOT_IN = (Submission.State.SUBMITTED, Submission.State.ACCEPTED)


def lead_days() -> int:
    return settings.REMINDER_SUBMISSION_LEAD_DAYS


def send_day(deadline: dt.date, today: dt.date, lead: int) -> tuple[dt.date, str] | None:
    """(the day the reminder goes out, why) once it is due by ``today``; None before,
    and on or after the deadline."""
    if today >= deadline:
        return None
    nominal = deadline - dt.timedelta(days=lead)
    send_on = business_day_on_or_before(nominal)
    if send_on > today:
        return None
    return send_on, f"{lead} day(s) before the submission deadline{moved(nominal, send_on)}"


def _collect(today: dt.date, policy: Policy, org: Organisation) -> Iterable[Due]:
    lead = lead_days()
    preparations = Preparation.objects.filter(
        plan__stage=WorkPlan.Stage.PREPARATION,
        deadline__gt=today,
        deadline__lte=today + dt.timedelta(days=lead + MAX_SHIFT_DAYS),
    )
    for preparation in preparations:
        step = send_day(preparation.deadline, today, lead)
        if step is None:
            continue
        send_on, why = step
        done = set(
            Submission.objects.filter(plan_id=preparation.plan_id, state__in=NOT_IN).values_list(
                "bureau_id", flat=True
            )
        )
        heads = {
            bureau.head_id
            for bureau in org.bureaus.values()
            if bureau.head_id and can_receive(bureau.head) and bureau.pk not in done
        }
        for head in sorted(heads):
            yield Due(
                PREPARATION,
                preparation.pk,
                preparation.deadline,
                SUBMISSION_DUE,
                head,
                send_on,
                f"head of a bureau that has not submitted: {why}",
            )


def _load(ids: Collection[int], today: dt.date) -> dict[int, Preparation]:
    return {p.pk: p for p in Preparation.objects.filter(pk__in=ids).select_related("plan")}


def _still_due(preparation: Preparation, row: ReminderLog, today: dt.date) -> bool:
    return (
        preparation.plan.is_in_preparation
        and preparation.deadline == row.deadline
        and today < row.deadline
    )


def _email(preparation: Preparation, row: ReminderLog, today: dt.date):
    bureaus = [
        bureau
        for bureau in row.recipient.headed_bureaus.all()
        if not Submission.objects.filter(
            plan_id=preparation.plan_id, bureau=bureau, state__in=NOT_IN
        ).exists()
    ]
    return "submission_due", {
        "plan": preparation.plan,
        "deadline": row.deadline,
        "days_left": (row.deadline - today).days,
        "bureaus": [
            {
                "bureau": bureau,
                "url": absolute_reverse("planning:submission", preparation.plan.year, bureau.code),
            }
            for bureau in bureaus
        ],
    }


SUBMISSION_DEADLINE = SubjectType(
    PREPARATION,
    _collect,
    _load,
    _still_due,
    _email,
    kinds={SUBMISSION_DUE: _("next year's plan: submission deadline")},
)


def register_subject() -> None:
    register(SUBMISSION_DEADLINE)
