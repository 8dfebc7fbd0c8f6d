"""Key tasks managed in the tracker: the mayor's office, and bureau heads within their
bureaus, create a key task, assign its owner among the bureau's people, add, edit and
reorder milestones, disclose it (mayor's office) and drop it with a reason. Every change
is in the task's history; nothing is deleted."""

import datetime as dt

import pytest
from django.urls import reverse

from plans import history, services
from plans.models import KeyTask, Milestone, StatusUpdate
from tests.conftest import client_for
from tests.factories import MilestoneFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def new_task(city, **overrides):
    return {
        "sector": city.sectors[0].pk,
        "bureau": city.finance.pk,
        "code": "1-20",
        "title_ko": "디지털 금융 인재 양성",
        "title_en": "",
        "description_ko": "블록체인·핀테크 전문 인력 양성",
        "pillar_ko": "혁신",
        "priority": 2,
        "start_date": "2024-02-01",
        "due_date": "2024-11-30",
        "owner": city.finance_staff.pk,
        **overrides,
    }


def test_a_bureau_head_creates_a_key_task_in_their_bureau(head_client, city):
    response = head_client.post(reverse("plans:task_create"), new_task(city))
    task = KeyTask.objects.get(code="1-20")
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:task_manage", args=[task.pk])
    assert (task.bureau, task.owner, task.status) == (
        city.finance,
        city.finance_staff,
        "not_started",
    )
    assert not task.is_public  # disclosure is the mayor's office's decision
    created = task.history.get()
    assert (created.kind, created.new_value, created.changed_by) == (
        "created",
        StatusUpdate.Origin.PRODUCT,
        city.economy_head,
    )


def test_a_bureau_head_cannot_create_in_another_bureau(head_client, city):
    response = head_client.post(
        reverse("plans:task_create"), new_task(city, bureau=city.welfare.pk)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["bureau"]
    assert not KeyTask.objects.filter(code="1-20").exists()


def test_the_owner_is_one_of_the_bureaus_people(office_client, city):
    response = office_client.post(
        reverse("plans:task_create"), new_task(city, owner=city.welfare_head.pk)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["owner"]
    assert not KeyTask.objects.filter(code="1-20").exists()


def test_the_mayors_office_creates_a_public_task_in_any_bureau(office_client, city):
    data = new_task(city, bureau=city.welfare.pk, owner=city.welfare_head.pk, is_public="on")
    assert office_client.post(reverse("plans:task_create"), data).status_code == 302
    task = KeyTask.objects.get(code="1-20")
    assert task.is_public and task.bureau == city.welfare


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"code": "1-01"}, "code"),  # taken
        ({"due_date": "2024-01-01"}, "due_date"),
        ({"start_date": "yesterday"}, "start_date"),
        ({"title_ko": ""}, "title_ko"),
        ({"sector": "x"}, "sector"),
    ],
)
def test_bad_input_is_a_message_keeping_what_was_typed(office_client, city, overrides, field):
    response = office_client.post(reverse("plans:task_create"), new_task(city, **overrides))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert "블록체인·핀테크 전문 인력 양성" in response.content.decode()


def test_staff_cannot_create_or_manage(city):
    client = client_for(city.finance_staff)
    task = city.finance_task  # owned by finance_staff: they update it, not manage it
    assert client.get(reverse("plans:task_create")).status_code == 403
    assert client.get(reverse("plans:task_manage", args=[task.pk])).status_code == 403
    assert (
        client.post(
            reverse("plans:task_drop", args=[task.pk]), {"version": 1, "reason": "x"}
        ).status_code
        == 403
    )


def test_the_head_assigns_the_owner_and_the_history_says_so(head_client, city):
    task = city.economy_task
    url = reverse("plans:task_manage", args=[task.pk])
    page = head_client.get(url)
    assert "is_public" not in page.context["details_form"].fields
    data = {
        "version": task.version,
        "title_ko": task.title_ko,
        "title_en": task.title_en,
        "description_ko": task.description_ko,
        "pillar_ko": task.pillar_ko,
        "owner": city.other_staff.pk,
        "note": "담당자 변경",
    }
    assert head_client.post(url, data).status_code == 302
    task.refresh_from_db()
    assert task.owner == city.other_staff
    row = task.history.get(kind="owner")
    assert row.note == "담당자 변경" and row.changed_by == city.economy_head


def test_only_the_mayors_office_discloses(office_client, city):
    task = city.economy_task
    url = reverse("plans:task_manage", args=[task.pk])
    data = {
        "version": task.version,
        "title_ko": task.title_ko,
        "owner": "",
        "is_public": "on",
    }
    assert office_client.post(url, data).status_code == 302
    task.refresh_from_db()
    assert task.is_public
    assert task.history.get(kind="is_public").new_value == "true"


