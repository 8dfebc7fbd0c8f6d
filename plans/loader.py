"""Loads a work plan from a JSON data file (see plans/data/busan_2024.json).

Loading is idempotent and never overwrites what is already there: the run command
loads the demo plan at every start, and the key tasks' live status must survive it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from . import services
from .models import (
    AdministrationGoal,
    Bureau,
    Indicator,
    KeyTask,
    Measurement,
    Milestone,
    Profile,
    Sector,
    StatusUpdate,
    WorkPlan,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
BUSAN_2024 = DATA_DIR / "busan_2024.json"

PRIORITIES = {
    "high": KeyTask.Priority.HIGH,
    "medium": KeyTask.Priority.MEDIUM,
    "low": KeyTask.Priority.LOW,
}


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    demo_accounts: list[dict[str, str]] = field(default_factory=list)

    def count(self, kind: str, created: bool) -> None:
        self.created[kind] = self.created.get(kind, 0) + int(created)


def read_plan_data(path: Path = BUSAN_2024) -> dict[str, Any]:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _localized(item: dict[str, Any], *names: str) -> dict[str, str]:
    return {
        f"{name}_{lang}": item.get(f"{name}_{lang}", "") or ""
        for name in names
        for lang in ("ko", "en")
    }


@transaction.atomic
def load_work_plan(
    data: dict[str, Any], *, demo_passwords: dict[str, str] | None = None
) -> tuple[WorkPlan, LoadReport]:
    """Load the plan. With ``demo_passwords`` (username → password) the demo people
    get accounts too, before the key tasks so that tasks get their owners."""
    report = LoadReport()
    plan_data = data["plan"]
    plan, created = WorkPlan.objects.get_or_create(
        year=plan_data["year"],
        defaults={
            # A plan loaded from the city's documents is one being tracked, unless the
            # data says otherwise; closing a year is a decision made in the product.
            "stage": plan_data.get("stage", WorkPlan.Stage.ADOPTED),
            **_localized(plan_data, "administration", "core_goal", "vision", "slogan"),
        },
    )
    report.count("plans", created)

    for goal in data.get("goals", []):
        _, created = AdministrationGoal.objects.get_or_create(
            plan=plan, order=goal["order"], defaults=_localized(goal, "text")
        )
        report.count("goals", created)

    sectors = {}
    for item in data["sectors"]:
        sectors[item["number"]], created = Sector.objects.get_or_create(
            plan=plan,
            number=item["number"],
            defaults=_localized(item, "name", "theme", "focus"),
        )
        report.count("sectors", created)

    bureaus = {}
    for item in data["bureaus"]:
        parent = bureaus[item["parent"]] if item.get("parent") else None
        bureau = Bureau.objects.filter(code=item["code"]).first()
        report.count("bureaus", bureau is None)
        if bureau is None:
            bureau = Bureau(
                code=item["code"], kind=item["kind"], parent=parent, **_localized(item, "name")
            )
            bureau.full_clean()
            bureau.save()
        bureaus[item["code"]] = bureau

    if demo_passwords is not None:
        report.demo_accounts = _create_demo_accounts(data, bureaus, demo_passwords)
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=[p["username"] for p in data.get("people", [])]
        )
    }

    tasks = {}
    for item in data["key_tasks"]:
        task = KeyTask.objects.filter(plan=plan, code=item["code"]).first()
        created = task is None
        if created:
            task = services.create_key_task(
                by=None,
                origin=StatusUpdate.Origin.PLAN_DATA,
                note=item.get("assumed_note", ""),
                code=item["code"],
                sector=sectors[item["sector"]],
                bureau=bureaus[item["bureau"]],
                owner=users.get(item.get("owner") or ""),
                priority=PRIORITIES[item.get("priority", "medium")],
                start_date=_date(item["start_date"]),
                due_date=_date(item["due_date"]),
                status=item["status"],
                progress=item["progress"],
                completed_on=_date(item.get("completed_on")),
                is_public=item.get("public", False),
                **_localized(item, "title", "description", "pillar"),
            )
        report.count("key_tasks", created)
        tasks[item["code"]] = task
        for order, milestone in enumerate(item.get("milestones", []), start=1):
            _, created = Milestone.objects.get_or_create(
                task=task,
                order=order,
                defaults={
                    "due_date": _date(milestone["due_date"]),
                    "done_on": _date(milestone.get("done_on")),
                    **_localized(milestone, "title"),
                },
            )
            report.count("milestones", created)

    for item in data.get("indicators", []):
        indicator, created = Indicator.objects.get_or_create(
            plan=plan,
            code=item["code"],
            defaults={
                "sector": sectors[item["sector"]],
                "task": tasks.get(item.get("task") or ""),
                "baseline": Decimal(item.get("baseline") or "0"),
                "target": Decimal(item["target"]),
                "target_date": _date(item["target_date"]),
                "direction": item.get("direction", Indicator.Direction.INCREASE),
                "is_public": item.get("public", False),
                **_localized(item, "name", "unit", "definition", "source"),
            },
        )
        report.count("indicators", created)
        for actual in item.get("actuals", []):
            _, created = Measurement.objects.get_or_create(
                indicator=indicator,
                as_of=_date(actual["as_of"]),
                defaults={
                    "value": Decimal(actual["value"]),
                    "state": actual.get("state", Measurement.State.PROVISIONAL),
                    "is_assumed": actual.get("assumed", False),
                    "note": actual.get("note_en", "") or actual.get("note", ""),
                },
            )
            report.count("measurements", created)
    return plan, report


def _create_demo_accounts(
    data: dict[str, Any], bureaus: dict[str, Bureau], passwords: dict[str, str]
) -> list[dict[str, str]]:
    """Demo sign-ins for each role; existing accounts keep their passwords.
    Returns one row per account for printing."""
    User = get_user_model()
    rows = []
    for person in data.get("people", []):
        user = User.objects.filter(username=person["username"]).first()
        if user is None:
            user = User(
                username=person["username"],
                email=person.get("email", ""),
                first_name=person.get("name_en", "") if person.get("language") == "en" else "",
                last_name=person.get("name_ko", "") if person.get("language") != "en" else "",
            )
            user.set_password(passwords[person["username"]])
            user.save()
        elif not user.check_password(passwords[person["username"]]):
            user.set_password(passwords[person["username"]])
            user.save(update_fields=["password"])
        bureau = bureaus.get(person.get("bureau") or "")
        Profile.objects.get_or_create(
            user=user,
            defaults={
                "bureau": bureau,
                "is_mayors_office": person["role"] == "mayors_office",
                "language": person.get("language", "ko"),
            },
        )
        if person["role"] == "bureau_head" and bureau is not None and bureau.head_id is None:
            bureau.head = user
            bureau.save(update_fields=["head"])
        rows.append(
            {
                "username": user.username,
                "password": passwords[person["username"]],
                "role": person["role"],
                "bureau": bureau.name_ko if bureau else "",
            }
        )
    return rows


# --- a later year for the demo ------------------------------------------------------
#
# The city's documents describe 2024. To show the year on any date, the demo derives the
# plan tracked this year from them: the same sectors, bureaus and key tasks, dated in
# that year, with progress where it would stand today. Everything derived is marked as
# assumed (the tasks' creation note, the figures' flag, the sessions' assumed fields).

ASSUMED_NOTE = (
    "데모용 가정 데이터: 2024년 업무계획을 바탕으로 만든 예시입니다. "
    "(Assumed for the demo: illustrative, derived from the 2024 plan.)"
)


def _in_year(value: str | None, year: int) -> str | None:
    """The same day of the month in ``year`` (28 February for the 29th)."""
    if not value:
        return value
    day = date.fromisoformat(value[:10])
    try:
        moved = day.replace(year=year)
    except ValueError:
        moved = day.replace(year=year, day=28)
    return moved.isoformat() + value[10:]


def _progress_today(start: date, due: date, today: date) -> int:
    span = max((due - start).days, 1)
    return max(0, min(100, round(100 * (today - start).days / span)))


def derive_year(data: dict[str, Any], year: int, today: date) -> dict[str, Any]:
    """The plan data of ``data`` moved into ``year`` as it would stand on ``today``:
    tasks due by today done (one in seven delayed), the rest at their even pace (one in
    five behind it, reported at risk), milestones done when past, quarterly figures up
    to today on the way to the target. Codes stay; every value is marked assumed."""
    derived = json.loads(json.dumps(data))
    derived["plan"]["year"] = year
    derived["plan"]["stage"] = WorkPlan.Stage.ADOPTED
    for n, task in enumerate(derived["key_tasks"]):
        # A year's plan runs within its year: each task on the same days of the month,
        # one that would end before it starts (a multi-year project) by the year's end.
        start = date.fromisoformat(_in_year(task["start_date"], year))
        due = date.fromisoformat(_in_year(task["due_date"], year))
        if due < start:
            due = date(year, 12, 31)
        task["start_date"], task["due_date"] = start.isoformat(), due.isoformat()
        task["assumed_note"] = ASSUMED_NOTE
        task["completed_on"] = None
        for milestone in task.get("milestones", []):
            milestone["due_date"] = min(_in_year(milestone["due_date"], year), task["due_date"])
            milestone["done_on"] = None
        if task["status"] == KeyTask.Status.DROPPED:
            continue
        if start > today:
            task.update(status=KeyTask.Status.NOT_STARTED, progress=0)
        elif due < today and n % 7:
            task.update(status=KeyTask.Status.DONE, progress=100, completed_on=task["due_date"])
        else:
            pace = _progress_today(start, due, today)
            behind = n % 5 == 0 or due < today
            progress = max(0, min(99, pace - (25 if behind else 0)))
            status = (
                KeyTask.Status.DELAYED
                if due < today
                else KeyTask.Status.AT_RISK
                if behind
                else KeyTask.Status.ON_TRACK
            )
            task.update(status=status, progress=progress or 1)
        for milestone in task.get("milestones", []):
            day = date.fromisoformat(milestone["due_date"])
            if day < today and task["status"] != KeyTask.Status.DELAYED:
                milestone["done_on"] = milestone["due_date"]
    for indicator in derived.get("indicators", []):
        indicator["target_date"] = date(year, 12, 31).isoformat()
        start = date(year, 1, 1)
        baseline, target = Decimal(indicator.get("baseline") or "0"), Decimal(indicator["target"])
        actuals = []
        for month in (3, 6, 9, 12):
            as_of = date(year, month, 30 if month in (6, 9) else 31)
            if as_of > today:
                break
            share = Decimal(_progress_today(start, date(year, 12, 31), as_of)) / 100
            value = (baseline + (target - baseline) * share).quantize(Decimal("1"))
            actuals.append(
                {
                    "as_of": as_of.isoformat(),
                    "value": str(value),
                    "state": "verified",
                    "assumed": True,
                    "note_en": "Illustrative figure (assumed) for the demo.",
                }
            )
        indicator["actuals"] = actuals
    for session in derived.get("sessions", []):
        session["starts_at"] = _in_year(session["starts_at"], year)
        session["ends_at"] = _in_year(session["ends_at"], year)
        session["assumed"] = sorted({*session.get("assumed", []), "starts_at"})
        session["assumption_note_en"] = (
            f"Illustrative {year} session for the demo: the 2024 session moved to {year}."
        )
        session["assumption_note_ko"] = (
            f"데모용 {year}년 보고회: 2024년 보고회를 옮긴 가정값입니다."
        )
    return derived
