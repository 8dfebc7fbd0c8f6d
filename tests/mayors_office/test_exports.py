"""The filtered task list leaves as XLSX and CSV, the sessions as an iCalendar feed;
each file is read back and checked, and each export follows the page's rules."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar
from openpyxl import load_workbook

from tests.conftest import client_for

SEOUL = ZoneInfo("Asia/Seoul")


@pytest.fixture
def korean_task(make_task, city):
    return make_task(
        code="1-99",
        title_ko="자갈치시장 소상공인 지원",
        title_en="Support for Jagalchi Market traders",
        pillar_ko="바운스",
        bureau=city.finance,
        start_date=dt.date(2024, 1, 2),
        due_date=dt.date(2024, 3, 31),
        progress=10,
        owner=city.finance_staff,
    )


def test_the_xlsx_has_a_header_korean_text_real_dates_and_widths(office_client, korean_task):
    response = office_client.get(
        reverse("review:task_export_xlsx"), {"flag": "all", "pillar": "바운스"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment;" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert len(rows) == 2  # the header and the one task with that pillar
    row = dict(zip(header, rows[1], strict=True))
    code_col, title_col, due_col = header[0], header[4], header[9]
    assert row[code_col] == "1-99"
    assert row[title_col] == "자갈치시장 소상공인 지원"
    assert row[header[3]] == "바운스"
    assert row[header[6]] == 10  # a number, not text
    # Real dates: openpyxl reads them back as datetimes with a date format.
    assert row[due_col] == dt.datetime(2024, 3, 31)
    assert sheet.cell(row=2, column=10).number_format == "yyyy-mm-dd"
    assert sheet.cell(row=1, column=1).font.bold
    # 60 characters wide as Excel shows it: it stores the width with its cell padding.
    assert 60 < sheet.column_dimensions["E"].width < 61
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:P2"


def test_the_csv_is_utf8_with_a_bom_and_the_same_rows(office_client, korean_task, city):
    response = office_client.get(reverse("review:task_export_csv"), {"flag": "all"})
    assert response.status_code == 200
    content = response.getvalue()  # streamed: read once
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 1 + 4  # header, three city tasks and ours
    ours = next(row for row in rows if row[0] == "1-99")
    assert ours[4] == "자갈치시장 소상공인 지원"
    assert ours[8] == "2024-01-02" and ours[9] == "2024-03-31"
    assert dt.date.fromisoformat(ours[9])


def test_the_exports_apply_the_filters_of_the_page(office_client, korean_task, city):
    params = {"flag": "all", "bureau": city.welfare.pk}
    page = office_client.get(reverse("review:task_list"), params)
    exported = office_client.get(reverse("review:task_export_csv"), params)
    rows = list(csv.reader(io.StringIO(exported.getvalue().decode("utf-8-sig"))))[1:]
    assert [row[0] for row in rows] == [task.code for task in page.context["page"].object_list]
    assert [row[0] for row in rows] == ["4-01"]


def test_the_ics_feed_has_the_sessions_in_seoul_time(office_client, sessions):
    response = office_client.get(reverse("meetings:sessions_ics"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = sorted(calendar.walk("VEVENT"), key=lambda event: event.decoded("dtstart"))
    assert len(events) == 2
    first = events[0]
    start = first.decoded("dtstart")
    assert start == dt.datetime(2024, 1, 15, 10, 0, tzinfo=SEOUL)
    assert str(start.tzinfo) == "Asia/Seoul"
    assert first.decoded("dtend") == dt.datetime(2024, 1, 15, 12, 0, tzinfo=SEOUL)
    assert str(first["location"]) == "자갈치시장 소상공인종합지원센터"
    assert first["uid"] != events[1]["uid"]
    assert calendar.walk("VTIMEZONE")[0]["tzid"] == "Asia/Seoul"


@pytest.mark.parametrize(
    ("name", "page", "staff_status"),
    [
        ("review:task_export_xlsx", "review:task_list", 403),
        ("review:task_export_csv", "review:task_list", 403),
        ("meetings:sessions_ics", "meetings:session_list", 200),
    ],
)
def test_exports_follow_the_same_rules_as_their_pages(
    city, sessions, client, name, page, staff_status
):
    url = reverse(name)
    assert client.get(url).status_code == 302  # anonymous → sign in
    staff = client_for(city.finance_staff)
    assert staff.get(url).status_code == staff.get(reverse(page)).status_code == staff_status
    assert client_for(city.economy_head).get(url).status_code == 200
    assert client_for(city.mayors_office).get(url).status_code == 200


def test_a_bad_filter_in_an_export_url_is_ignored_not_an_error(office_client, city):
    response = office_client.get(
        reverse("review:task_export_xlsx"), {"sector": "abc", "sort": "evil", "flag": "???"}
    )
    assert response.status_code == 200
