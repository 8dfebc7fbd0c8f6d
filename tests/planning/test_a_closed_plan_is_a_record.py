"""A closed plan is the record of its year. Once the mayor's office closes 2024, nobody
changes its key tasks, milestones, indicators, figures or directives, by any route: the
task page, the in-row update, the managers' page, deadline changes, figures, the queue,
the Excel round trip, the JSON API, a session's directives, the admin. The pages show it
read-only with a note; a write is refused saying why, and nothing changes. Comments and
evidence stay open: they change nothing of the record, and a closed year is still asked
about."""

import datetime as dt
import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from api.services import issue_token
from discussion.models import Comment
from meetings import services as meeting_services
from meetings.models import Directive
from planning import services as planning_services
from plans import deadlines, measurements, services
from plans.models import (
    DeadlineChange,
    Indicator,
    KeyTask,
    Measurement,
    Milestone,
    StatusUpdate,
    WorkPlan,
)
from tests.conftest import client_for
from tests.factories import (
    IndicatorFactory,
    MilestoneFactory,
    ReportSessionFactory,
    UserFactory,
)

NOTE = "2024년 계획은 종료되어 기록으로 보존됩니다"
REFUSED = "2024년 계획은 종료되어 기록으로 보존됩니다. 더 이상 변경할 수 없습니다."
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def year(city):
    """The 2024 plan as the year ends: finance_staff's task with a milestone, an indicator
    with a provisional figure, a deadline change waiting for the economy head, and a
    directive of the sector's January session."""
    task = city.finance_task
    milestone = MilestoneFactory(task=task, title_ko="사업 공모", due_date=dt.date(2024, 6, 30))
    indicator = IndicatorFactory(sector=task.sector, task=task, code="K-JOBS", target=1000)
    figure = measurements.record_measurement(
        indicator,
        by=city.finance_staff,
        as_of=dt.date(2024, 3, 31),
        value=Decimal(400),
        note="1분기",
    )
    change = deadlines.request_deadline_change(
        task,
        by=city.finance_staff,
        expected_version=task.version,
        new_due_date=dt.date(2026, 12, 20),
        reason="인허가 지연",
    )
    session = ReportSessionFactory(sector=city.sectors[0])
    directive = meeting_services.add_directive(
        session,
        by=city.mayors_office,
        text="청년 일자리 점검 결과를 보고할 것",
        bureau=city.economy,
        due_date=dt.date(2024, 6, 28),
    )
    return SimpleNamespace(
        task=KeyTask.objects.get(pk=task.pk),
        milestone=milestone,
        indicator=indicator,
        figure=figure,
        change=change,
        session=session,
        directive=directive,
    )


@pytest.fixture
def closed(city, year):
    planning_services.close_plan(by=city.mayors_office, plan=city.plan)
    return year


def snapshot():
    """Everything a closed plan keeps as it was."""
    return (
        list(KeyTask.objects.order_by("pk").values_list("pk", "version", "status", "progress")),
        list(KeyTask.objects.order_by("pk").values_list("due_date", "owner", "title_ko")),
        list(Milestone.objects.order_by("pk").values_list("title_ko", "order", "done_on")),
        list(Indicator.objects.order_by("pk").values_list("code", "target")),
        list(Measurement.objects.order_by("pk").values_list("value", "state")),
        list(DeadlineChange.objects.order_by("pk").values_list("state", "awaiting")),
        list(Directive.objects.order_by("pk").values_list("text", "bureau", "due_date")),
        StatusUpdate.objects.count(),
    )


def refused(response) -> bool:
    return response.status_code == 403 and REFUSED in response.content.decode()


# --- the pages --------------------------------------------------------------------------


def test_the_task_page_shows_the_record_read_only_with_a_note(city, closed):
    for user in (city.finance_staff, city.economy_head, city.mayors_office):
        page = client_for(user).get(reverse("plans:task_detail", args=[closed.task.pk]))
        body = page.content.decode()
        assert page.status_code == 200
        assert NOTE in body
        assert not page.context["can_edit"] and not page.context["can_manage"]
        assert page.context["deadline_form"] is None and page.context["edit_form"] is None
        for name in ("task_edit", "task_measurement", "task_deadline", "task_manage"):
            assert reverse(f"plans:{name}", args=[closed.task.pk]) not in body, name
        toggle = reverse("plans:milestone_toggle", args=[closed.task.pk, closed.milestone.pk])
        assert toggle not in body
        assert reverse("plans:deadline_decide", args=[closed.task.pk, closed.change.pk]) not in body
        verify = reverse("plans:figure_verify", args=[closed.task.pk, closed.figure.pk])
        assert verify not in body
        # The history and the deadline change it waited on stay readable.
        assert "인허가 지연" in body


