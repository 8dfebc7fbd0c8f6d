"""Benchmark: the daily reminder sweep over 100,000 key tasks with 5,000 due and 2,400
overdue, on PostgreSQL, and its delivery as daily digests.

    .venv/bin/python bench/reminder_sweep.py [--tasks 100000] [--due 5000] [--overdue 2400]

Uses its own database (``busan_bench_reminders`` on the PostgreSQL of ``BENCH_PG_URL``,
default postgres://postgres@127.0.0.1:5432), created and migrated when missing and
refilled on every run. Measures:

- the sweep (work out what is due, record it in the reminder log): wall time, peak
  Python memory (tracemalloc) and the process's peak RSS, and its number of queries;
- the same sweep with 1,000 due instead of 5,000: the number of queries must not grow;
- delivery of what was recorded through Django's in-memory mail backend, as the digests
  people get (reminders/daily.py): each owner's reminders of the day in one email, and
  every task escalated to a person (2,400 overdue: 40 bureau heads, 3 in the mayor's
  office) in one escalation email each: time, memory, emails, and one UPDATE per email.

Targets (this machine): the sweep, and the sweep with its digest delivery, each under
5 s and 150 MB; at most one escalation email per person.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
# Its own database; BENCH_REMINDERS_DB names another (two checkouts benchmarking at once).
DB_NAME = os.environ.get("BENCH_REMINDERS_DB", "busan_bench_reminders")
os.environ["DATABASE_URL"] = f"{PG}/{DB_NAME}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "busan_tracker.settings")
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"

TODAY = dt.date(2024, 3, 25)  # a Monday: owners' "3 days before" and the weekly digest
TARGET_SECONDS = 5.0
TARGET_MB = 150.0


def ensure_database(*, fresh: bool) -> None:
    """The benchmark's own database; made anew unless reused, so it always has the
    schema of the migrations in this checkout."""
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')


OVERDUE_SINCE = TODAY - dt.timedelta(days=30)  # past both escalation steps


def populate(n_tasks: int, n_due: int, n_overdue: int = 0) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from plans.models import Bureau, KeyTask, Profile, Sector, WorkPlan
    from reminders.models import ReminderLog

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE plans_reminderlog, plans_statusupdate, plans_milestone, plans_indicator,"
            " plans_keytask, plans_profile, plans_bureau, plans_sector, plans_workplan,"
            " auth_user RESTART IDENTITY CASCADE"
        )
    User = get_user_model()
    plan = WorkPlan.objects.create(year=2024, stage=WorkPlan.Stage.ADOPTED, core_goal_ko="벤치마크")
    sectors = [
        Sector.objects.create(plan=plan, number=n, name_ko=f"{n}분야", name_en=f"Sector {n}")
        for n in range(1, 6)
    ]
    users = User.objects.bulk_create(
        [User(username=f"user{i}", email=f"user{i}@busan.example") for i in range(1000)]
    )
    office = Bureau.objects.create(code="office", kind="office", name_ko="정책기획관")
    bureaus = []
    for i in range(40):
        bureau = Bureau.objects.create(
            code=f"b{i}", kind="bureau", name_ko=f"부서{i}", head=users[i], parent=None
        )
        bureaus.append(bureau)
    Profile.objects.bulk_create(
        [
            Profile(
                user=user,
                bureau=office if i < 3 else bureaus[i % 40],
                is_mayors_office=i < 3,
                language="en" if i % 2 else "ko",
            )
            for i, user in enumerate(users)
        ]
    )
    due_date = TODAY + dt.timedelta(days=3)
    far = dt.date(2024, 12, 31)
    tasks = []
    for i in range(n_tasks):
        tasks.append(
            KeyTask(
                plan_id=sectors[i % 5].plan_id,  # bulk_create skips save(), which sets it
                sector=sectors[i % 5],
                bureau=bureaus[i % 40],
                owner=users[3 + i % 997],
                code=f"B-{i:06d}",
                title_ko=f"핵심과제 {i}",
                title_en=f"Key task {i}",
                start_date=dt.date(2024, 1, 1),
                due_date=due_date if i < n_due else far,
                status=KeyTask.Status.ON_TRACK,
                progress=40,
            )
        )
    for i in range(n_overdue):
        tasks.append(
            KeyTask(
                sector=sectors[i % 5],
                plan_id=sectors[i % 5].plan_id,
                bureau=bureaus[i % 40],
                owner=users[3 + i % 997],
                code=f"O-{i:06d}",
                title_ko=f"기한 경과 과제 {i}",
                title_en=f"Overdue task {i}",
                start_date=dt.date(2024, 1, 1),
                due_date=OVERDUE_SINCE,
                status=KeyTask.Status.DELAYED,
                progress=20,
            )
        )
    KeyTask.objects.bulk_create(tasks, batch_size=5000)
    assert ReminderLog.objects.count() == 0
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def set_due(n_due: int) -> None:
    """Keep exactly the first ``n_due`` tasks due in 3 days; push the rest out."""
    from django.db import connection

    from plans.models import KeyTask
    from reminders.models import ReminderLog

    ReminderLog.objects.all().delete()
    due_date = TODAY + dt.timedelta(days=3)
    planned = KeyTask.objects.filter(code__startswith="B-")  # the overdue ("O-") stay so
    planned.filter(code__lt=f"B-{n_due:06d}").exclude(due_date=due_date).update(due_date=due_date)
    planned.filter(code__gte=f"B-{n_due:06d}", due_date=due_date).update(
        due_date=dt.date(2024, 12, 31)
    )
    with connection.cursor() as cursor:
        # A live table is not fresh from a mass update; measure the sweep, not the bloat.
        cursor.execute("VACUUM ANALYZE plans_keytask")
        cursor.execute("VACUUM ANALYZE plans_reminderlog")


def measure_sweep() -> dict:
    from django.db import connection, reset_queries

    from reminders import outbox, subjects

    connection.force_debug_cursor = True
    reset_queries()
    tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    due = subjects.due_reminders(TODAY)
    recorded = outbox.record_due(due)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    queries = len(connection.queries)
    connection.force_debug_cursor = False
    return {
        "due": len(due),
        "recorded": recorded,
        "seconds": elapsed,
        "cpu_seconds": cpu,
        "peak_mb": peak / 2**20,
        "queries": queries,
    }


def measure_delivery() -> dict:
    from collections import Counter

    from django.core import mail
    from django.db import connection, reset_queries

    from reminders import outbox
    from reminders.models import ReminderLog

    mail.outbox = []
    connection.force_debug_cursor = True
    reset_queries()
    tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    result = outbox.deliver_pending(today=TODAY)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    queries = len(connection.queries)
    connection.force_debug_cursor = False
    # Whom the escalations went to, and how many emails each of them got besides the
    # weekly digest (an email names its first reminder: X-Busan-Reminder).
    escalated_to = set(
        ReminderLog.objects.filter(kind__in=ReminderLog.ESCALATIONS).values_list(
            "recipient__email", flat=True
        )
    )
    escalation_rows = ReminderLog.objects.filter(kind__in=ReminderLog.ESCALATIONS).count()
    weekly = set(ReminderLog.objects.filter(kind="weekly_digest").values_list("id", flat=True))
    escalation_emails = Counter(
        m.to[0]
        for m in mail.outbox
        if m.to[0] in escalated_to and int(m.extra_headers["X-Busan-Reminder"]) not in weekly
    )
    return {
        "sent": result.sent,
        "emails": len(mail.outbox),
        "escalation_rows": escalation_rows,
        "escalation_recipients": len(escalation_emails),
        "most_escalation_emails_to_one": max(escalation_emails.values(), default=0),
        "seconds": elapsed,
        "cpu_seconds": cpu,
        "peak_mb": peak / 2**20,
        "queries": queries,
    }


def measure_in_fresh_process(n_due: int) -> dict:
    """Each measurement runs in its own process, so its peak RSS is the sweep's own and
    not the population step's."""
    import json
    import subprocess

    output = subprocess.run(
        [sys.executable, __file__, "--measure", str(n_due)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def peak_rss_mb() -> float:
    """This process's own peak resident memory. VmHWM belongs to the address space exec
    made; ru_maxrss would carry over the parent's peak (Linux keeps it across exec), so a
    sweep measured right after the population step reported the population's memory."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_main(n_due: int) -> None:
    import json
    import logging

    import django

    django.setup()
    logging.disable(logging.INFO)
    from reminders import calendar

    calendar.is_business_day(TODAY)  # load the holiday calendar outside the timing
    result = measure_sweep()
    result["rss_mb"] = peak_rss_mb()
    if n_due and not os.environ.get("BENCH_SKIP_DELIVERY"):
        result["delivery"] = measure_delivery()
        result["delivery"]["rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=5_000)
    parser.add_argument("--overdue", type=int, default=2_400)
    parser.add_argument("--reuse", action="store_true", help="keep the populated database")
    parser.add_argument("--skip-delivery", action="store_true")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure is not None:
        measure_main(args.measure)
        return 0

    ensure_database(fresh=not args.reuse)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from plans.models import KeyTask

    if not (args.reuse and KeyTask.objects.count() == args.tasks + args.overdue):
        print(f"Populating {args.tasks:,} key tasks and {args.overdue:,} overdue…", flush=True)
        started = time.perf_counter()
        populate(args.tasks, args.due, args.overdue)
        print(f"  done in {time.perf_counter() - started:.1f} s", flush=True)

    small_due = min(1000, args.due)
    os.environ["BENCH_SKIP_DELIVERY"] = "1"
    set_due(small_due)
    small = measure_in_fresh_process(small_due)
    if args.skip_delivery:
        os.environ["BENCH_SKIP_DELIVERY"] = "1"
    else:
        os.environ.pop("BENCH_SKIP_DELIVERY")
    set_due(args.due)
    big = measure_in_fresh_process(args.due)

    print(
        f"Sweep, {small_due:,} due of {args.tasks:,}: {small['seconds']:.2f} s, "
        f"{small['queries']} queries, {small['recorded']:,} recorded"
    )
    print(
        f"Sweep, {args.due:,} due of {args.tasks:,} (and {args.overdue:,} overdue): "
        f"{big['seconds']:.2f} s ({big['cpu_seconds']:.2f} s of CPU in Python), "
        f"peak Python memory {big['peak_mb']:.1f} MB (tracemalloc), "
        f"process peak RSS {big['rss_mb']:.1f} MB (before delivery), "
        f"{big['queries']} queries, {big['recorded']:,} recorded"
    )
    ok = (
        big["seconds"] < TARGET_SECONDS
        and max(big["peak_mb"], big["rss_mb"]) < TARGET_MB
        and big["queries"] == small["queries"]
    )
    sent = big.get("delivery")
    if sent:
        per_email = sent["queries"] - sent["emails"]
        digest_seconds = big["seconds"] + sent["seconds"]
        digest_mb = max(big["peak_mb"], sent["peak_mb"], sent["rss_mb"])
        print(
            f"Delivery as digests (locmem backend): {sent['sent']:,} reminders in "
            f"{sent['emails']:,} emails, {sent['seconds']:.2f} s ({sent['cpu_seconds']:.2f} s of "
            f"CPU in Python), peak Python memory "
            f"{sent['peak_mb']:.1f} MB, process peak RSS {sent['rss_mb']:.1f} MB; "
            f"{sent['escalation_rows']:,} escalations to {sent['escalation_recipients']} people, "
            f"at most {sent['most_escalation_emails_to_one']} email each besides the weekly "
            "digest; "
            f"{sent['queries']} queries = one 'sent' UPDATE per email + {per_email} for "
            "claiming and loading"
        )
        print(
            f"Digest sweep (sweep + delivery): {digest_seconds:.2f} s, at most {digest_mb:.1f} MB"
        )
        ok = (
            ok
            and digest_seconds < TARGET_SECONDS
            and digest_mb < TARGET_MB
            and sent["most_escalation_emails_to_one"] <= 1
        )
    print(
        f"Targets: < {TARGET_SECONDS:.0f} s, < {TARGET_MB:.0f} MB, queries not growing "
        f"({small['queries']} vs {big['queries']}): {'OK' if ok else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
