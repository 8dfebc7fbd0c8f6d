"""Directives followed up: the mayor's office edits a directive and assigns it to a
bureau and an owner with a due date (through the follow-up key task's versioned update,
recorded in its history); a list across sessions with filters and XLSX/CSV files."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from meetings import services
from meetings.models import Directive
from plans.models import StatusUpdate
from plans.services import EditConflict, update_key_task
from tests.conftest import client_for
from tests.factories import ReportSessionFactory
from tests.mayors_office.conftest import KST


@pytest.fixture
def directive(city, sessions):
    return services.add_directive(
        sessions[0],
        by=city.mayors_office,
        text="골목상권 활성화 방안 보고",
        bureau=city.economy,
        due_date=dt.date(2024, 3, 31),
    )


def edit_data(directive, **overrides):
    return {
        "text": directive.text,
        "bureau": directive.bureau_id,
        "owner": "",
        "due_date": directive.due_date.isoformat(),
        "note": "",
        "version": directive.key_task.version,
        **overrides,
    }


def test_the_mayors_office_assigns_a_directive_to_a_bureau_owner_and_due_date(
    office_client, city, directive
):
    url = reverse("meetings:directive_edit", args=[directive.pk])
    assert office_client.get(url).status_code == 200
    data = edit_data(
        directive,
        bureau=city.finance.pk,
        owner=city.finance_staff.pk,
        due_date="2024-04-30",
        note="금융 부서로 이관",
    )
    response = office_client.post(url, data)
    assert response.status_code == 302
    directive.refresh_from_db()
    task = directive.key_task
    assert (directive.bureau, directive.due_date) == (city.finance, dt.date(2024, 4, 30))
    assert (task.bureau, task.owner, task.due_date) == (
        city.finance,
        city.finance_staff,
        dt.date(2024, 4, 30),
    )
    rows = {row.kind: row for row in task.history.filter(version=task.version)}
    assert set(rows) == {"bureau", "owner"}
    assert rows["owner"].changed_by == city.mayors_office
    assert rows["owner"].note == "금융 부서로 이관"
    # The due date moved through the one deadline rule, with the reason, the version before.
    moved = {row.kind: row for row in task.history.filter(version=task.version - 1)}
    assert set(moved) == {"deadline_request", "deadline_approved"}
    assert moved["deadline_approved"].old_value == "2024-03-31"
    assert moved["deadline_approved"].new_value == "2024-04-30"
    assert moved["deadline_request"].note == "금융 부서로 이관"


def test_moving_a_directives_due_date_needs_a_reason(office_client, city, directive):
    url = reverse("meetings:directive_edit", args=[directive.pk])
    response = office_client.post(url, edit_data(directive, due_date="2024-05-31"))
    assert response.status_code == 200
    assert response.context["form"].errors["note"]
    directive.refresh_from_db()
    assert directive.due_date == dt.date(2024, 3, 31)


def test_the_owner_is_one_of_the_bureaus_people(office_client, city, directive):
    url = reverse("meetings:directive_edit", args=[directive.pk])
    # The welfare head is not one of the finance bureau's people.
    data = edit_data(directive, bureau=city.finance.pk, owner=city.welfare_head.pk)
    response = office_client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["owner"]
    directive.refresh_from_db()
    assert directive.key_task.owner is None and directive.bureau == city.economy
    # The head of the bureau above counts among the economy bureau's people.
    owners = set(response.context["form"].fields["owner"].queryset)
    assert owners == {city.finance_staff, city.other_staff}


def test_a_stale_edit_keeps_what_was_typed_and_changes_nothing(office_client, city, directive):
    task = directive.key_task
    update_key_task(
        task, by=city.economy_head, expected_version=task.version, status="on_track", progress=10
    )
    url = reverse("meetings:directive_edit", args=[directive.pk])
    response = office_client.post(url, edit_data(directive, text="수정된 지시"))
    assert response.status_code == 200
    assert response.context["conflict"] is not None
    assert response.context["form"]["text"].value() == "수정된 지시"
    assert response.context["form"]["version"].value() == str(task.version + 1)
    directive.refresh_from_db()
    assert directive.text == "골목상권 활성화 방안 보고"


def test_the_service_refuses_a_stale_version(city, directive):
    with pytest.raises(EditConflict):
        services.edit_directive(
            directive,
            by=city.mayors_office,
            expected_version=99,
            text="x",
            bureau=city.economy,
            owner=None,
            due_date=dt.date(2024, 3, 31),
        )


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"text": "   "}, "text"),
        ({"due_date": "2023-12-31"}, "due_date"),
        ({"due_date": "31/12/2024"}, "due_date"),
        ({"bureau": "999999"}, "bureau"),
        ({"owner": "abc"}, "owner"),
    ],
)
def test_bad_input_is_a_message_in_korean_keeping_what_was_typed(
    office_client, directive, overrides, field
):
    url = reverse("meetings:directive_edit", args=[directive.pk])
    response = office_client.post(url, edit_data(directive, **overrides))
    assert response.status_code == 200
    assert response.context["form"].errors[field]


def test_only_the_mayors_office_edits_directives(city, directive):
    url = reverse("meetings:directive_edit", args=[directive.pk])
    for user in (city.economy_head, city.welfare_head, city.finance_staff, city.other_staff):
        client = client_for(user)
        assert client.get(url).status_code == 403
        assert client.post(url, edit_data(directive, text="x")).status_code == 403
    directive.refresh_from_db()
    assert directive.text == "골목상권 활성화 방안 보고"


def test_the_list_filters_by_state_overdue_bureau_and_session(office_client, city, sessions):
    first = services.add_directive(
        sessions[0],
        by=city.mayors_office,
        text="가",
        bureau=city.economy,
        due_date=dt.date(2024, 3, 31),
    )
    second = services.add_directive(
        sessions[1],
        by=city.mayors_office,
        text="나",
        bureau=city.welfare,
        due_date=dt.date(2099, 3, 31),
    )
    task = second.key_task
    task = update_key_task(
        task, by=city.welfare_head, expected_version=task.version, status="on_track", progress=100
    )
    update_key_task(task, by=city.welfare_head, expected_version=task.version, status="done")
    url = reverse("meetings:directive_list")

    def listed(**params):
        return list(office_client.get(url, params).context["page"].object_list)

    assert listed() == [second, first]  # newest session first
    assert listed(state="open") == [first]
    assert listed(state="done") == [second]
    assert listed(overdue="on") == [first]
    assert listed(bureau=city.welfare.pk) == [second]
    assert listed(session=sessions[0].pk) == [first]
    # Filters it cannot read are left out, with a message, not an error.
    response = office_client.get(url, {"state": "x", "bureau": "y", "session": "-1", "page": "z"})
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [second, first]


def test_the_list_answers_htmx_with_its_results_fragment(office_client, directive):
    response = office_client.get(reverse("meetings:directive_list"), HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="results"')
    assert "골목상권 활성화 방안 보고" in content


def test_bureau_heads_read_the_list_and_staff_do_not(city, directive):
    url = reverse("meetings:directive_list")
    assert client_for(city.economy_head).get(url).status_code == 200
    assert client_for(city.finance_staff).get(url).status_code == 403
    assert client_for(city.finance_staff).get(reverse("meetings:directives_csv")).status_code == 403


def test_the_files_hold_the_filtered_directives_and_are_formula_safe(office_client, city, sessions):
    services.add_directive(
        sessions[0],
        by=city.mayors_office,
        text='=HYPERLINK("http://x")',
        bureau=city.economy,
        due_date=dt.date(2024, 3, 31),
    )
    services.add_directive(
        sessions[1],
        by=city.mayors_office,
        text="+복지 지시",
        bureau=city.welfare,
        due_date=dt.date(2024, 3, 31),
    )
    response = office_client.get(reverse("meetings:directives_csv"), {"bureau": city.economy.pk})
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["보고회", "분야", "시장 지시사항"]
    assert len(rows) == 2
    assert rows[1][2] == '\'=HYPERLINK("http://x")'
    assert rows[1][0] == "2024-01-15"
    response = office_client.get(reverse("meetings:directives_xlsx"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    texts = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert set(texts) == {'=HYPERLINK("http://x")', "+복지 지시"}
    for row in sheet.iter_rows(min_row=2):
        assert row[2].data_type == "s"
    assert isinstance(sheet.cell(row=2, column=1).value, dt.datetime)


def test_the_list_reads_a_fixed_number_of_queries(
    office_client, city, sessions, django_assert_num_queries
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("meetings:directive_list")
    services.add_directive(
        sessions[0],
        by=city.mayors_office,
        text="하나",
        bureau=city.economy,
        due_date=dt.date(2024, 3, 31),
    )
    # Both reads find nothing in the cache: everything the list shows is read anew.
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        office_client.get(url)
    for number in range(8):
        directive = services.add_directive(
            sessions[number % 2],
            by=city.mayors_office,
            text=f"지시 {number}",
            bureau=city.finance,
            due_date=dt.date(2024, 3, 31),
        )
        services.edit_directive(
            directive,
            by=city.mayors_office,
            expected_version=directive.key_task.version,
            text=directive.text,
            bureau=city.finance,
            owner=city.finance_staff,
            due_date=directive.due_date,
        )
    cache.clear()
    with django_assert_num_queries(len(few.captured_queries)):
        response = office_client.get(url)
    assert response.context["page"].paginator.count == 9


def test_open_directives_come_back_at_the_sectors_next_session_and_leave_when_done(
    office_client, city, directive
):
    later = ReportSessionFactory(
        sector=city.sectors[0],
        starts_at=dt.datetime(2025, 1, 13, 10, 0, tzinfo=KST),
        ends_at=dt.datetime(2025, 1, 13, 12, 0, tzinfo=KST),
    )
    page = office_client.get(reverse("meetings:session_detail", args=[later.pk]))
    assert page.context["follow_ups"] == [directive]
    agenda = page.content.decode().split('id="agenda"', 1)[1].split("</section>", 1)[0]
    assert "골목상권 활성화 방안 보고" in agenda and "이행 점검" in agenda
    task = directive.key_task
    task = update_key_task(
        task, by=city.economy_head, expected_version=task.version, status="on_track", progress=100
    )
    update_key_task(task, by=city.economy_head, expected_version=task.version, status="done")
    page = office_client.get(reverse("meetings:session_detail", args=[later.pk]))
    assert page.context["follow_ups"] == []
    assert Directive.objects.in_state("done").get() == directive
    assert StatusUpdate.objects.filter(task=task, kind="status").count() == 2
