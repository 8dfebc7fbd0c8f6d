import json
import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from meetings.loader import load_sessions
from plans.links import absolute_reverse
from plans.loader import BUSAN_2024, load_work_plan, read_plan_data

DEMO_LOGINS = settings.VAR_DIR / "demo-logins.json"


def demo_passwords(usernames: list[str]) -> dict[str, str]:
    """One random password per demo account, kept in var/ so restarts print the same."""
    stored = json.loads(DEMO_LOGINS.read_text()) if DEMO_LOGINS.exists() else {}
    for username in usernames:
        stored.setdefault(username, f"busan-{secrets.token_urlsafe(6)}")
    DEMO_LOGINS.write_text(json.dumps(stored, indent=2))
    DEMO_LOGINS.chmod(0o600)
    return stored


class Command(BaseCommand):
    help = "Load Busan's 2024 work plan (sectors, bureaus, key tasks, indicators, sessions)."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(BUSAN_2024), help="plan data file (JSON)")
        parser.add_argument(
            "--demo-accounts",
            action="store_true",
            help="also create the demo sign-ins for each role and print them",
        )

    def handle(self, *args, file, demo_accounts, **options):
        if demo_accounts and settings.PRODUCTION:
            raise CommandError("Demo accounts are never created in production mode.")
        data = read_plan_data(file)
        passwords = (
            demo_passwords([p["username"] for p in data.get("people", [])])
            if demo_accounts
            else None
        )
        plan, report = load_work_plan(data, demo_passwords=passwords)
        sessions = load_sessions(plan, data)
        created = {**report.created, **sessions}
        summary = ", ".join(f"{kind} +{n}" for kind, n in created.items())
        self.stdout.write(f"Loaded the {plan.year} work plan ({summary}).")
        if report.demo_accounts:
            self.stdout.write("")
            self.stdout.write(f"Demo sign-ins ({absolute_reverse('login')}):")
            for row in report.demo_accounts:
                role, username, password = row["role"], row["username"], row["password"]
                self.stdout.write(f"  {role:<14} {username:<16} {password:<18} {row['bureau']}")
