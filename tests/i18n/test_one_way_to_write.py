"""Numbers, units, dates and times are written one way everywhere: through the
``city_format`` filters (plans.formatting), never by hand in a template."""

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from plans import formatting as f

TEMPLATES = sorted(
    path
    for app in ("busan_tracker", "plans", "meetings", "reminders", "review")
    for path in (Path(settings.BASE_DIR) / app / "templates").rglob("*")
    if path.is_file()
)
# Attributes a machine reads (ISO dates in links, <time datetime>, form values).
MACHINE_ATTRIBUTES = {"datetime", "href", "hx-get", "value"}


def attribute_around(text: str, position: int) -> str | None:
    """The attribute whose quoted value contains ``position``, if any."""
    tag_start = text.rfind("<", 0, position)
    if tag_start < 0 or text.rfind(">", tag_start, position) >= 0:
        return None
    matches = list(re.finditer(r'([\w-]+)="[^"]*$', text[tag_start:position]))
    return matches[-1].group(1) if matches else None


def test_the_template_list_is_not_empty():
    assert len(TEMPLATES) > 30


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_dates_are_written_for_people_only_through_city_format(template):
    text = template.read_text()
    for match in re.finditer(r"\|date:", text):
        attribute = attribute_around(text, match.start())
        line = text.count("\n", 0, match.start()) + 1
        assert attribute in MACHINE_ATTRIBUTES, (
            f"{template}:{line} writes a date with Django's date filter: use seoul_date, "
            "seoul_datetime, seoul_time or year_month (city_format)"
        )


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_figures_carry_their_unit_through_quantity(template):
    text = template.read_text()
    # "{{ value|number }} {{ indicator.unit }}" writes "2,200 명" and "45 %".
    assert not re.search(r"\|number \}\}\s*\{\{[^}]*unit", text), template
    # "{{ row.percent }}%" skips the percent filter's rounding and grouping.
    assert not re.search(r"percent \}\}%", text), template


@pytest.mark.parametrize(
    ("value", "unit", "korean", "english_unit", "english"),
    [
        (2431, "명", "2,431명", "persons", "2,431 persons"),
        (2200, "명", "2,200명", "persons", "2,200 persons"),
        (759000, "명", "75만 9,000명", "persons", "759,000 persons"),
        (45, "%", "45%", "%", "45%"),
        ("66.90", "%", "66.9%", "%", "66.9%"),
        (5, "조 원", "5조 원", "KRW trillion", "KRW 5 trillion"),
        (6, "조 원", "6조 원", "KRW trillion", "KRW 6 trillion"),
        (90, "tCO2", "90 tCO2", "t CO2", "90 t CO2"),
        (70000, "톤", "7만 톤", "tonnes", "70,000 tonnes"),
        (1470, "", "1,470", "", "1,470"),
    ],
)
def test_a_figure_and_its_unit_are_written_one_way(value, unit, korean, english_unit, english):
    assert f.quantity(value, unit, "ko") == korean
    assert f.quantity(value, english_unit, "en") == english


SEOUL = ZoneInfo("Asia/Seoul")


def at(hour, minute=0, day=15):
    return datetime(2024, 1, day, hour, minute, tzinfo=SEOUL)


def test_times_and_ranges_of_times_read_like_the_rest_of_the_dates():
    assert f.time_of_day(at(14, 30), "ko") == "오후 2:30"
    assert f.time_of_day(at(14, 30), "en") == "14:30"
    assert f.time_range(at(10), at(10, 25), "ko") == "오전 10:00\u201310:25"
    assert f.time_range(at(11, 15), at(12), "ko") == "오전 11:15\u2013오후 12:00"
    assert f.time_range(at(11, 15), at(12), "en") == "11:15\u201312:00"
    assert (
        f.datetime_range(at(10), at(12), "ko") == "2024년 1월 15일 (월) 오전 10:00\u2013오후 12:00"
    )
    assert f.datetime_range(at(10), at(12), "en") == "Mon 15 Jan 2024, 10:00\u201312:00"
    assert f.datetime_range(at(10), at(9, day=16), "en") == (
        "Mon 15 Jan 2024, 10:00 \u2013 Tue 16 Jan 2024, 09:00"
    )
    assert f.year_month(at(10), "ko") == "2024년 1월"
    assert f.year_month(at(10), "en") == "Jan 2024"