def test_an_open_plans_task_page_shows_no_note(city, year):
    page = client_for(city.finance_staff).get(reverse("plans:task_detail", args=[year.task.pk]))
    assert NOTE not in page.content.decode() and page.context["can_edit"]


def test_the_owner_cannot_update_it_in_the_row_with_or_without_javascript(city, closed):
    staff = client_for(city.finance_staff)
    url = reverse("plans:task_update", args=[closed.task.pk])
    before = snapshot()
    assert refused(staff.get(url))
    data = {"version": closed.task.version, "status": "done", "progress": 100, "note": "끝"}
    assert refused(staff.post(url, data))
    # A form left open on a page read before the plan closed: the page reloads, read-only.
    response = staff.post(url, data, **HTMX)
    assert response.headers.get("HX-Refresh") == "true"
    page = staff.get(reverse("plans:task_detail", args=[closed.task.pk])).content.decode()
    assert REFUSED in page  # the reason, as a message on the reloaded page
    assert snapshot() == before


def test_the_task_pages_writes_are_refused(city, closed):
    task, head = closed.task, client_for(city.economy_head)
    before = snapshot()
    writes = {
        "plans:task_edit": {"version": task.version, "status": "delayed", "progress": 40},
        "plans:task_measurement": {
            "version": task.version,
            "indicator": closed.indicator.pk,
            "as_of": "2024-06-30",
            "value": "800",
        },
    }
    for name, data in writes.items():
        assert refused(head.post(reverse(name, args=[task.pk]), data)), name
    toggle = reverse("plans:milestone_toggle", args=[task.pk, closed.milestone.pk])
    assert refused(head.post(toggle, {"version": task.version, "done": "on"}))
    assert snapshot() == before


def test_the_managers_page_and_its_milestones_are_refused(city, closed):
    task, milestone = closed.task, closed.milestone
    before = snapshot()
    for user in (city.economy_head, city.mayors_office):
        client = client_for(user)
        assert refused(client.get(reverse("plans:task_manage", args=[task.pk])))
        posts = [
            (reverse("plans:task_manage", args=[task.pk]), {"version": task.version}),
            (
                reverse("plans:milestone_add", args=[task.pk]),
                {"version": task.version, "title_ko": "추가", "due_date": "2024-09-30"},
            ),
            (
                reverse("plans:milestone_edit", args=[task.pk, milestone.pk]),
                {"version": task.version, "title_ko": "바꿈", "due_date": "2024-06-30"},
            ),
            (
                reverse("plans:milestone_move", args=[task.pk, milestone.pk]),
                {"version": task.version, "direction": "down"},
            ),
            (
                reverse("plans:task_drop", args=[task.pk]),
                {"version": task.version, "reason": "종료"},
            ),
        ]
        for url, data in posts:
            assert refused(client.post(url, data)), (user, url)
    assert snapshot() == before


def test_a_new_key_task_cannot_be_added_to_a_closed_plan(city, closed):
    # With no adopted plan left, the current plan is the closed 2024 one.
    assert refused(client_for(city.mayors_office).get(reverse("plans:task_create")))
    with pytest.raises(ValidationError, match="종료되어"):
        services.create_key_task(
            by=city.mayors_office,
            sector=city.sectors[0],
            bureau=city.economy,
            code="1-99",
            title_ko="새 과제",
            start_date=dt.date(2024, 1, 1),
            due_date=dt.date(2024, 12, 31),
        )


