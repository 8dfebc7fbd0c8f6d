"""Every resource of the API against every role: who reads it, who changes it.

Reading is for the city's people (a token of any active person); changing a key task,
its milestone or its indicator's figure is for whoever may on the pages — the task's
owner and the heads of its bureau and the bureaus above (plans.permissions)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from meetings.models import Directive
from plans.models import KeyTask, StatusUpdate
from tests.api.conftest import ROLES
from tests.factories import IndicatorFactory, MilestoneFactory, ReportSessionFactory

READERS = dict.fromkeys(ROLES, 200) | {"anonymous": 401}
# Who may change the finance department's task (owner: finance_staff; the department
# sits under the economy headquarters, headed by economy_head).
WRITERS = {
    "anonymous": 401,
    "finance_staff": 200,
    "other_staff": 403,
    "economy_head": 200,
    "welfare_head": 403,
    "mayors_office": 403,
}


@pytest.mark.parametrize("role", sorted(READERS))
@pytest.mark.parametrize(
    "name",
    [
        "api_v1:plans",
        "api_v1:sectors",
        "api_v1:key_tasks",
        "api_v1:milestones",
        "api_v1:indicators",
        "api_v1:sessions",
        "api_v1:directives",
    ],
)
def test_it_lists_each_resource_to_the_citys_people_only(api_for, city, name, role):
    response = api_for(role).get(reverse(name))
    assert response.status_code == READERS[role], response.content
    if response.status_code == 200:
        body = response.json()
        assert set(body) == {"items", "count", "page", "page_size"}


@pytest.mark.parametrize("role", sorted(READERS))
def test_it_reads_one_of_each_resource(api_for, city, role):
    indicator = IndicatorFactory(sector=city.sectors[0], task=city.finance_task)
    client = api_for(role)
    urls = [
        reverse("api_v1:plan", kwargs={"plan_id": city.plan.pk}),
        reverse("api_v1:key_task", kwargs={"task_id": city.finance_task.pk}),
        reverse("api_v1:key_task_history", kwargs={"task_id": city.finance_task.pk}),
        reverse("api_v1:figures", kwargs={"indicator_id": indicator.pk}),
    ]
    for url in urls:
        assert client.get(url).status_code == READERS[role], url


def test_a_key_task_reads_as_the_pages_show_it(api_for, city):
    body = (
        api_for("finance_staff")
        .get(reverse("api_v1:key_task", kwargs={"task_id": city.finance_task.pk}))
        .json()
    )
    task = city.finance_task
    assert body["code"] == task.code
    assert body["version"] == task.version
    assert body["bureau_code"] == "finance"
    assert body["owner"] == "finance_staff"
    assert body["plan_year"] == city.plan.year
    assert body["sector_number"] == 1
    assert (body["adopted_due_date"], body["deadline_moves"]) == (task.due_date.isoformat(), 0)


def test_lists_filter_and_page(api_for, city):
    client = api_for("mayors_office")
    url = reverse("api_v1:key_tasks")
    everything = client.get(url).json()
    assert everything["count"] == 3
    welfare = client.get(url, {"bureau_id": city.welfare.pk}).json()
    assert [item["code"] for item in welfare["items"]] == ["4-01"]
    paged = client.get(url, {"page": 2, "page_size": 2}).json()
    assert (paged["count"], len(paged["items"]), paged["page"]) == (3, 1, 2)
    beyond = client.get(url, {"page": 9}).json()
    assert beyond["items"] == [] and beyond["count"] == 3


def test_a_missing_thing_is_404_and_a_bad_value_422(api_for, city):
    client = api_for("finance_staff")
    assert client.get(reverse("api_v1:key_task", kwargs={"task_id": 999999})).status_code == 404
    assert client.get(reverse("api_v1:key_tasks"), {"page": 0}).status_code == 422
    assert client.get(reverse("api_v1:key_tasks"), {"status": "lost"}).status_code == 422
    assert client.get("/api/v1/key-tasks/99999999999999999999999").status_code in (404, 422)


@pytest.mark.parametrize("role", sorted(WRITERS))
def test_who_updates_a_key_task(api_for, city, role):
    task = city.finance_task
    before = task.progress
    response = api_for(role).patch(
        reverse("api_v1:key_task_update", kwargs={"task_id": task.pk}),
        {"expected_version": task.version, "status": "at_risk", "progress": 47, "note": "API"},
    )
    assert response.status_code == WRITERS[role], response.content
    task.refresh_from_db()
    if WRITERS[role] == 200:
        assert (task.status, task.progress, task.version) == ("at_risk", 47, 2)
        assert response.json()["version"] == 2
        changed = StatusUpdate.objects.filter(task=task, version=2)
        assert {row.kind for row in changed} >= {"status", "progress"}
        assert {row.changed_by.username for row in changed} == {role}
        assert {row.note for row in changed} == {"API"}
    else:
        assert (task.version, task.progress) == (1, before)


@pytest.mark.parametrize("role", sorted(WRITERS))
def test_who_ticks_off_a_milestone(api_for, city, role):
    milestone = MilestoneFactory(task=city.finance_task)
    response = api_for(role).post(
        reverse("api_v1:milestone_done", kwargs={"milestone_id": milestone.pk}),
        {"expected_version": city.finance_task.version, "done": True},
    )
    assert response.status_code == WRITERS[role], response.content
    milestone.refresh_from_db()
    assert (milestone.done_on is not None) == (WRITERS[role] == 200)


@pytest.mark.parametrize("role", sorted(WRITERS))
def test_who_records_a_figure(api_for, city, role):
    indicator = IndicatorFactory(sector=city.sectors[0], task=city.finance_task)
    response = api_for(role).post(
        reverse("api_v1:figure_record", kwargs={"indicator_id": indicator.pk}),
        {
            "expected_version": city.finance_task.version,
            "value": "1500.5",
            "as_of": "2024-06-30",
            # Behind the target's pace: the figure carries the bureau's reason.
            "note": "상반기 집계분",
        },
    )
    assert response.status_code == WRITERS[role], response.content
    if WRITERS[role] == 200:
        body = response.json()
        assert body["task_version"] == 2
        assert body["figure"]["value"] == "1500.50"
        assert body["figure"]["state"] == "provisional"
        row = StatusUpdate.objects.get(task=city.finance_task, kind="actual")
        assert (row.new_value, row.as_of) == ("1500.5", dt.date(2024, 6, 30))
    else:
        assert not indicator.measurements.exists()


def test_a_write_from_an_old_version_is_a_conflict_showing_what_changed(api_for, city):
    task = city.finance_task
    url = reverse("api_v1:key_task_update", kwargs={"task_id": task.pk})
    head = api_for("economy_head")
    staff = api_for("finance_staff")
    assert head.patch(url, {"expected_version": 1, "status": "at_risk"}).status_code == 200
    response = staff.patch(url, {"expected_version": 1, "progress": 70, "note": "늦은 저장"})
    assert response.status_code == 409
    body = response.json()
    assert body["current_version"] == 2
    assert [(c["kind"], c["new_value"], c["changed_by"]) for c in body["changes"]] == [
        ("status", "at_risk", "economy_head")
    ]
    task.refresh_from_db()
    assert (task.status, task.progress) == ("at_risk", task.progress)
    assert not StatusUpdate.objects.filter(task=task, note="늦은 저장").exists()


def test_a_rule_of_the_plan_refuses_with_the_reason_in_the_persons_language(api_for, city):
    task = city.finance_task
    url = reverse("api_v1:key_task_update", kwargs={"task_id": task.pk})
    response = api_for("finance_staff").patch(
        url, {"expected_version": task.version, "status": "done", "progress": 60}
    )
    assert response.status_code == 422
    body = response.json()
    assert "status" in body["fields"]
    assert "100%" in body["detail"]
    task.refresh_from_db()
    assert task.version == 1


def test_a_published_figure_is_not_changed_through_the_bureaus_route(api_for, city):
    indicator = IndicatorFactory(sector=city.sectors[0], task=city.finance_task)
    indicator.measurements.create(as_of=dt.date(2024, 6, 30), value=Decimal(10), state="final")
    response = api_for("finance_staff").post(
        reverse("api_v1:figure_record", kwargs={"indicator_id": indicator.pk}),
        {"expected_version": 1, "value": "11", "as_of": "2024-06-30"},
    )
    assert response.status_code == 422
    assert "actual" in response.json()["fields"]
    assert indicator.measurements.get().value == 10


def test_a_revoked_token_or_an_inactive_person_gets_401(api_for, city):
    from api.models import ApiToken
    from api.services import issue_token, revoke_token
    from tests.api.conftest import ApiClient

    issued = issue_token(user=city.finance_staff, name="ERP")
    client = ApiClient(issued.raw)
    assert client.get(reverse("api_v1:plans")).status_code == 200
    revoke_token(issued.token, by=city.mayors_office)
    assert client.get(reverse("api_v1:plans")).status_code == 401
    other = issue_token(user=city.other_staff, name="ERP")
    city.other_staff.is_active = False
    city.other_staff.save()
    assert ApiClient(other.raw).get(reverse("api_v1:plans")).status_code == 401
    assert ApiClient("bt_" + "x" * 40).get(reverse("api_v1:plans")).status_code == 401
    assert ApiToken.objects.count() == 2


def test_list_queries_do_not_grow_with_the_number_of_tasks(
    api_for, city, make_task, django_assert_num_queries
):
    """The token with its person, the count, the page: three queries, whatever the size."""
    client = api_for("mayors_office")
    url = reverse("api_v1:key_tasks")
    client.get(url)  # the token's "last used" is written once a minute
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200
    for number in range(20):
        make_task(code=f"9-{number:02d}", bureau=city.welfare, sector=city.sectors[4])
    with django_assert_num_queries(3):
        assert len(client.get(url).json()["items"]) == 23
    assert KeyTask.objects.count() == 23


DIRECTIVE_WRITERS = {
    "anonymous": 401,
    "finance_staff": 403,
    "other_staff": 403,
    "economy_head": 403,
    "welfare_head": 403,
    "mayors_office": 201,
}


@pytest.mark.parametrize("role", sorted(DIRECTIVE_WRITERS))
def test_who_records_a_directive(api_for, city, role):
    session = ReportSessionFactory(sector=city.sectors[0])
    response = api_for(role).post(
        reverse("api_v1:directive_add", kwargs={"session_id": session.pk}),
        {
            "text": "청년 일자리 점검 결과 보고",
            "bureau_id": city.economy.pk,
            "due_date": "2024-03-29",
        },
    )
    assert response.status_code == DIRECTIVE_WRITERS[role], response.content
    if response.status_code == 201:
        directive = Directive.objects.get()
        assert response.json()["key_task_id"] == directive.key_task_id
        assert directive.issued_by == city.mayors_office
        assert directive.key_task.history.get().kind == "created"
    else:
        assert not Directive.objects.exists()


def test_a_directive_due_before_its_session_is_refused_with_the_reason(api_for, city):
    session = ReportSessionFactory(sector=city.sectors[0])
    response = api_for("mayors_office").post(
        reverse("api_v1:directive_add", kwargs={"session_id": session.pk}),
        {"text": "보고할 것", "bureau_id": city.economy.pk, "due_date": "2000-01-01"},
    )
    assert response.status_code == 422
    assert "due_date" in response.json()["fields"]
    assert not Directive.objects.exists()


@pytest.mark.parametrize(
    "name",
    [
        "api_v1:plans",
        "api_v1:sectors",
        "api_v1:milestones",
        "api_v1:indicators",
        "api_v1:sessions",
        "api_v1:directives",
    ],
)
def test_every_list_reads_in_three_queries(api_for, city, name, django_assert_num_queries):
    """The token with its person, the count and the page, whatever the page holds."""
    client = api_for("mayors_office")
    client.get(reverse(name))  # "last used" is written once a minute
    for number in range(3):
        MilestoneFactory(task=city.finance_task)
        IndicatorFactory(sector=city.sectors[1], code=f"Q-{number}")
        ReportSessionFactory(sector=city.sectors[number])
    with django_assert_num_queries(3):
        assert client.get(reverse(name)).status_code == 200


def test_a_figure_behind_pace_without_a_reason_is_refused_like_on_the_page(api_for, city):
    indicator = IndicatorFactory(sector=city.sectors[0], task=city.finance_task)
    response = api_for("finance_staff").post(
        reverse("api_v1:figure_record", kwargs={"indicator_id": indicator.pk}),
        {"expected_version": 1, "value": "1500.5", "as_of": "2024-06-30"},
    )
    assert response.status_code == 422
    assert response.json()["fields"]
    assert not indicator.measurements.exists()
    assert KeyTask.objects.get(pk=city.finance_task.pk).version == 1
