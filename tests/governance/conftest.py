"""Helpers for the governance stories: deadlines moved with approval, figures verified and
published, the queue."""

import datetime as dt

import pytest
from django.utils import translation

from plans.models import Profile
from tests.factories import KeyTaskFactory, MilestoneFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def english(city):
    """These stories read their assertions in English."""
    Profile.objects.update(language="en")
    with translation.override("en"):
        yield


@pytest.fixture
def staff_task(city):
    """finance_staff's task, due inside the plan's year (2024), with one milestone."""
    task = KeyTaskFactory(
        sector=city.sectors[0],
        bureau=city.finance,
        owner=city.finance_staff,
        code="1-50",
        title_en="Start-up fund",
        due_date=dt.date(2024, 10, 31),
        is_public=True,
    )
    MilestoneFactory(task=task, title_en="Fund launched", due_date=dt.date(2024, 6, 30))
    return task