def test_deadlines_are_neither_requested_nor_decided(city, closed):
    task = closed.task
    before = snapshot()
    ask = {"version": task.version, "new_due_date": "2027-01-31", "reason": "연장"}
    for user in (city.finance_staff, city.economy_head, city.mayors_office):
        assert refused(client_for(user).post(reverse("plans:task_deadline", args=[task.pk]), ask))
    decide = reverse("plans:deadline_decide", args=[task.pk, closed.change.pk])
    assert refused(client_for(city.economy_head).post(decide, {"decision": "approve"}))
    with pytest.raises(ValidationError, match="종료되어"):
        deadlines.decide_deadline_change(closed.change, by=city.economy_head, approve=True)
    # Nor withdrawn: the request stays on record as it was when the year closed.
    withdraw = reverse("plans:deadline_withdraw", args=[task.pk, closed.change.pk])
    for user in (closed.change.requested_by, city.economy_head):
        assert refused(client_for(user).post(withdraw, {"reason": "철회"}))
    page = client_for(city.economy_head).get(reverse("plans:task_detail", args=[task.pk]))
    assert withdraw not in page.content.decode()
    assert snapshot() == before


def test_figures_are_neither_recorded_revised_nor_verified(city, closed):
    before = snapshot()
    verify = reverse("plans:figure_verify", args=[closed.task.pk, closed.figure.pk])
    assert refused(client_for(city.mayors_office).post(verify))
    for write in (
        lambda: measurements.record_measurement(
            closed.indicator, by=city.finance_staff, as_of=dt.date(2024, 9, 30), value=700
        ),
        lambda: measurements.revise_measurement(closed.figure, by=city.mayors_office, value=1),
        lambda: measurements.verify_measurement(closed.figure, by=city.mayors_office),
        lambda: services.verify_figure(closed.figure, by=city.mayors_office),
    ):
        with pytest.raises(ValidationError, match="종료되어"):
            write()
    assert snapshot() == before


def test_no_service_writes_to_a_closed_plans_task(city, closed):
    task = closed.task
    with pytest.raises(ValidationError, match="종료되어"):
        services.update_key_task(
            task, by=city.economy_head, expected_version=task.version, note="x"
        )
    with pytest.raises(ValidationError, match="종료되어"):
        services.toggle_milestone(
            closed.milestone, by=city.finance_staff, expected_version=task.version, done=True
        )


# --- the queue --------------------------------------------------------------------------


def test_the_queue_no_longer_asks_anything_of_a_closed_plan(city, closed):
    KeyTask.objects.filter(pk=closed.task.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=60)
    )
    staff = client_for(city.finance_staff).get(reverse("inbox:queue")).content.decode()
    assert f'id="queue-tasks-{closed.task.pk}"' not in staff
    head = client_for(city.economy_head).get(reverse("inbox:queue")).content.decode()
    assert f'id="queue-deadlines-{closed.change.pk}"' not in head
    office = client_for(city.mayors_office).get(reverse("inbox:queue")).content.decode()
    assert f'id="queue-figures-{closed.figure.pk}"' not in office


def test_an_action_from_a_queue_read_before_closing_is_refused_beside_the_item(city, closed):
    before = snapshot()
    for user, url in [
        (city.finance_staff, reverse("inbox:act", args=["tasks", closed.task.pk, "checked"])),
        (
            city.economy_head,
            reverse("inbox:act", args=["deadlines", closed.change.pk, "approve"]),
        ),
        (city.mayors_office, reverse("inbox:act", args=["figures", closed.figure.pk, "verify"])),
    ]:
        response = client_for(user).post(url, **HTMX)
        assert response.status_code == 200 and REFUSED in response.content.decode(), url
    assert snapshot() == before


# --- the Excel round trip and the API ---------------------------------------------------


def test_the_excel_round_trip_leaves_a_closed_plan_out_and_refuses_its_rows(city, year):
    head = client_for(city.economy_head)
    book = load_workbook(io.BytesIO(head.get(reverse("bulk:download")).content))
    sheet = book.worksheets[0]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == year.task.pk)
    sheet.cell(row, 7).value = 90
    buffer = io.BytesIO()
    book.save(buffer)
    planning_services.close_plan(by=city.mayors_office, plan=city.plan)
    before = snapshot()

    again = load_workbook(io.BytesIO(head.get(reverse("bulk:download")).content))
    assert again.worksheets[0].max_row == 1  # the headings only: nothing left to update
    file = io.BytesIO(buffer.getvalue())
    file.name = "tasks.xlsx"
    response = head.post(reverse("bulk:home"), {"file": file})
    summary = head.get(response["Location"]).context["summary"]
    reasons = {found["task_id"]: found["reasons"] for found in summary.refused}
    assert reasons[year.task.pk] == [REFUSED]
    assert not summary.can_apply
    assert snapshot() == before


