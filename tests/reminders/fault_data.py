"""The city the fault-injection tests deliver to, written into their own PostgreSQL:

    DATABASE_URL=postgres://…/fault_template python -m tests.reminders.fault_data --tasks 2000

Migrates the database, then makes ``--tasks`` key tasks due in three days (one reminder
each to its owner, whatever the weekday: the sweep catches up with the latest reminder
due) spread over 200 owners, and one probe task whose only reminder is due on
``PROBE_DAY`` — a sweep run as of that day after a fault sends exactly one message,
which shows the worker consuming a task sent afterwards. Nobody heads the probe's bureau
and nobody works in the mayor's office, so neither escalations nor the weekly digest
add to the count.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os

PROBE_DAY = dt.date(2024, 3, 26)  # a Tuesday
PROBE_DEADLINE = dt.date(2024, 3, 29)  # its "3 days before" falls on PROBE_DAY
PROBE_CODE = "PROBE-1"
OWNERS = 200


def fill(n_tasks: int) -> None:
    from plans import dates
    from plans.models import KeyTask
    from tests.factories import (
        BureauFactory,
        KeyTaskFactory,
        ProfileFactory,
        SectorFactory,
        UserFactory,
        WorkPlanFactory,
    )

    today = dates.today()
    plan = WorkPlanFactory(year=today.year)
    sectors = [SectorFactory(plan=plan, number=n) for n in range(1, 6)]
    head = UserFactory(username="fault-head")
    bureau = BureauFactory(code="fault-bureau", head=head)
    ProfileFactory(user=head, bureau=bureau)
    owners = []
    for i in range(OWNERS):
        owner = UserFactory(username=f"fault-owner-{i:03d}")
        ProfileFactory(user=owner, bureau=bureau, language="en" if i % 2 else "ko")
        owners.append(owner)
    due = today + dt.timedelta(days=3)
    tasks = [
        KeyTaskFactory.build(
            sector=sectors[i % 5],
            bureau=bureau,
            owner=owners[i % OWNERS],
            code=f"F-{i:05d}",
            start_date=dt.date(today.year, 1, 1),
            due_date=due,
        )
        for i in range(n_tasks)
    ]
    probe_bureau = BureauFactory(code="fault-probe")  # no head: no escalation
    tasks.append(
        KeyTaskFactory.build(
            sector=sectors[0],
            bureau=probe_bureau,
            owner=owners[0],
            code=PROBE_CODE,
            start_date=dt.date(2024, 1, 1),
            due_date=PROBE_DEADLINE,
        )
    )
    KeyTask.objects.bulk_create(tasks, batch_size=1000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, required=True)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "busan_tracker.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # The suite's fast hasher (tests/conftest.py): the owners never sign in, and the
    # production hasher would spend minutes on 200 passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    call_command("migrate", verbosity=0)
    fill(options.tasks)


if __name__ == "__main__":
    main()
