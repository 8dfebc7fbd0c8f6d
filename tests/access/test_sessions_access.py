"""Every URL of report sessions, directives and key-task management against every role:
anonymous visitors go to sign-in, people without the right get 403 and change nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from meetings import services as meeting_services
from meetings.models import AgendaItem, Directive, ReportSession, SessionChange
from plans.models import KeyTask, Milestone, StatusUpdate
from tests.conftest import client_for
from tests.factories import AgendaItemFactory, MilestoneFactory, ReportSessionFactory

ROLES = [
    "anonymous",
    "finance_staff",
    "other_staff",
    "economy_head",
    "welfare_head",
    "mayors_office",
]


@pytest.fixture
def world(city):
    session = ReportSessionFactory(sector=city.sectors[0])
    item = AgendaItemFactory(session=session, bureau=city.economy, order=1)
    directive = meeting_services.add_directive(
        session,
        by=city.mayors_office,
        text="지시",
        bureau=city.economy,
        due_date=dt.date(2024, 6, 30),
    )
    milestone = MilestoneFactory(task=city.finance_task, due_date=city.finance_task.due_date)
    return session, item, directive, milestone


def urls(city, session, item, directive, milestone):
    """(method, url, who may: 'office', 'office+heads' or 'finance heads', expected ok status)."""
    task = city.finance_task  # in the economy head's subtree, not the welfare head's
    return [
        ("get", reverse("meetings:session_create"), "office", 200),
        ("get", reverse("meetings:session_edit", args=[session.pk]), "office", 200),
        ("post", reverse("meetings:agenda_add", args=[session.pk]), "office", 200),
        ("post", reverse("meetings:agenda_move", args=[session.pk, item.pk]), "office", 200),
        ("post", reverse("meetings:session_held", args=[session.pk]), "office", 302),
        ("get", reverse("meetings:directive_list"), "office+heads", 200),
        ("get", reverse("meetings:directives_xlsx"), "office+heads", 200),
        ("get", reverse("meetings:directives_csv"), "office+heads", 200),
        ("get", reverse("meetings:directive_edit", args=[directive.pk]), "office", 200),
        ("get", reverse("plans:task_create"), "office+heads", 200),
        ("get", reverse("plans:task_manage", args=[task.pk]), "office+economy", 200),
        ("post", reverse("plans:milestone_add", args=[task.pk]), "office+economy", 200),
        (
            "post",
            reverse("plans:milestone_edit", args=[task.pk, milestone.pk]),
            "office+economy",
            200,
        ),
        (
            "post",
            reverse("plans:milestone_move", args=[task.pk, milestone.pk]),
            "office+economy",
            200,
        ),
        ("post", reverse("plans:task_drop", args=[task.pk]), "office+economy", 200),
    ]


ALLOWED = {
    "office": {"mayors_office"},
    "office+heads": {"mayors_office", "economy_head", "welfare_head"},
    "office+economy": {"mayors_office", "economy_head"},
}


def snapshot():
    return (
        ReportSession.objects.order_by("pk").values_list("version", "held_at").first(),
        AgendaItem.objects.count(),
        SessionChange.objects.count(),
        Directive.objects.values_list("text", "bureau").first(),
        StatusUpdate.objects.count(),
        Milestone.objects.count(),
        KeyTask.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_url_against_every_role(city, world, role):
    client = client_for(getattr(city, role)) if role != "anonymous" else client_for_anonymous()
    before = snapshot()
    for method, url, who, ok in urls(city, *world):
        # Empty or garbled posts: the allowed get their form back, nothing is written.
        response = getattr(client, method)(url, {"version": "x"})
        if role == "anonymous":
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("login")), url
        elif role in ALLOWED[who]:
            assert response.status_code in (ok, 302), (role, url, response.status_code)
        else:
            assert response.status_code == 403, (role, url, response.status_code)
    assert snapshot() == before


def client_for_anonymous():
    from django.test import Client

    return Client()


def test_unknown_objects_are_404_for_the_mayors_office(office_client, city, world):
    session, _item, _directive, milestone = world
    for method, url in [
        ("get", "/sessions/999999/edit/"),
        ("post", "/sessions/999999/agenda/"),
        ("post", f"/sessions/{session.pk}/agenda/999999/move/"),
        ("post", "/sessions/999999/held/"),
        ("get", "/directives/999999/edit/"),
        ("get", "/tasks/999999/manage/"),
        ("post", f"/tasks/{city.finance_task.pk}/milestones/999999/move/"),
        ("post", f"/tasks/{city.economy_task.pk}/milestones/{milestone.pk}/edit/"),
    ]:
        assert getattr(office_client, method)(url).status_code == 404, url
