import datetime as dt

import pytest

from tests.factories import KeyTaskFactory, ProfileFactory, UserFactory


@pytest.fixture(autouse=True)
def _reminder_settings(settings):
    settings.SITE_URL = "https://tracker.busan.example"
    settings.REMINDER_OFFSETS_DAYS = [7, 3, 1, 0]
    settings.REMINDER_ESCALATE_TO_HEAD_DAYS = 3
    settings.REMINDER_ESCALATE_TO_MAYORS_OFFICE_DAYS = 10
    settings.REMINDER_DIGEST_WEEKDAY = 0
    settings.REMINDER_SESSION_LEAD_DAYS = 5
    settings.REMINDER_CLAIM_TIMEOUT_SECONDS = 900
    settings.REMINDER_MAX_ATTEMPTS = 3
    settings.REMINDER_RETRY_BACKOFF_SECONDS = 60
    settings.REMINDER_BATCH_SIZE = 200


@pytest.fixture
def due_task(city):
    """finance_staff's key task, due Thursday 2024-03-28 (a plain business week)."""
    task = city.finance_task
    task.due_date = dt.date(2024, 3, 28)
    task.save()
    return task


def make_tasks(city, n, due_date, **kwargs):
    return [
        KeyTaskFactory(
            sector=city.sectors[0],
            bureau=city.finance,
            owner=city.finance_staff,
            due_date=due_date,
            **kwargs,
        )
        for _ in range(n)
    ]


def make_owned_tasks(city, n, due_date, **kwargs):
    """``n`` tasks of the finance bureau, each with an owner of its own: one email each
    whatever the owners' choice of a daily digest (which gathers one person's)."""
    tasks = []
    for _ in range(n):
        owner = UserFactory()
        ProfileFactory(user=owner, bureau=city.finance)
        tasks.append(
            KeyTaskFactory(
                sector=city.sectors[0],
                bureau=city.finance,
                owner=owner,
                due_date=due_date,
                **kwargs,
            )
        )
    return tasks
