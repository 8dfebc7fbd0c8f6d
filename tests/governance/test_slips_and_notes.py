"""A slip (adopted deadline → current, times moved) shows on the task page, the city-wide
list, My tasks, the exports, the briefing pack and the public pages; the bureau's latest note (the
"why") travels beside the status in the list, the exports and the briefing pack, never
to the public."""

import csv
import datetime as dt
import io
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from plans import deadlines, services
from tests.conftest import client_for
from tests.factories import ReportSessionFactory

SLIP = "slipped from Thu 31 Oct 2024 (moved 1 time)"


@pytest.fixture
def slipped(city, staff_task):
    """staff_task moved by its head to 10 Nov 2024, with a note written since."""
    deadlines.request_deadline_change(
        staff_task,
        by=city.economy_head,
        expected_version=1,
        new_due_date=dt.date(2024, 11, 10),
        reason="Permit late",
    )
    staff_task.refresh_from_db()
    services.update_key_task(
        staff_task,
        by=city.finance_staff,
        expected_version=staff_task.version,
        status="at_risk",
        note="Waiting for the district permit",
    )
    staff_task.refresh_from_db()
    return staff_task


def test_the_public_pages_show_the_slip_and_no_note(client, slipped):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in (reverse("review:public"), reverse("review:public_task", args=[slipped.pk])):
        body = client.get(url).content.decode()
        assert SLIP in body
        assert "district permit" not in body and "Permit late" not in body


def test_a_task_as_adopted_shows_no_slip(client, city, staff_task):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(reverse("review:public")).content.decode()
    assert "slipped from" not in body


def test_the_city_wide_list_shows_the_slip_and_the_latest_note(office_client, slipped):
    body = office_client.get(reverse("review:task_list"), {"flag": "all"}).content.decode()
    assert SLIP in body
    assert "Waiting for the district permit" in body


def slip_markup(body, task):
    """The slip shown in the task's row (``None`` when the row shows none)."""
    row = re.search(rf'<tr id="task-{task.pk}".*?</tr>', body, re.S)
    if row is None:  # the city-wide list: the row that links to the task
        link = reverse("plans:task_detail", args=[task.pk])
        row = next(r for r in re.finditer(r"<tr>.*?</tr>", body, re.S) if link in r.group(0))
    found = re.search(r'<span class="slip">.*?</span>', row.group(0), re.S)
    return found.group(0) if found else None


def test_my_tasks_shows_the_slip_as_the_city_wide_list_does(city, office_client, slipped):
    city_list = office_client.get(reverse("review:task_list"), {"flag": "all"})
    in_city_list = slip_markup(city_list.content.decode(), slipped)
    assert SLIP in in_city_list
    for person in (city.finance_staff, city.economy_head):
        body = client_for(person).get(reverse("plans:my_tasks")).content.decode()
        # The same fragment (plans/_slip.html), not a second way of writing it.
        assert slip_markup(body, slipped) == in_city_list


def test_my_tasks_row_keeps_the_slip_after_an_update_in_the_row(city, slipped):
    staff = client_for(city.finance_staff)
    url = reverse("plans:task_update", args=[slipped.pk])
    data = {"version": slipped.version, "status": "at_risk", "progress": 30, "note": ""}
    body = staff.post(url, data, HTTP_HX_REQUEST="true").content.decode()
    assert "Saved." in body and SLIP in body


def test_my_tasks_shows_no_slip_for_a_deadline_as_adopted_or_moved_back(city, staff_task):
    staff = client_for(city.finance_staff)
    assert slip_markup(staff.get(reverse("plans:my_tasks")).content.decode(), staff_task) is None
    for day in (dt.date(2024, 11, 10), dt.date(2024, 10, 31)):  # moved, then back
        staff_task.refresh_from_db()
        deadlines.request_deadline_change(
            staff_task,
            by=city.economy_head,
            expected_version=staff_task.version,
            new_due_date=day,
            reason="Permit",
        )
    staff_task.refresh_from_db()
    assert staff_task.deadline_moves == 2
    assert slip_markup(staff.get(reverse("plans:my_tasks")).content.decode(), staff_task) is None


def test_the_exports_carry_the_adopted_date_the_moves_and_the_latest_note(office_client, slipped):
    response = office_client.get(reverse("review:task_export_csv"), {"flag": "all"})
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    row = next(r for r in rows if r["Code"] == "1-50")
    assert row["Due date"] == "2024-11-10"
    assert row["Adopted due date"] == "2024-10-31"
    assert row["Times the deadline moved"] == "1"
    assert row["Latest note"] == "Waiting for the district permit"

    response = office_client.get(reverse("review:task_export_xlsx"), {"flag": "all"})
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    header, *values = list(sheet.iter_rows(values_only=True))
    row = dict(zip(header, next(v for v in values if v[0] == "1-50"), strict=True))
    assert row["Adopted due date"] == dt.datetime(2024, 10, 31)
    assert row["Latest note"] == "Waiting for the district permit"


def test_the_briefing_pack_shows_the_slip_and_the_latest_note(city, slipped):
    session = ReportSessionFactory(sector=slipped.sector)
    body = client_for(city.mayors_office).get(reverse("meetings:briefing", args=[session.pk]))
    body = body.content.decode()
    assert SLIP in body
    assert "Waiting for the district permit" in body


def test_the_list_reads_notes_in_the_same_number_of_queries_for_more_tasks(
    city, office_client, slipped, make_task
):
    url = reverse("review:task_list")
    # The list's parts are cached per change of the plan: compare two cold readings.
    office_client.get(url, {"flag": "all"})
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        office_client.get(url, {"flag": "all"})
    for n in range(20):
        task = make_task(code=f"9-{n:02d}")
        services.update_key_task(task, by=city.economy_head, expected_version=1, note=f"n{n}")
    office_client.get(url, {"flag": "all"})
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        office_client.get(url, {"flag": "all"})
    assert len(many) == len(few)
