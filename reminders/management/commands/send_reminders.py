"""Run the reminder sweep by hand: ``manage.py send_reminders [--dry-run] [--today DATE]``."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from plans import dates
from reminders.models import ReminderLog
from reminders.outbox import run_sweep
from reminders.subjects import due_reminders


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today expects YYYY-MM-DD, not {value!r}") from error


class Command(BaseCommand):
    help = "Work out the reminders due today, record them in the reminder log and send them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List who would get what and why; record and send nothing.",
        )
        parser.add_argument(
            "--today", type=_date, help="Run as if today were YYYY-MM-DD (Asia/Seoul)."
        )

    def handle(self, *args, dry_run=False, today=None, **options):
        today = today or dates.today()
        if dry_run:
            self._dry_run(today)
            return
        result = run_sweep(today)
        d = result.delivery
        self.stdout.write(
            f"{today}: {result.due} due, {result.recorded} newly recorded; "
            f"sent {d.sent}, failed {d.failed}, no longer due {d.cancelled}."
        )

    def _dry_run(self, today: dt.date) -> None:
        due = due_reminders(today)
        users = get_user_model().objects.in_bulk({d.recipient_id for d in due})
        states = {
            (r.subject_type, r.subject_id, r.deadline, r.kind, r.recipient_id): r.state
            for r in ReminderLog.objects.filter(
                subject_id__in={d.subject_id for d in due}, deadline__in={d.deadline for d in due}
            )
        }
        self.stdout.write(f"Reminders due on {today} (dry run: nothing recorded or sent):")
        for d in sorted(due, key=lambda d: (d.subject_type, d.subject_id, d.kind, d.recipient_id)):
            user = users[d.recipient_id]
            state = states.get(d.key)
            note = f"  [already {state}]" if state else ""
            self.stdout.write(
                f"  {d.subject_type}:{d.subject_id}  {d.kind:<26} → {user.username} "
                f"<{user.email}>  due {d.deadline}  because {d.reason}{note}"
            )
        self.stdout.write(f"{len(due)} reminder(s).")
