"""Residents see the targets the city discloses: target, actual, % achieved, as-of
date, source, definition and state; only verified or final figures; revisions of a
published figure stay on record; nothing internal leaks."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from plans.measurements import record_measurement, revise_measurement
from plans.models import Measurement, MeasurementRevision, StatusUpdate
from tests.factories import IndicatorFactory, MeasurementFactory

URL = "/public/"


def test_the_url_name_is_the_one_in_the_navigation():
    assert reverse("review:public") == URL


def test_anonymous_residents_see_target_actual_achievement_date_source_definition_state(
    client, city, jobs_indicator
):
    response = client.get(URL)
    assert response.status_code == 200
    (row,) = response.context["indicators"]
    assert row.published.value == Decimal("208959")
    assert row.percent == Decimal("110.0")
    content = response.content.decode()
    for shown in [
        # Korean amounts (18만 9,988) and dates, as residents read them.
        "18만 9,988",
        "20만 8,959",
        "110%",
        "2024년 12월 31일",
        "고용노동부 지역일자리 목표 공시제",
        "시 재정지원 일자리 수(누계)",
        str(row.published.get_state_display()),
    ]:
        assert shown in content, shown


def test_a_provisional_figure_is_not_published(client, city, jobs_indicator):
    MeasurementFactory(
        indicator=jobs_indicator, as_of=dt.date(2025, 3, 31), value=999999, state="provisional"
    )
    response = client.get(URL)
    (row,) = response.context["indicators"]
    assert row.published.as_of == dt.date(2024, 12, 31)
    assert "999,999" not in response.content.decode()
    assert "999999" not in response.content.decode()


def test_an_indicator_with_only_provisional_figures_shows_no_actual(client, city):
    indicator = IndicatorFactory(sector=city.sectors[1], code="PUB-2", is_public=True)
    MeasurementFactory(indicator=indicator, value=1234, state="provisional")
    response = client.get(URL)
    (row,) = response.context["indicators"]
    assert row.published is None and row.percent is None
    assert "1,234" not in response.content.decode()


def test_nothing_private_leaks(client, city, jobs_indicator, make_task):
    from plans import services

    private_indicator = IndicatorFactory(
        sector=city.sectors[0], code="SECRET-KPI", name_ko="내부 지표", is_public=False
    )
    MeasurementFactory(indicator=private_indicator, value=777, state="final")
    public_task = city.welfare_task
    services.update_key_task(
        public_task,
        by=city.welfare_head,
        expected_version=public_task.version,
        progress=55,
        note="예산 협의 지연 — 내부 메모",
    )
    public_task.owner = city.finance_staff
    public_task.save()
    response = client.get(URL)
    content = response.content.decode()
    assert public_task.title in content  # the public task is there…
    for secret in [
        city.economy_task.title,  # internal tasks
        city.finance_task.title,
        city.economy_task.code,
        "내부 지표",
        "SECRET-KPI",
        "예산 협의 지연",  # update notes
        "finance_staff",  # owners
        "welfare_head",  # whoever updated
        "내부 메모: 담당자 확인 중",  # a measurement's internal note
        f'href="{reverse("plans:task_detail", args=[public_task.pk])}"',  # internal links
    ]:
        assert secret not in content, secret
    assert StatusUpdate.objects.filter(note__contains="내부 메모").exists()


def test_the_page_is_the_same_for_a_signed_in_user(client, city, jobs_indicator):
    anonymous = client.get(URL).content
    client.force_login(city.mayors_office)
    signed_in = client.get(URL).content.decode()
    assert city.economy_task.title not in signed_in
    assert anonymous.count(b"public-indicator") == signed_in.count("public-indicator")


def test_a_revised_published_figure_keeps_a_public_log(client, city, jobs_indicator):
    final = Measurement.objects.get(indicator=jobs_indicator, as_of=dt.date(2024, 12, 31))
    revise_measurement(
        final, by=city.mayors_office, value=Decimal("208100"), reason="중복 집계 정정"
    )
    (revision,) = MeasurementRevision.objects.all()
    assert (revision.old_value, revision.new_value) == (Decimal("208959"), Decimal("208100"))
    assert revision.revised_by == city.mayors_office
    content = client.get(URL).content.decode()
    assert "20만 8,100" in content
    assert "20만 8,959" in content and "중복 집계 정정" in content
    assert "mayors_office" not in content


def test_revising_a_published_figure_needs_a_public_reason(city, jobs_indicator):
    final = Measurement.objects.get(indicator=jobs_indicator, as_of=dt.date(2024, 12, 31))
    with pytest.raises(ValidationError):
        revise_measurement(final, by=city.mayors_office, value=Decimal("1"), reason="  ")
    with pytest.raises(ValidationError):
        revise_measurement(final, by=city.mayors_office, value=final.value, state="provisional")
    assert not MeasurementRevision.objects.exists()
    final.refresh_from_db()
    assert final.value == Decimal("208959")


def test_a_provisional_figure_changes_without_a_public_log(city, jobs_indicator):
    # Far behind the pace to the target, so each figure says why.
    behind = {"as_of": dt.date(2024, 11, 30), "note": "집계 중"}
    measurement = record_measurement(
        jobs_indicator, by=city.mayors_office, value=Decimal(10), **behind
    )
    record_measurement(jobs_indicator, by=city.mayors_office, value=Decimal(12), **behind)
    measurement.refresh_from_db()
    assert measurement.value == 12
    assert not MeasurementRevision.objects.exists()
    # Publishing it (verified) is not a revision either; changing it afterwards is.
    revise_measurement(measurement, by=city.mayors_office, value=Decimal(12), state="verified")
    assert not MeasurementRevision.objects.exists()
    revise_measurement(measurement, by=city.mayors_office, value=Decimal(13), reason="정정")
    assert MeasurementRevision.objects.count() == 1


def test_the_revision_log_is_append_only(city, jobs_indicator):
    final = Measurement.objects.get(indicator=jobs_indicator, as_of=dt.date(2024, 12, 31))
    revise_measurement(final, by=None, value=Decimal("1"), reason="정정")
    revision = MeasurementRevision.objects.get()
    revision.reason = "바꿈"
    with pytest.raises(ValueError):
        revision.save()


def test_the_public_page_without_a_plan_is_not_an_error(client, db):
    assert client.get(URL).status_code == 200
