"""Helpers for the bureau head's stories: a task with an indicator and milestones."""

import datetime as dt

import pytest
from django.utils import translation

from plans.models import Profile
from tests.factories import IndicatorFactory, MeasurementFactory, MilestoneFactory


@pytest.fixture(autouse=True)
def english(city):
    """These stories read their assertions in English, whatever the Korean catalogue says
    (and whatever language an earlier test's request left active in this thread)."""
    Profile.objects.update(language="en")
    with translation.override("en"):
        yield


@pytest.fixture
def kpi_task(city):
    """economy_task with one indicator (two actuals) and two milestones."""
    task = city.economy_task
    # On pace for its target (1,800 by the end of 2024), so a figure needs no note
    # unless it falls behind (measurements.check_figure).
    indicator = IndicatorFactory(
        sector=task.sector,
        task=task,
        code="KPI-JOBS",
        name_en="Jobs",
        unit_en="jobs",
        target=1800,
    )
    # A bureau's own figures stay provisional until the city verifies them.
    MeasurementFactory(
        indicator=indicator, as_of=dt.date(2024, 6, 30), value=1000, state="provisional"
    )
    MeasurementFactory(
        indicator=indicator, as_of=dt.date(2024, 9, 30), value=1500, state="provisional"
    )
    MilestoneFactory(task=task, title_ko="예산 확보", title_en="Budget secured")
    MilestoneFactory(
        task=task, title_ko="착공", title_en="Work starts", due_date=dt.date(2025, 9, 1)
    )
    task.indicator = indicator
    return task


def post_data(task, **values):
    """What the in-row form posts for ``task`` unless told otherwise."""
    data = {"version": task.version, "status": task.status, "progress": task.progress, "note": ""}
    data.update(values)
    return data
