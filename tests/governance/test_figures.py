"""Figures: the bureau enters a figure (provisional); the mayor's office verifies it in
the product, which publishes it on the disclosure page. What a figure cannot be is
refused with a message beside the field, keeping what was typed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from plans import measurements, services
from plans.models import Measurement
from tests.conftest import client_for, shown_history
from tests.factories import IndicatorFactory
from tests.governance.conftest import HTMX


@pytest.fixture
def jobs(city, staff_task):
    """A public indicator of staff_task: 0 → 1,200 jobs over 2024."""
    return IndicatorFactory(
        sector=staff_task.sector,
        task=staff_task,
        code="FIN-JOBS",
        name_en="Start-up jobs",
        unit_en="jobs",
        baseline=0,
        target=1200,
        target_date=dt.date(2024, 12, 31),
        is_public=True,
    )


def post_figure(client, task, indicator, **values):
    data = {"version": task.version, "indicator": indicator.pk, "as_of": "2024-06-30"}
    data.update(values)
    return client.post(reverse("plans:task_measurement", args=[task.pk]), data, **HTMX)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"value": "-10"}, "A count or an amount cannot be negative."),
        ({"value": "600", "as_of": "2023-12-31"}, "before the indicator&#x27;s baseline"),
        ({"value": "600", "as_of": "2025-01-15"}, "after the indicator&#x27;s period"),
        (
            {"value": "100"},
            "With this figure the indicator falls behind its pace to the target",
        ),
    ],
)
def test_what_cannot_be_is_refused_beside_the_field(city, staff_task, jobs, values, message):
    client = client_for(city.finance_staff)
    body = post_figure(client, staff_task, jobs, **values).content.decode()
    assert message in body
    assert f'value="{values["value"]}"' in body  # what was typed stays
    assert not jobs.measurements.exists()
    staff_task.refresh_from_db()
    assert staff_task.version == 1


def test_a_figure_behind_pace_is_taken_with_a_note(city, staff_task, jobs):
    client = client_for(city.finance_staff)
    post_figure(client, staff_task, jobs, value="100", note="Applications open in July")
    figure = jobs.measurements.get()
    assert (figure.value, figure.state, figure.note) == (
        100,
        "provisional",
        "Applications open in July",
    )


def test_a_rate_may_be_negative_when_the_indicator_says_so(city, staff_task):
    rate = IndicatorFactory(
        sector=staff_task.sector,
        task=staff_task,
        code="RATE",
        baseline=0,
        target=-5,
        direction="decrease",
        allows_negative=True,
    )
    figure = measurements.record_measurement(
        rate, by=city.finance_staff, as_of=dt.date(2024, 6, 30), value=Decimal("-3")
    )
    assert figure.value == Decimal("-3")


def test_the_mayors_office_verifies_and_publishes_a_bureaus_figure(client, city, staff_task, jobs):
    staff = client_for(city.finance_staff)
    post_figure(staff, staff_task, jobs, value="700")
    figure = jobs.measurements.get()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "700 jobs" not in client.get(reverse("review:public")).content.decode()

    office = client_for(city.mayors_office)
    page = office.get(reverse("plans:task_detail", args=[staff_task.pk])).content.decode()
    verify = reverse("plans:figure_verify", args=[staff_task.pk, figure.pk])
    assert f'hx-post="{verify}"' in page
    body = office.post(verify, **HTMX).content.decode()
    assert "Saved." in body
    assert "Figure of “Start-up jobs” verified and published" in shown_history(office, staff_task)
    figure.refresh_from_db()
    assert figure.state == "verified" and figure.verified_by == city.mayors_office
    assert figure.verified_at is not None
    assert "700 jobs" in client.get(reverse("review:public")).content.decode()
    # Verifying twice says so, and changes nothing.
    again = office.post(verify, **HTMX).content.decode()
    assert "This figure has already been verified." in again


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("finance_staff", 403),
        ("other_staff", 403),
        ("economy_head", 403),
        ("welfare_head", 403),
        ("mayors_office", 200),
    ],
)
def test_only_the_mayors_office_verifies(city, staff_task, jobs, role, status):
    figure = measurements.record_measurement(
        jobs, by=city.finance_staff, as_of=dt.date(2024, 6, 30), value=Decimal(700)
    )
    url = reverse("plans:figure_verify", args=[staff_task.pk, figure.pk])
    response = client_for(getattr(city, role)).post(url, **HTMX)
    assert response.status_code == status
    figure.refresh_from_db()
    assert figure.is_published == (status == 200)
    if status == 403:
        assert (
            "Verify and publish"
            not in client_for(getattr(city, role))
            .get(reverse("plans:task_detail", args=[staff_task.pk]))
            .content.decode()
        )


def test_anonymous_verification_goes_to_sign_in(client, city, staff_task, jobs):
    figure = measurements.record_measurement(
        jobs, by=city.finance_staff, as_of=dt.date(2024, 6, 30), value=Decimal(700)
    )
    url = reverse("plans:figure_verify", args=[staff_task.pk, figure.pk])
    assert client.post(url).status_code == 302
    assert not Measurement.objects.published().exists()


def test_a_figure_of_another_task_is_not_found(city, staff_task, jobs):
    figure = measurements.record_measurement(
        jobs, by=city.finance_staff, as_of=dt.date(2024, 6, 30), value=Decimal(700)
    )
    url = reverse("plans:figure_verify", args=[city.economy_task.pk, figure.pk])
    assert client_for(city.mayors_office).post(url, **HTMX).status_code == 404


def test_verifying_is_versioned_and_in_the_history(city, staff_task, jobs):
    figure = measurements.record_measurement(
        jobs, by=city.finance_staff, as_of=dt.date(2024, 6, 30), value=Decimal(700)
    )
    services.verify_figure(figure, by=city.mayors_office)
    staff_task.refresh_from_db()
    assert staff_task.version == 2
    row = staff_task.history.get(version=2)
    assert (row.kind, row.indicator, row.as_of, row.new_value) == (
        "figure_verified",
        jobs,
        dt.date(2024, 6, 30),
        "700",
    )
    with pytest.raises(ValidationError):
        services.verify_figure(figure, by=city.mayors_office)