def test_the_api_refuses_with_the_reason(city, closed):
    def call(user, method, url, body):
        token = issue_token(user=user, name="test").raw
        client = client_for(user)
        return getattr(client, method)(
            url, body, content_type="application/json", headers={"Authorization": f"Bearer {token}"}
        )

    task = closed.task
    before = snapshot()
    for user, method, url, body in [
        (
            city.finance_staff,
            "patch",
            reverse("api_v1:key_task_update", kwargs={"task_id": task.pk}),
            {"expected_version": task.version, "progress": 90},
        ),
        (
            city.finance_staff,
            "post",
            reverse("api_v1:milestone_done", kwargs={"milestone_id": closed.milestone.pk}),
            {"expected_version": task.version, "done": True},
        ),
        (
            city.finance_staff,
            "post",
            reverse("api_v1:figure_record", kwargs={"indicator_id": closed.indicator.pk}),
            {"expected_version": task.version, "value": "900", "as_of": "2024-09-30"},
        ),
        (
            city.mayors_office,
            "post",
            reverse("api_v1:directive_add", kwargs={"session_id": closed.session.pk}),
            {"text": "보고할 것", "bureau_id": city.economy.pk, "due_date": "2024-12-31"},
        ),
    ]:
        response = call(user, method, url, body)
        assert response.status_code == 403, url
        assert response.json()["detail"] == REFUSED
    assert snapshot() == before


# --- a session's directives -------------------------------------------------------------


def test_a_closed_plans_session_takes_no_directive_and_its_directives_stay_as_recorded(
    city, closed
):
    office = client_for(city.mayors_office)
    before = snapshot()
    page = office.get(reverse("meetings:session_detail", args=[closed.session.pk]))
    body = page.content.decode()
    assert "지시사항과 그 핵심과제는 더 이상 변경되지 않습니다" in body
    assert reverse("meetings:directive_add", args=[closed.session.pk]) not in body
    assert reverse("meetings:directive_edit", args=[closed.directive.pk]) not in body
    add = reverse("meetings:directive_add", args=[closed.session.pk])
    data = {"text": "새 지시", "bureau": city.economy.pk, "due_date": "2024-12-31"}
    assert refused(office.post(add, data))
    edit = reverse("meetings:directive_edit", args=[closed.directive.pk])
    assert refused(office.get(edit))
    assert refused(office.post(edit, {"text": "바꾼 지시"}))
    listed = office.get(reverse("meetings:directive_list")).content.decode()
    assert edit not in listed and "기록 보존" in listed
    assert snapshot() == before


# --- the admin, and what stays open -----------------------------------------------------


def test_the_admin_shows_a_closed_plans_task_and_indicator_without_changing_them(client, closed):
    client.force_login(UserFactory(username="city_it", is_staff=True, is_superuser=True))
    before = snapshot()
    for model, pk in ((KeyTask, closed.task.pk), (Indicator, closed.indicator.pk)):
        url = reverse(f"admin:plans_{model._meta.model_name}_change", args=[pk])
        page = client.get(url)
        assert page.status_code == 200
        assert not page.context["has_change_permission"]
        assert client.post(url, {"title_ko": "바꿈"}).status_code == 403
    assert snapshot() == before


def test_comments_and_evidence_stay_open_on_a_closed_plans_task(city, closed):
    staff = client_for(city.finance_staff)
    response = staff.post(
        reverse("discussion:comment", args=[closed.task.pk]), {"body": "결산 자료를 올립니다."}
    )
    assert response.status_code in (200, 302)
    assert Comment.objects.filter(task=closed.task, body="결산 자료를 올립니다.").exists()


def test_closing_is_the_only_stage_that_freezes(city, year):
    assert city.plan.stage == WorkPlan.Stage.ADOPTED
    task = services.update_key_task(
        year.task, by=city.economy_head, expected_version=year.task.version, progress=45
    )
    assert task.progress == 45
