"""The demo shows the year on any date: 2024 kept as the record, this year's plan
tracked, next year's in preparation with the bureaus at every stage."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from planning.models import Submission
from plans import dates, selectors
from plans.models import KeyTask, Measurement, StatusUpdate, WorkPlan

pytestmark = pytest.mark.django_db


def load():
    out = io.StringIO()
    call_command("load_busan_2024", "--demo-accounts", stdout=out)
    call_command("load_demo_years", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo():
    return load()


def test_three_years_each_at_its_stage(demo):
    year = dates.today().year
    stages = dict(WorkPlan.objects.values_list("year", "stage"))
    assert stages == {2024: "closed", year: "adopted", year + 1: "preparation"}
    assert selectors.current_plan().year == year


def test_this_years_tasks_are_dated_in_their_year_and_marked_assumed(demo):
    year = dates.today().year
    tasks = KeyTask.objects.filter(plan__year=year)
    assert tasks.count() == KeyTask.objects.filter(plan__year=2024).count()
    assert all(t.start_date.year == year and t.due_date.year == year for t in tasks)
    created = StatusUpdate.objects.filter(task__plan__year=year, kind="created")
    assert all("가정" in row.note for row in created)
    figures = Measurement.objects.filter(indicator__plan__year=year)
    assert figures.exists() and all(m.is_assumed and m.as_of <= dates.today() for m in figures)
    statuses = set(tasks.values_list("status", flat=True))
    assert {"done", "on_track", "at_risk"} <= statuses or dates.today().month < 3


def test_next_years_bureaus_are_at_every_stage(demo):
    plan = WorkPlan.objects.get(year=dates.today().year + 1)
    states = set(Submission.objects.filter(plan=plan).values_list("state", flat=True))
    assert {"submitted", "drafting", "returned", "accepted"} <= states
    returned = Submission.objects.get(plan=plan, state="returned")
    assert returned.events.get(kind="returned").comment
    assert plan.preparation.deadline > dates.today()
    carried = KeyTask.objects.filter(plan__year=dates.today().year, successors__isnull=True)
    assert carried.exists()


def test_loading_again_changes_nothing(demo):
    counts = (KeyTask.objects.count(), Submission.objects.count(), WorkPlan.objects.count())
    load()
    assert (KeyTask.objects.count(), Submission.objects.count(), WorkPlan.objects.count()) == counts


def test_demo_staff_see_this_years_tasks_in_my_tasks(demo, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="hnkim"))
    groups = client.get("/tasks/mine/").context["groups"]
    years = {row.task.sector.plan.year for _s, rows in groups for row in rows}
    assert years == {dates.today().year}
    assert dt.date.today()  # dates relative to today
