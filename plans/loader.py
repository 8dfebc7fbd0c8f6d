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
        defaults=_localized(plan_data, "administration", "core_goal", "vision", "slogan"),
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
        task = KeyTask.objects.filter(code=item["code"]).first()
        created = task is None
        if created:
            task = services.create_key_task(
                by=None,
                origin=StatusUpdate.Origin.PLAN_DATA,
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
            code=item["code"],
            defaults={
                "plan": plan,
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
