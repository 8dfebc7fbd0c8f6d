"""One queue per person, the first page after sign-in: what I must update, approve and
acknowledge, each acted on in place; the count in the navigation; a registry other
areas add kinds to."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inbox import registry
from inbox.registry import Group, Item, QueueKind
from plans import deadlines, measurements
from plans.models import KeyTask, Measurement
from reminders import acknowledgements
from reminders.models import ReminderLog
from tests.conftest import client_for
from tests.factories import IndicatorFactory
from tests.governance.conftest import HTMX

QUEUE = reverse("inbox:queue")


def act_url(kind, pk, action):
    return reverse("inbox:act", args=[kind, pk, action])


def make_stale(task, days=30):
    KeyTask.objects.filter(pk=task.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=days), due_date=dt.date(2030, 12, 31)
    )


@pytest.fixture
def waiting(city, staff_task):
    """One item of each kind: finance_task not updated in a month (finance_staff's),
    a deadline change awaiting economy_head, a figure to verify (the mayor's office)
    and an escalation sent to economy_head."""
    make_stale(city.finance_task)
    change = deadlines.request_deadline_change(
        staff_task,
        by=city.finance_staff,
        expected_version=1,
        new_due_date=dt.date(2024, 11, 10),
        reason="Permit late",
    )
    indicator = IndicatorFactory(
        sector=staff_task.sector, task=staff_task, code="Q-JOBS", target=1200, unit_en="jobs"
    )
    figure = measurements.record_measurement(
        indicator, by=city.finance_staff, as_of=dt.date(2024, 6, 30), value=Decimal(700)
    )
    escalation = ReminderLog.objects.create(
        subject_type="task",
        subject_id=staff_task.pk,
        deadline=staff_task.due_date,
        kind="escalation_head",
        recipient=city.economy_head,
        send_on=dt.date(2024, 11, 3),
        state="sent",
        sent_at=timezone.now(),
    )
    return {"change": change, "figure": figure, "escalation": escalation}


def test_signing_in_lands_on_the_queue(client, city):
    city.finance_staff.set_password("pw-12345678")
    city.finance_staff.save()
    response = client.post(
        reverse("login"), {"username": "finance_staff", "password": "pw-12345678"}
    )
    assert response.status_code == 302 and response["Location"] == QUEUE


def test_staff_update_a_stale_task_in_place_and_it_leaves_the_queue(city, waiting):
    staff = client_for(city.finance_staff)
    body = staff.get(QUEUE).content.decode()
    task = city.finance_task
    assert f'id="queue-tasks-{task.pk}"' in body and "Not updated since" in body
    # A staff member decides nothing and verifies nothing.
    assert "Deadline changes to decide" not in body and "Figures to verify" not in body
    response = staff.post(
        act_url("tasks", task.pk, "checked"), {"note": "Spoke to the team"}, **HTMX
    )
    outcome = response.content.decode()
    assert "1-02: recorded as checked." in outcome
    assert 'id="queue-count" class="nav-count" hx-swap-oob="true"' in outcome
    task.refresh_from_db()
    assert task.version == 2 and task.history.get(version=2).note == "Spoke to the team"
    assert f'id="queue-tasks-{task.pk}"' not in staff.get(QUEUE).content.decode()


def test_the_head_approves_a_deadline_and_acknowledges_an_escalation_in_place(
    city, staff_task, waiting
):
    head = client_for(city.economy_head)
    body = head.get(QUEUE).content.decode()
    change, escalation = waiting["change"], waiting["escalation"]
    assert f'id="queue-deadlines-{change.pk}"' in body and "Permit late" in body
    assert f'id="queue-escalations-{escalation.pk}"' in body
    assert head.get(reverse("inbox:count")).content.decode().count("items waiting") == 1

    outcome = head.post(act_url("deadlines", change.pk, "approve"), {"note": "ok"}, **HTMX)
    assert "1-50: Approved." in outcome.content.decode()
    staff_task.refresh_from_db()
    assert staff_task.due_date == dt.date(2024, 11, 10)

    outcome = head.post(act_url("escalations", escalation.pk, "acknowledge"), **HTMX)
    assert "the escalation is acknowledged" in outcome.content.decode()
    escalation.refresh_from_db()
    assert escalation.acknowledged_by == city.economy_head

    body = head.get(QUEUE).content.decode()
    assert f'id="queue-deadlines-{change.pk}"' not in body
    assert f'id="queue-escalations-{escalation.pk}"' not in body
    # Acting again on what is gone is "not found", never an error page.
    again = head.post(act_url("escalations", escalation.pk, "acknowledge"), **HTMX)
    assert again.status_code == 404


def test_the_mayors_office_verifies_a_figure_in_place(city, waiting):
    office = client_for(city.mayors_office)
    figure = waiting["figure"]
    body = office.get(QUEUE).content.decode()
    assert f'id="queue-figures-{figure.pk}"' in body
    outcome = office.post(act_url("figures", figure.pk, "verify"), **HTMX).content.decode()
    assert "the figure for" in outcome and "is published" in outcome
    assert Measurement.objects.get(pk=figure.pk).state == "verified"
    assert f'id="queue-figures-{figure.pk}"' not in office.get(QUEUE).content.decode()


def test_without_javascript_an_action_returns_to_the_queue_with_a_message(city, waiting):
    head = client_for(city.economy_head)
    change = waiting["change"]
    response = head.post(act_url("deadlines", change.pk, "decline"), {"note": "no"}, follow=True)
    assert response.redirect_chain[-1][0] == QUEUE
    assert "1-50: Declined." in response.content.decode()


# --- who may do what ---------------------------------------------------------------

ROLES = ("finance_staff", "other_staff", "economy_head", "welfare_head", "mayors_office")


@pytest.mark.parametrize("name", ["inbox:queue", "inbox:count"])
def test_anonymous_visitors_go_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_anonymous_actions_go_to_sign_in_and_change_nothing(client, city, waiting):
    change = waiting["change"]
    response = client.post(act_url("deadlines", change.pk, "approve"))
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.is_pending


@pytest.mark.parametrize("role", ROLES)
def test_every_city_role_has_a_queue(city, role):
    client = client_for(getattr(city, role))
    assert client.get(QUEUE).status_code == 200
    assert client.get(reverse("inbox:count")).status_code == 200


# Who may act on each kind of item in ``waiting`` (anything else: 403 or 404).
ALLOWED = {
    "tasks": {"finance_staff", "economy_head"},
    "deadlines": {"economy_head", "mayors_office"},
    "figures": {"mayors_office"},
    "escalations": {"economy_head"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", list(ALLOWED))
def test_each_action_against_each_role(city, waiting, role, kind):
    pk, action = {
        "tasks": (city.finance_task.pk, "checked"),
        "deadlines": (waiting["change"].pk, "decline"),
        "figures": (waiting["figure"].pk, "verify"),
        "escalations": (waiting["escalation"].pk, "acknowledge"),
    }[kind]
    response = client_for(getattr(city, role)).post(act_url(kind, pk, action), **HTMX)
    if role in ALLOWED[kind]:
        assert response.status_code == 200
    else:
        assert response.status_code in (403, 404)
        waiting["change"].refresh_from_db()
        assert waiting["change"].is_pending
        assert Measurement.objects.get(pk=waiting["figure"].pk).state == "provisional"


@pytest.mark.parametrize(
    "path", ["nonsense/1/approve", "deadlines/999999/approve", "deadlines/1/explode"]
)
def test_unknown_kinds_items_and_actions_are_not_errors(city, waiting, path):
    response = client_for(city.mayors_office).post(f"/queue/{path}/", **HTMX)
    assert response.status_code in (403, 404)


def test_get_on_an_action_is_not_allowed(city, waiting):
    url = act_url("deadlines", waiting["change"].pk, "approve")
    assert client_for(city.economy_head).get(url).status_code == 405


# --- the cost --------------------------------------------------------------------------


def queue_queries(client) -> tuple[int, int]:
    """The queries of the queue read anew (the cache emptied), then read again."""
    cache.clear()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            client.get(QUEUE)
        counts.append(len(captured))
    return counts[0], counts[1]


def test_the_queue_reads_the_same_number_of_queries_for_more_items(city, waiting, make_task):
    office = client_for(city.mayors_office)
    office.get(QUEUE)
    few = queue_queries(office)
    indicator = waiting["figure"].indicator
    for month in range(1, 6):
        Measurement.objects.create(
            indicator=indicator, as_of=dt.date(2024, month, 1), value=month * 100
        )
    for n in range(6):
        task = make_task(code=f"8-{n:02d}", due_date=dt.date(2024, 12, 1))
        deadlines.request_deadline_change(
            task,
            by=city.economy_head,
            expected_version=1,
            new_due_date=dt.date(2025, 3, 1),
            reason="r",
        )
    many = queue_queries(office)
    body = office.get(QUEUE).content.decode()
    assert body.count('<li id="queue-deadlines-') == 7  # the 6 new and the first
    assert many == few
    # Read again before anything changed, only the figures (which cannot say when they
    # change) are read anew: the kinds' marks in one query instead of the others' reads.
    read_anew, kept = few
    assert kept < read_anew


def test_the_queue_kept_in_the_cache_shows_a_change_at_once(city, staff_task, waiting):
    head = client_for(city.economy_head)
    change, escalation = waiting["change"], waiting["escalation"]
    body = head.get(QUEUE).content.decode()
    assert f'id="queue-deadlines-{change.pk}"' in body
    assert f'id="queue-escalations-{escalation.pk}"' in body
    before = head.get(reverse("inbox:count")).content.decode()
    assert "4 items waiting" in before
    # Decided on the task's page, not from the queue; acknowledged by someone else.
    deadlines.decide_deadline_change(change, by=city.mayors_office, approve=True)
    acknowledgements.acknowledge(escalation, by=city.mayors_office)
    body = head.get(QUEUE).content.decode()
    assert f'id="queue-deadlines-{change.pk}"' not in body
    assert f'id="queue-escalations-{escalation.pk}"' not in body
    assert "2 items waiting" in head.get(reverse("inbox:count")).content.decode()


def test_a_kept_queue_carries_each_readers_own_csrf_token(city, waiting):
    """The sections are rendered once and kept; the token in their forms is still the
    reader's own, so a form sent without JavaScript from another browser is accepted."""
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for browser in (first, second):
        browser.force_login(city.economy_head)
    first.get(QUEUE)
    body = second.get(QUEUE).content.decode()
    change = waiting["change"]
    item = body[body.index(f'id="queue-deadlines-{change.pk}"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', item).group(1)
    response = second.post(
        act_url("deadlines", change.pk, "decline"), {"note": "no", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.state == "declined"


# --- the registry ------------------------------------------------------------------------


@pytest.fixture
def mentions():
    """A kind another area adds: mentions to answer."""
    kind = QueueKind(
        name="mentions",
        group=Group.ANSWER,
        title="Mentions to answer",
        concerns=lambda user: True,
        count=lambda user, today: 1,
        items=lambda user, today, limit: [Item(pk=7, title="Where is the permit?")],
        act=lambda user, pk, action, note: "Answered.",
    )
    real = registry.KINDS.get("mentions")
    registry.register(kind)
    yield kind
    # The discussion's own kind of that name comes back for the stories after this one.
    del registry.KINDS["mentions"]
    if real is not None:
        registry.register(real)


def test_another_area_adds_a_kind_with_one_register_call(city, mentions):
    client = client_for(city.finance_staff)
    body = client.get(QUEUE).content.decode()
    assert "Mentions to answer" in body and 'id="queue-mentions-7"' in body
    assert body.index("Key tasks to update") < body.index("Mentions to answer")
    assert "Answered." in client.post(act_url("mentions", 7, "reply"), **HTMX).content.decode()


def test_a_long_section_lists_the_first_ten_and_says_how_many(city, make_task):
    for n in range(12):
        make_task(code=f"7-{n:02d}", due_date=dt.date(2024, 3, 1))  # economy's, overdue
    body = client_for(city.economy_head).get(QUEUE).content.decode()
    assert body.count('<li id="queue-tasks-') == registry.SECTION_LIMIT == 10
    assert "The first 10 of 12 are listed." in body
