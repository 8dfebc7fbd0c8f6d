"""The demo's years: the 2024 plan from the city's documents kept as the record
(closed), the plan tracked this year derived from it (with its January sessions), and
next year's plan in preparation with the bureaus at every stage of their submission.
Idempotent: run after ``load_busan_2024`` at every start (``bin/run``)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from meetings.loader import load_sessions
from planning import services as planning_services
from planning.loader import load_next_year
from plans import dates
from plans.loader import BUSAN_2024, derive_year, load_work_plan, read_plan_data
from plans.models import WorkPlan


class Command(BaseCommand):
    help = (
        "Load the demo's years: 2024 closed, this year's plan tracked, next year's in preparation."
    )

    def handle(self, *args, **options):
        today = dates.today()
        data = read_plan_data(BUSAN_2024)
        record, _report = load_work_plan(data)
        this_year = today.year
        if this_year <= record.year:
            self.stdout.write("The 2024 plan is this year's: nothing to derive.")
            return
        office = (
            get_user_model().objects.filter(profile__is_mayors_office=True).order_by("pk").first()
        )
        derived = derive_year(data, this_year, today)
        plan, report = load_work_plan(derived)
        sessions = load_sessions(plan, derived)
        if record.stage == WorkPlan.Stage.ADOPTED:
            planning_services.close_plan(by=office, plan=record)
        prepared = load_next_year(plan, by=office, today=today)
        self.stdout.write(
            f"Demo years: {record.year} closed (the record), {plan.year} tracked "
            f"(key tasks +{report.created.get('key_tasks', 0)}, sessions +{sessions['sessions']}), "
            + (
                f"{prepared.year} in preparation."
                if prepared
                else f"{this_year + 1} already there."
            )
        )
