"""Open data: the public targets, achievements and revision log as CSV and JSON at
stable addresses, for anyone, cacheable; only public indicators and published figures;
formula-safe cells; linked from the public page."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from plans.measurements import revise_measurement
from tests.conftest import client_for
from tests.factories import IndicatorFactory, MeasurementFactory

URLS = {
    "api:open_indicators_csv": "/open-data/indicators.csv",
    "api:open_indicators_json": "/open-data/indicators.json",
    "api:open_revisions_csv": "/open-data/revisions.csv",
    "api:open_revisions_json": "/open-data/revisions.json",
}


@pytest.fixture
def published(city, jobs_indicator):
    """The public jobs indicator (a verified and a final figure), a revision of its
    final figure, and what must not leave the city: a provisional figure and an
    internal indicator with a figure of its own."""
    final = jobs_indicator.measurements.get(state="final")
    revise_measurement(final, by=city.mayors_office, value=208960, reason="=중복 집계 정정")
    MeasurementFactory(
        indicator=jobs_indicator, as_of=dt.date(2025, 1, 31), value=1, state="provisional"
    )
    internal = IndicatorFactory(sector=city.sectors[0], code="INTERNAL", is_public=False)
    MeasurementFactory(indicator=internal, as_of=dt.date(2024, 6, 30), value=5, state="final")
    return jobs_indicator


@pytest.mark.parametrize(("name", "url"), sorted(URLS.items()))
def test_the_addresses_are_stable_and_open_to_anyone(client, published, name, url):
    assert reverse(name) == url
    response = client.get(url)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert response["ETag"].startswith('"')
    assert response["Access-Control-Allow-Origin"] == "*"
    # The same ETag asked again: 304, nothing sent.
    again = client.get(url, headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304 and again.content == b""


def test_targets_and_achievements_as_json(client, published):
    body = client.get(URLS["api:open_indicators_json"]).json()
    (jobs,) = body["indicators"]
    assert jobs["indicator_code"] == "JOB-FIN"
    assert jobs["source_ko"] == "고용노동부 지역일자리 목표 공시제"
    assert jobs["target"] == "189988"
    assert [f["state"] for f in jobs["figures"]] == ["verified", "final"]
    assert jobs["latest"]["value"] == "208960"
    assert jobs["latest"]["as_of"] == "2024-12-31"
    assert jobs["latest"]["percent_achieved"] == "110"
    assert "내부 메모" not in str(jobs)


def test_targets_and_achievements_as_csv_for_a_spreadsheet(client, published):
    content = client.get(URLS["api:open_indicators_csv"]).content
    assert content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert [row["indicator_code"] for row in rows] == ["JOB-FIN"]
    assert rows[0]["actual"] == "208960" and rows[0]["actual_state"] == "final"
    assert rows[0]["name_ko"] and rows[0]["target_date"]


def test_the_revision_log_with_its_public_reason_formula_safe(client, published):
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(URLS["api:open_revisions_csv"]).content.decode("utf-8-sig"))
        )
    )
    assert len(rows) == 1
    (row,) = rows
    assert (row["old_value"], row["new_value"]) == ("208959", "208960")
    # A reason that starts like a formula opens as text in a spreadsheet.
    assert row["reason"] == "'=중복 집계 정정"
    assert row["revised_at"].endswith("+09:00")
    json_row = client.get(URLS["api:open_revisions_json"]).json()["revisions"][0]
    assert json_row["reason"] == "=중복 집계 정정"  # JSON is data, not a spreadsheet
    response = client.get(URLS["api:open_revisions_json"])
    assert response["Last-Modified"]
    later = client.get(
        URLS["api:open_revisions_json"], headers={"If-Modified-Since": response["Last-Modified"]}
    )
    assert later.status_code == 304


def test_nothing_internal_leaves_the_city(client, published):
    for url in URLS.values():
        text = client.get(url).content.decode("utf-8-sig")
        assert "INTERNAL" not in text
        assert "provisional" not in text
        assert "2025-01-31" not in text
        assert "내부 메모" not in text


def test_a_change_of_published_data_changes_the_etag(client, city, published):
    first = client.get(URLS["api:open_indicators_json"])["ETag"]
    MeasurementFactory(
        indicator=published, as_of=dt.date(2025, 6, 30), value=50000, state="verified"
    )
    assert client.get(URLS["api:open_indicators_json"])["ETag"] != first


def test_the_public_page_links_to_the_open_data(client, published):
    page = client.get(reverse("review:public")).content.decode()
    for url in URLS.values():
        assert f'href="{url}"' in page


def test_nothing_published_yet_is_an_empty_file_not_an_error(client, db):
    assert client.get(URLS["api:open_indicators_json"]).json() == {"indicators": []}
    lines = client.get(URLS["api:open_revisions_csv"]).content.decode("utf-8-sig").splitlines()
    assert lines == [",".join(__import__("api.opendata").opendata.REVISION_COLUMNS)]


def test_open_data_reads_in_a_fixed_number_of_queries(
    client, city, published, django_assert_num_queries
):
    with django_assert_num_queries(2):
        client.get(URLS["api:open_indicators_json"])
    for number in range(5):
        indicator = IndicatorFactory(sector=city.sectors[1], code=f"PUB-{number}", is_public=True)
        MeasurementFactory(indicator=indicator, as_of=dt.date(2024, 6, 30), state="final")
    with django_assert_num_queries(2):
        assert len(client.get(URLS["api:open_indicators_json"]).json()["indicators"]) == 6
    with django_assert_num_queries(1):
        client.get(URLS["api:open_revisions_json"])


def test_a_signed_in_reader_gets_the_same_file(city, published):
    client = client_for(city.finance_staff)
    assert client.get(URLS["api:open_indicators_csv"]).status_code == 200
