"""Fill the benchmark database: 20,000 key tasks and 200,000 history rows, fast.

Run by bench/run.py as ``python -m bench.fill`` with DATABASE_URL pointing at the
benchmark's own database (never the product's). Rows go in with PostgreSQL COPY or
large bulk_create batches; the whole fill takes seconds, not minutes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from zoneinfo import ZoneInfo

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "busan_tracker.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from meetings.models import AgendaItem, Directive, ReportSession  # noqa: E402
from planning.models import DraftTask, Preparation, Submission  # noqa: E402
from plans.models import (  # noqa: E402
    Bureau,
    Indicator,
    KeyTask,
    Profile,
    Sector,
    StatusUpdate,
    WorkPlan,
)

HEADQUARTERS = 40
DEPARTMENTS_PER_HQ = 9
HISTORY_PER_TASK = 10
PASSWORD = "bench-password"
STATUSES = ["on_track"] * 6 + ["at_risk", "delayed", "not_started", "done"]


def copy_rows(table: str, columns: list[str], rows) -> None:
    with connection.cursor() as cursor:
        quoted = ", ".join(f'"{column}"' for column in columns)
        sql = f"COPY {table} ({quoted}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)


def fill(tasks: int) -> dict:
    started = time.monotonic()
    today = timezone.localdate()
    now = timezone.now()
    plan = WorkPlan.objects.create(
        year=2024,
        stage=WorkPlan.Stage.ADOPTED,
        core_goal_ko="글로벌 허브도시",
        core_goal_en="Global hub",
    )
    sectors = [
        Sector.objects.create(plan=plan, number=n, name_ko=f"{n}분야", name_en=f"Sector {n}")
        for n in range(1, 6)
    ]
    bureaus: list[Bureau] = []
    heads: list[Bureau] = []
    for h in range(HEADQUARTERS):
        hq = Bureau(code=f"hq-{h}", kind="headquarters", name_ko=f"본부{h}", name_en=f"HQ {h}")
        hq.save()
        heads.append(hq)
        bureaus.append(hq)
        for d in range(DEPARTMENTS_PER_HQ):
            department = Bureau(
                code=f"hq-{h}-{d}",
                kind="department",
                name_ko=f"본부{h} 과{d}",
                name_en=f"HQ {h} department {d}",
                parent=hq,
            )
            department.save()
            bureaus.append(department)

    User = get_user_model()
    head = User(username="bench_head", last_name="Bench head")
    head.set_password(PASSWORD)
    head.save()
    Profile.objects.create(user=head, bureau=heads[0], language="ko")
    Bureau.objects.filter(pk=heads[0].pk).update(head=head)
    staff = User(username="bench_staff", last_name="Bench staff")
    staff.set_password(PASSWORD)
    staff.save()
    Profile.objects.create(user=staff, bureau=bureaus[1], language="ko")
    mayor = User(username="bench_mayor", last_name="Bench mayor's office")
    mayor.set_password(PASSWORD)
    mayor.save()
    Profile.objects.create(user=mayor, is_mayors_office=True, language="ko")
    # City IT, for the admin's key task list.
    admin = User(username="bench_admin", last_name="Bench city IT", is_staff=True)
    admin.is_superuser = True
    admin.set_password(PASSWORD)
    admin.save()
    Profile.objects.create(user=admin, language="ko")

    start = dt.date(2024, 1, 1)
    objects = []
    for i in range(tasks):
        status = STATUSES[i % len(STATUSES)]
        progress = {"not_started": 0, "done": 100}.get(status, 10 + i % 80)
        objects.append(
            KeyTask(
                plan=plan,  # bulk_create skips save(), which sets it from the sector
                sector=sectors[i % 5],
                bureau=bureaus[i % len(bureaus)],
                owner=staff if i % 997 == 0 else None,
                code=f"B-{i:05d}",
                title_ko=f"핵심과제 {i} 부산 글로벌 허브도시 추진",
                title_en=f"Key task {i}: Busan global hub city",
                start_date=start,
                due_date=today + dt.timedelta(days=(i % 400) - 60),
                status=status,
                progress=progress,
                completed_on=today if status == "done" else None,
                version=HISTORY_PER_TASK,
                updated_by=head,
                # One in fifty disclosed, so the public page lists 400 of 20,000.
                is_public=i % 50 == 0,
            )
        )
    KeyTask.objects.bulk_create(objects, batch_size=2000)
    task_ids = list(KeyTask.objects.order_by("id").values_list("id", flat=True))

    def history():
        for task_id in task_ids:
            yield (task_id, 1, head.pk, now, "created", "", "", "")
            for version in range(2, HISTORY_PER_TASK + 1):
                yield (
                    task_id,
                    version,
                    head.pk,
                    now - dt.timedelta(days=HISTORY_PER_TASK - version),
                    "progress",
                    str(version * 3),
                    str(version * 3 + 3),
                    f"weekly update {version}",
                )

    copy_rows(
        "plans_statusupdate",
        [
            "task_id",
            "version",
            "changed_by_id",
            "changed_at",
            "kind",
            "old_value",
            "new_value",
            "note",
        ],
        history(),
    )

    # Every tenth task has an indicator with a quarterly series; every task two milestones.
    indicators = [
        Indicator(
            plan=plan,
            sector=sectors[n % 5],
            task_id=task_id,
            code=f"BK-{n:05d}",
            name_ko=f"지표 {n}",
            name_en=f"Indicator {n}",
            unit_ko="건",
            unit_en="cases",
            baseline=0,
            target=1000,
            target_date=dt.date(2026, 12, 31),
        )
        for n, task_id in enumerate(task_ids[::10])
    ]
    Indicator.objects.bulk_create(indicators, batch_size=2000)
    indicator_ids = list(Indicator.objects.values_list("id", flat=True))
    copy_rows(
        "plans_measurement",
        ["indicator_id", "as_of", "value", "state", "note", "is_assumed", "recorded_at"],
        (
            (indicator_id, dt.date(2024, 3 * q, 28), 100 * q, "final", "", False, now)
            for indicator_id in indicator_ids
            for q in range(1, 5)
        ),
    )
    copy_rows(
        "plans_milestone",
        [
            "task_id",
            "order",
            "title_ko",
            "title_en",
            "due_date",
            "baseline_due_date",
            "deadline_moves",
        ],
        (
            (
                task_id,
                n,
                f"단계 {n}",
                f"Step {n}",
                dt.date(2025, 3 * n, 1),
                dt.date(2025, 3 * n, 1),
                0,
            )
            for task_id in task_ids
            for n in (1, 2)
        ),
    )
    # Each sector's January report session and a mid-year review whose briefing pack
    # follows up the January directives (one key task per directive).
    seoul = ZoneInfo("Asia/Seoul")
    briefing_session = None
    for sector in sectors:
        january = ReportSession.objects.create(
            sector=sector,
            starts_at=dt.datetime(2024, 1, 15, 10, tzinfo=seoul),
            ends_at=dt.datetime(2024, 1, 15, 12, tzinfo=seoul),
            venue_ko="부산시청",
        )
        review = ReportSession.objects.create(
            sector=sector,
            starts_at=dt.datetime(2024, 7, 15, 10, tzinfo=seoul),
            ends_at=dt.datetime(2024, 7, 15, 12, tzinfo=seoul),
            venue_ko="부산시청",
        )
        briefing_session = briefing_session or review
        for order, bureau in enumerate(heads[:6], start=1):
            for session in (january, review):
                AgendaItem.objects.create(
                    session=session,
                    order=order,
                    bureau=bureau,
                    title_ko=f"{bureau.name_ko} 업무보고",
                    starts_at=session.starts_at + dt.timedelta(minutes=15 * (order - 1)),
                    ends_at=session.starts_at + dt.timedelta(minutes=15 * order),
                )
        followed_up = KeyTask.objects.filter(sector=sector).order_by("id")[:20]
        Directive.objects.bulk_create(
            Directive(
                session=january,
                text=f"지시사항 {task.code}",
                bureau_id=task.bureau_id,
                due_date=task.due_date,
                key_task=task,
                issued_by=mayor,
            )
            for task in followed_up
        )

    next_year = fill_next_year(plan, heads, today)

    head_tasks = KeyTask.objects.filter(bureau__path__startswith=heads[0].path)
    return {
        "tasks": KeyTask.objects.count(),
        "history": StatusUpdate.objects.count(),
        "head": head.username,
        "staff": staff.username,
        "mayor": mayor.username,
        "admin": admin.username,
        "public_task": KeyTask.objects.filter(is_public=True).order_by("id").first().pk,
        "briefing_session": briefing_session.pk,
        "next_year": next_year.year,
        "next_year_bureau": heads[0].code,
        "next_year_draft": DraftTask.objects.filter(submission__bureau=heads[0])
        .values_list("pk", flat=True)
        .first(),
        "password": PASSWORD,
        "head_tasks": head_tasks.count(),
        "seconds": round(time.monotonic() - started, 1),
    }


DRAFTS_PER_BUREAU = 25


def fill_next_year(plan: WorkPlan, heads: list[Bureau], today: dt.date) -> WorkPlan:
    """Next year's plan in preparation: every headquarters with a head and a submission
    of 25 draft key tasks, at every stage (the submissions overview's worst case)."""
    User = get_user_model()
    next_year = WorkPlan.objects.create(
        year=plan.year + 1, stage=WorkPlan.Stage.PREPARATION, core_goal_ko="다음 연도"
    )
    sectors = [
        Sector.objects.create(plan=next_year, number=n, name_ko=f"{n}분야") for n in range(1, 6)
    ]
    Preparation.objects.create(
        plan=next_year, previous=plan, deadline=today + dt.timedelta(days=10)
    )
    for n, hq in enumerate(heads[1:], start=1):
        if hq.head_id is None:
            user = User.objects.create(username=f"bench_hq_{n}", last_name=f"HQ head {n}")
            Bureau.objects.filter(pk=hq.pk).update(head=user)
    states = [s for s in Submission.State.values if s != Submission.State.NOT_STARTED]
    Submission.objects.bulk_create(
        Submission(plan=next_year, bureau=hq, state=states[n % len(states)])
        for n, hq in enumerate(heads[:-4])  # the last four have not started
    )
    DraftTask.objects.bulk_create(
        (
            DraftTask(
                submission=submission,
                sector=sectors[d % 5],
                title_ko=f"초안 {d}",
                start_date=dt.date(next_year.year, 1, 1),
                due_date=dt.date(next_year.year, 12, 31),
            )
            for submission in Submission.objects.filter(plan=next_year)
            for d in range(DRAFTS_PER_BUREAU)
        ),
        batch_size=2000,
    )
    return next_year


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    with transaction.atomic():
        summary = fill(count)
    # The state autovacuum leaves a city's database in: statistics for the planner and
    # the visibility map, without which counting 20,000 key tasks reads every row of
    # the table (2.2-3.2 ms) instead of an index (1.3-1.5 ms). Autovacuum would
    # otherwise do it in the middle of a run, changing the figures under it. (VACUUM
    # runs outside a transaction, so after the fill's.)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    json.dump(summary, sys.stdout)
