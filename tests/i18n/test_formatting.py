"""Numbers, won and dates read the way Korean and English readers read them."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from plans import formatting as f
from tests.conftest import shown_history


@pytest.mark.parametrize(
    ("value", "korean"),
    [
        (0, "0"),
        (7, "7"),
        (1470, "1,470"),
        (9999, "9,999"),
        (10_000, "1만"),
        (10_001, "1만 1"),
        (189_988, "18만 9,988"),
        (759_000, "75만 9,000"),
        (10_000_005, "1,000만 5"),
        (99_999_999, "9,999만 9,999"),
        (100_000_000, "1억"),
        (123_456_789, "1억 2,345만 6,789"),
        (10**12, "1조"),
        (6 * 10**12, "6조"),
        (10**12 + 1, "1조 1"),
        (1_234_500_000_000, "1조 2,345억"),
        (12_345 * 10**12, "12,345조"),
        (-189_988, "-18만 9,988"),
        (-9_999, "-9,999"),
        (Decimal("66.9"), "66.9"),
        (Decimal("12345.67"), "1만 2,345.67"),
        (Decimal("10000.5"), "1만 0.5"),
        (Decimal("-0.25"), "-0.25"),
        ("189988", "18만 9,988"),
    ],
)
def test_korean_numbers_group_by_man_eok_jo(value, korean):
    assert f.korean_number(value) == korean


@pytest.mark.parametrize(
    ("value", "english"),
    [(0, "0"), (1470, "1,470"), (189_988, "189,988"), (-9_999, "-9,999"), (66.9, "66.9")],
)
def test_english_numbers_group_by_thousands(value, english):
    assert f.grouped(value) == english


@pytest.mark.parametrize("junk", [None, "", "n/a", float("nan"), float("inf"), True])
def test_anything_not_a_number_shows_nothing_rather_than_failing(junk):
    assert f.korean_number(junk) == ""
    assert f.grouped(junk) == ""
    assert f.krw(junk) == ""
    assert f.krw(junk, "en") == ""
    assert f.percent(junk) == ""


@pytest.mark.parametrize(
    ("value", "korean", "english"),
    [
        (0, "0원", "KRW 0"),
        (9_999, "9,999원", "KRW 9,999"),
        (10_000, "1만 원", "KRW 10,000"),
        (189_988, "18만 9,988원", "KRW 189,988"),
        (999_999, "99만 9,999원", "KRW 999,999"),
        (1_000_000, "100만 원", "KRW 1 million"),
        (100_000_000, "1억 원", "KRW 100 million"),
        (1_250_000_000, "12억 5,000만 원", "KRW 1.25 billion"),
        (6 * 10**12, "6조 원", "KRW 6 trillion"),
        (6 * 10**12 + 3_000 * 10**8, "6조 3,000억 원", "KRW 6.3 trillion"),
        (10**12 + 7, "1조 7원", "KRW 1 trillion"),
        (-6 * 10**12, "-6조 원", "KRW -6 trillion"),
        (Decimal("1500.6"), "1,501원", "KRW 1,501"),
    ],
)
def test_won_amounts(value, korean, english):
    assert f.krw(value, "ko") == korean
    assert f.krw(value, "en") == english


def test_counts_put_the_counter_where_korean_spacing_puts_it():
    assert f.count(759_000, "명") == "75만 9,000명"
    assert f.count(10_000, "명") == "1만 명"
    assert f.count(1_680, "개") == "1,680개"
    assert f.count(759_000, "명", "en") == "759,000"


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (66.9, 1, "66.9%"),
        (110, 1, "110%"),
        (Decimal("6.2449"), 2, "6.24%"),
        (0, 1, "0%"),
        (-3.25, 1, "-3.2%"),
        (1234.5, 1, "1,234.5%"),
    ],
)
def test_percentages(value, places, shown):
    assert f.percent(value, places) == shown


UTC = ZoneInfo("UTC")


@pytest.mark.parametrize(
    ("moment", "korean", "english"),
    [
        # 01:00 UTC is 10:00 in Busan.
        (
            datetime(2024, 1, 15, 1, 0, tzinfo=UTC),
            "2024년 1월 15일 (월) 오전 10:00",
            "Mon 15 Jan 2024, 10:00",
        ),
        (
            datetime(2024, 1, 16, 5, 30, tzinfo=UTC),
            "2024년 1월 16일 (화) 오후 2:30",
            "Tue 16 Jan 2024, 14:30",
        ),
        # 15:00 UTC on the 17th is already the 18th in Busan, at midnight.
        (
            datetime(2024, 1, 17, 15, 0, tzinfo=UTC),
            "2024년 1월 18일 (목) 오전 12:00",
            "Thu 18 Jan 2024, 00:00",
        ),
        (
            datetime(2024, 1, 18, 3, 5, tzinfo=UTC),
            "2024년 1월 18일 (목) 오후 12:05",
            "Thu 18 Jan 2024, 12:05",
        ),
    ],
)
def test_times_are_shown_in_seoul_in_both_languages(moment, korean, english):
    assert f.long_datetime(moment, "ko") == korean
    assert f.long_datetime(moment, "en") == english


def test_dates():
    assert f.long_date(date(2024, 12, 31), "ko") == "2024년 12월 31일 (화)"
    assert f.long_date(date(2024, 12, 31), "en") == "Tue 31 Dec 2024"
    assert f.long_date(None) == ""
    assert f.long_datetime(date(2024, 3, 1), "en") == "Fri 1 Mar 2024"


def test_template_filters_follow_the_active_language():
    template = Template(
        "{% load city_format %}{{ n|number }}|{{ n|count:'명' }}|{{ money|krw }}|"
        "{{ rate|percent }}|{{ when|seoul_datetime }}|{{ when|seoul_date }}"
    )
    context = Context(
        {
            "n": 759_000,
            "money": 6 * 10**12,
            "rate": 66.9,
            "when": datetime(2024, 1, 15, 1, 0, tzinfo=UTC),
        }
    )
    with translation.override("ko"):
        assert template.render(context) == (
            "75만 9,000|75만 9,000명|6조 원|66.9%|"
            "2024년 1월 15일 (월) 오전 10:00|2024년 1월 15일 (월)"
        )
    with translation.override("en"):
        assert template.render(context) == (
            "759,000|759,000|KRW 6 trillion|66.9%|Mon 15 Jan 2024, 10:00|Mon 15 Jan 2024"
        )


def test_quantities_carry_their_unit_in_both_languages():
    from plans.formatting import quantity

    assert quantity(189988, "개", "ko") == "18만 9,988개"
    assert quantity(750000, "명", "ko") == "75만 명"
    assert quantity(189988, "jobs", "en") == "189,988 jobs"
    assert quantity(None, "개", "ko") == ""


def test_my_tasks_and_the_task_page_read_dates_figures_and_history_in_korean(client, walk_city):
    """Due dates, days left, actuals and the history's old → new, as a Busan reader
    reads them (the walk city's finance task: an actual of 189,988 as of 30 June 2024)."""
    from django.conf import settings
    from django.core.cache import cache

    cache.clear()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    client.force_login(walk_city.economy_head)
    task = walk_city.finance_task

    rows = client.get("/tasks/mine/").content.decode()
    assert "18만 9,988개" in rows
    assert "(일)" in rows  # 2024년 6월 30일 (일): a long date with its weekday
    assert f"{task.due_date.year}년 {task.due_date.month}월 {task.due_date.day}일" in rows
    assert "일 남음" in rows or "일 지남" in rows  # the cue is words, not colour alone
    assert "오전" in rows or "오후" in rows  # the last update on a Seoul 12-hour clock

    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "5만 2,000개" in page and "18만 9,988개" in page
    assert "목표값 18만 9,988개" in page
    page += shown_history(client, task)
    assert "<del>정상 추진</del> → <ins>지연 우려</ins>" in page
    assert "<del>40%</del> → <ins>55%</ins>" in page
    assert "“재정지원 일자리 창출” 실적" in page
    assert "<ins>2024년 6월 30일 (일): 18만 9,988개</ins>" in page
    assert "단계별 추진계획 “사업 공모 및 참여기업 선정”: <del>미완료</del>" in page