def test_milestones_are_added_edited_and_reordered_with_history(head_client, city):
    task = city.economy_task
    task.start_date, task.due_date = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    task.save()
    add = reverse("plans:milestone_add", args=[task.pk])
    for version, (title, day) in enumerate(
        [("기본계획 수립", "2024-03-31"), ("사업자 선정", "2024-06-30"), ("준공", "2024-12-15")],
        start=task.version,
    ):
        response = head_client.post(add, {"version": version, "title_ko": title, "due_date": day})
        assert response.status_code == 302
    first, second, third = Milestone.objects.filter(task=task)
    assert [m.order for m in (first, second, third)] == [1, 2, 3]
    task.refresh_from_db()
    # Reorder without JavaScript: a plain POST, back to the page.
    move = reverse("plans:milestone_move", args=[task.pk, third.pk])
    response = head_client.post(move, {"version": task.version, "direction": "up"})
    assert response.status_code == 302 and response["Location"].endswith("#milestones")
    assert list(Milestone.objects.filter(task=task).values_list("title_ko", flat=True)) == [
        "기본계획 수립",
        "준공",
        "사업자 선정",
    ]
    # …and with HTMX: the roadmap fragment.
    task.refresh_from_db()
    response = head_client.post(
        reverse("plans:milestone_move", args=[task.pk, first.pk]),
        {"version": task.version, "direction": "down"},
        **HTMX,
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<section class="section card" id="milestones"')
    assert content.index("준공") < content.index("기본계획 수립") < content.index("사업자 선정")
    task.refresh_from_db()
    edit = reverse("plans:milestone_edit", args=[task.pk, second.pk])
    # Its due date moves through a deadline change (plans.deadlines), not here.
    data = {"version": task.version, "title_ko": "민간사업자 선정", "due_date": "2024-07-31"}
    response = head_client.post(edit, data)
    assert response.status_code == 200
    assert "기한 변경" in response.content.decode() or response.context["page"]
    second.refresh_from_db()
    assert second.due_date == dt.date(2024, 6, 30)
    data = {**data, "due_date": "2024-06-30", "note": "명칭 정정"}
    assert head_client.post(edit, data).status_code == 302
    second.refresh_from_db()
    assert (second.title_ko, second.due_date) == ("민간사업자 선정", dt.date(2024, 6, 30))
    kinds = list(task.history.order_by("id").values_list("kind", flat=True))
    assert kinds.count("milestone_added") == 3 and kinds.count("milestone_moved") == 2
    edited = task.history.get(kind="milestone_edited")
    assert edited.old_value == "사업자 선정 · 2024-06-30"
    assert edited.new_value == "민간사업자 선정 · 2024-06-30" and edited.note == "명칭 정정"
    lines = [line.label for entry in history.recent_history(task) for line in entry.lines]
    assert any("민간사업자 선정" in label for label in lines)


def test_a_milestone_outside_the_schedule_or_stale_is_refused(head_client, city):
    task = city.economy_task
    add = reverse("plans:milestone_add", args=[task.pk])
    late = (task.due_date + dt.timedelta(days=1)).isoformat()
    response = head_client.post(
        add, {"version": task.version, "title_ko": "늦은 단계", "due_date": late}
    )
    assert response.status_code == 200
    assert response.context["milestone_form"].errors["due_date"]
    response = head_client.post(
        add,
        {"version": task.version + 5, "title_ko": "단계", "due_date": task.due_date.isoformat()},
    )
    assert response.status_code == 200
    assert response.context["page"].conflict is not None
    assert not Milestone.objects.filter(task=task).exists()


def test_a_garbled_move_is_not_an_error(head_client, city):
    task = city.economy_task
    milestone = MilestoneFactory(task=task, due_date=task.due_date)
    url = reverse("plans:milestone_move", args=[task.pk, milestone.pk])
    for data in ({}, {"version": "x"}, {"version": task.version, "direction": "left"}):
        assert head_client.post(url, data, **HTMX).status_code == 200


def test_dropping_is_a_state_with_its_reason_never_a_delete(head_client, city):
    task = city.economy_task
    task.refresh_from_db()
    before = task.status
    url = reverse("plans:task_drop", args=[task.pk])
    response = head_client.post(url, {"version": task.version, "reason": ""})
    assert response.status_code == 200 and response.context["drop_form"].errors["reason"]
    response = head_client.post(url, {"version": task.version, "reason": "국비 미확보로 사업 중단"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "dropped"
    row = task.history.get(kind="status")
    assert (row.old_value, row.new_value, row.note) == (
        before,
        "dropped",
        "국비 미확보로 사업 중단",
    )
    assert KeyTask.objects.filter(pk=task.pk).exists()


def test_the_service_refuses_an_owner_outside_the_bureau(city):
    task = city.finance_task
    with pytest.raises(Exception) as refused:
        services.manage_key_task(
            task, by=city.economy_head, expected_version=task.version, owner=city.welfare_head
        )
    assert "owner" in refused.value.message_dict


def test_the_managers_page_reads_a_fixed_number_of_queries(
    head_client, city, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    task = city.economy_task
    url = reverse("plans:task_manage", args=[task.pk])
    MilestoneFactory(task=task, due_date=task.due_date)
    head_client.get(url)
    with CaptureQueriesContext(connection) as few:
        head_client.get(url)
    # The task and its roadmap are read once (the page read them twice before).
    read = [query["sql"].split(" FROM ")[1].split()[0] for query in few.captured_queries]
    assert read.count('"plans_keytask"') == 1 and read.count('"plans_milestone"') == 1
    for number in range(6):
        MilestoneFactory(task=task, order=number + 2, due_date=task.due_date)
    with django_assert_num_queries(len(few.captured_queries)):
        response = head_client.get(url)
    assert len(response.context["milestones"]) == 7


def test_each_write_answers_htmx_with_its_fragment(head_client, city):
    task = city.economy_task
    milestone = MilestoneFactory(task=task, due_date=task.due_date)
    for url, fragment in [
        (reverse("plans:task_manage", args=[task.pk]), 'id="details"'),
        (reverse("plans:milestone_add", args=[task.pk]), 'id="milestones"'),
        (reverse("plans:milestone_edit", args=[task.pk, milestone.pk]), 'id="milestones"'),
        (reverse("plans:task_drop", args=[task.pk]), 'id="drop"'),
    ]:
        response = head_client.post(url, {"version": task.version}, **HTMX)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert fragment in content and "<html" not in content, url
