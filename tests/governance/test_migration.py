"""The deadline migration adopts every task's and milestone's current due date, and
loses no row (plans/migrations/0010_governance_deadlines.py)."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("plans", "0009_history_creation_origin")]
AFTER = [("plans", "0010_governance_deadlines")]


@pytest.mark.django_db(transaction=True)
def test_every_task_and_milestone_adopts_its_current_due_date():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        apps = executor.loader.project_state(BEFORE).apps
        plan = apps.get_model("plans", "WorkPlan").objects.create(year=1999, core_goal_ko="목표")
        sector = apps.get_model("plans", "Sector").objects.create(
            plan=plan, number=1, name_ko="경제"
        )
        bureau = apps.get_model("plans", "Bureau").objects.create(
            code="migration-test", kind="bureau", name_ko="경제실", path="/1/"
        )
        KeyTask = apps.get_model("plans", "KeyTask")
        for n in range(3):
            task = KeyTask.objects.create(
                sector=sector,
                bureau=bureau,
                code=f"M-0{n}",
                title_ko="과제",
                start_date=dt.date(2024, 1, 1),
                due_date=dt.date(2024, 6 + n, 30),
            )
            apps.get_model("plans", "Milestone").objects.create(
                task=task, title_ko="단계", due_date=dt.date(2024, 3, n + 1)
            )

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        apps = executor.loader.project_state(AFTER).apps
        tasks = apps.get_model("plans", "KeyTask").objects.filter(code__startswith="M-0")
        tasks = tasks.order_by("code")
        assert [(t.baseline_due_date, t.deadline_moves) for t in tasks] == [
            (dt.date(2024, 6, 30), 0),
            (dt.date(2024, 7, 30), 0),
            (dt.date(2024, 8, 30), 0),
        ]
        milestones = apps.get_model("plans", "Milestone").objects.filter(task__in=tasks)
        assert all(m.baseline_due_date == m.due_date for m in milestones)
        assert milestones.count() == 3
    finally:
        MigrationExecutor(connection).migrate(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )
