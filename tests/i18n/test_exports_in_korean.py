"""The files the mayor's office downloads speak the language of whoever downloads them:
the XLSX and CSV header rows, sheet name and yes/no cells, the iCalendar feed's name and
event titles. Korean for everyone who has not chosen English."""

import csv
import io

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar
from openpyxl import load_workbook

from plans.models import KeyTask

KOREAN_HEADER = [
    "코드",
    "분야",
    "실국",
    "추진 전략",
    "핵심과제",
    "보고 상태",
    "진척률(%)",
    "지연 위험(산출)",
    "시작일",
    "기한",
    "확정 기한",
    "기한 변경 횟수",
    "기한 경과",
    "담당자",
    "최종 수정",
    "최근 메모",
]
ENGLISH_HEADER = [
    "Code",
    "Sector",
    "Bureau",
    "Pillar",
    "Key task",
    "Reported status",
    "Progress (%)",
    "At risk (computed)",
    "Start date",
    "Due date",
    "Adopted due date",
    "Times the deadline moved",
    "Overdue",
    "Owner",
    "Last update",
    "Latest note",
]


def office(walk_city, language: str | None) -> Client:
    client = Client()
    client.force_login(walk_city.mayors_office)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def xlsx_rows(client) -> tuple[str, list[tuple]]:
    response = client.get(reverse("review:task_export_xlsx"), {"flag": "all"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    return sheet.title, list(sheet.iter_rows(values_only=True))


def csv_rows(client) -> list[list[str]]:
    response = client.get(reverse("review:task_export_csv"), {"flag": "all"})
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


@pytest.mark.parametrize("language", [None, "ko"])
def test_the_task_exports_are_in_korean_by_default(walk_city, language):
    client = office(walk_city, language)
    title, rows = xlsx_rows(client)
    assert title == "핵심과제"
    assert list(rows[0]) == KOREAN_HEADER
    statuses = {row[5] for row in rows[1:]}
    overdue = KOREAN_HEADER.index("기한 경과")
    with translation.override("ko"):
        korean_statuses = {str(label) for label in KeyTask.Status.labels}
    assert statuses and statuses <= korean_statuses
    # The city's tasks are past their 2024 due dates: flagged "예", never "yes".
    flags = {row[overdue] for row in rows[1:]}
    assert flags <= {"예", None} and "예" in flags

    rows = csv_rows(client)
    assert rows[0] == KOREAN_HEADER
    flags = {row[overdue] for row in rows[1:]}
    assert flags <= {"예", ""} and "예" in flags


def test_the_task_exports_are_in_english_for_who_chose_english(walk_city):
    client = office(walk_city, "en")
    title, rows = xlsx_rows(client)
    assert title == "Key tasks"
    assert list(rows[0]) == ENGLISH_HEADER
    assert csv_rows(client)[0] == ENGLISH_HEADER


def test_the_english_choice_saved_in_the_profile_applies_to_exports(walk_city):
    walk_city.mayors_office.profile.language = "en"
    walk_city.mayors_office.profile.save()
    assert csv_rows(office(walk_city, None))[0] == ENGLISH_HEADER


@pytest.mark.parametrize(
    ("language", "calendar_name", "summary_start"),
    [
        ("ko", "업무계획 보고회", "업무계획 보고회: "),
        ("en", "Work-plan report sessions", "Work-plan report session: "),
    ],
)
def test_the_calendar_feed_names_the_sessions_in_the_users_language(
    walk_city, language, calendar_name, summary_start
):
    response = office(walk_city, language).get(reverse("meetings:sessions_ics"))
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["x-wr-calname"]) == calendar_name
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]).startswith(summary_start)
