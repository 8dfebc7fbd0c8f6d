"""The Busan 2024 plan ships in the repo and loads idempotently."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from meetings.models import AgendaItem, ReportSession
from plans import services
from plans.loader import load_work_plan, read_plan_data
from plans.models import (
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

pytestmark = pytest.mark.django_db

MODELS = [
    WorkPlan,
    AdministrationGoal,
    Sector,
    Bureau,
    KeyTask,
    Milestone,
    Indicator,
    Measurement,
    StatusUpdate,
    ReportSession,
    AgendaItem,
    Profile,
    get_user_model(),
]


def snapshot():
    return {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in MODELS}


def load(*args):
    out = io.StringIO()
    call_command("load_busan_2024", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def loaded():
    return load("--demo-accounts")


def test_loading_twice_leaves_the_same_rows(loaded):
    first = snapshot()
    load("--demo-accounts")
    assert snapshot() == first


def test_reloading_never_overwrites_a_bureaus_live_update(loaded):
    task = KeyTask.objects.get(code="1-01")
    services.update_key_task(
        task,
        by=None,
        expected_version=task.version,
        progress=min(task.progress + 1, 99),
        status="on_track" if task.status != "on_track" else task.status,
    )
    task.refresh_from_db()
    load()
    reloaded = KeyTask.objects.get(code="1-01")
    assert (reloaded.progress, reloaded.version) == (task.progress, task.version)


def test_the_plan_has_the_two_goals_and_five_sectors_from_the_seed(loaded):
    plan = WorkPlan.objects.get(year=2024)
    assert plan.goals.count() == 2
    assert "global hub city" in plan.core_goal_en.lower()
    assert list(plan.sectors.values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    assert plan.sectors.get(number=3).name_en == "Sustainable Balanced Development City"


def test_the_first_session_is_at_jagalchi_market_at_ten_on_the_fifteenth(loaded):
    first = ReportSession.objects.get(sector__number=1)
    starts = timezone.localtime(first.starts_at)
    assert (starts.date(), starts.hour, starts.minute) == (dt.date(2024, 1, 15), 10, 0)
    assert "Jagalchi" in first.venue_en
    assert first.theme_en == "Stabilizing Livelihoods and Enhancing Economic Vitality"
    assert "starts_at" not in first.assumed_fields.split(",")


def test_sessions_two_to_five_are_at_city_hall_and_marked_assumed(loaded):
    for session in ReportSession.objects.filter(sector__number__gte=2):
        assert timezone.localtime(session.starts_at).date() in {
            dt.date(2024, 1, d) for d in (16, 17, 18)
        }
        assert "City Hall" in session.venue_en
        assert session.is_assumed("starts_at")
        assert session.agenda.exists()


def test_at_least_forty_key_tasks_over_all_five_sectors_with_varied_statuses(loaded):
    assert KeyTask.objects.count() >= 40
    for sector in Sector.objects.all():
        assert sector.key_tasks.count() >= 5
    assert set(KeyTask.objects.values_list("status", flat=True)) == set(KeyTask.Status.values)
    titles = " ".join(KeyTask.objects.values_list("title_en", flat=True))
    for project in ("Gadeokdo", "BuTX", "North Port", "BDIA", "carbon"):
        assert project.lower() in titles.lower(), project


def test_the_job_targets_carry_the_real_figures(loaded):
    jobs = Indicator.objects.get(code="JOB-FIN")
    assert jobs.target == Decimal("189988")
    final = jobs.measurements.get(state="final")
    assert final.value == Decimal("208959")
    assert not final.is_assumed


def test_demo_accounts_exist_for_every_role_and_their_logins_are_printed(loaded):
    roles = {p.is_mayors_office for p in Profile.objects.all()}
    assert roles == {True, False}
    heads = Bureau.objects.exclude(head=None)
    assert heads.exists()
    staff = Profile.objects.filter(is_mayors_office=False).exclude(user__in=heads.values("head"))
    assert staff.exists()
    for profile in Profile.objects.select_related("user"):
        assert profile.user.username in loaded
    assert "mayors_office" in loaded and "bureau_head" in loaded and "staff" in loaded


def test_printed_passwords_sign_in(loaded, client):
    line = next(line for line in loaded.splitlines() if "bureau_head" in line)
    _, username, password, *_ = line.split()
    # Through the sign-in form, as a person would (and as the sign-in lockout needs).
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302
    assert client.get(reverse("home")).wsgi_request.user.username == username


def test_without_the_demo_flag_no_accounts_are_created():
    load_work_plan(read_plan_data())
    assert not get_user_model().objects.exists()
    assert KeyTask.objects.filter(owner__isnull=False).count() == 0
    assert KeyTask.objects.count() >= 40


def test_task_owners_work_in_the_owning_bureau_or_above_it(loaded):
    for task in KeyTask.objects.select_related("owner__profile__bureau", "bureau"):
        if task.owner is None:
            continue
        home = task.owner.profile.bureau
        assert task.bureau.path.startswith(home.path), (task.code, home.code)
