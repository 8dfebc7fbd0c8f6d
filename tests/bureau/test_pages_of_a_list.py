"""A page of My tasks or of the city-wide list is read with the count of the whole list in
one query, and shows exactly what Django's paginator shows for every page asked for:
the first, the last, one past the end, nonsense."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans import pagination
from plans.models import KeyTask
from tests.factories import KeyTaskFactory, MilestoneFactory

ASKED = [None, "", "1", "2", "3", "4", "99", "0", "-1", "two", "1.5"]


@pytest.fixture
def eleven_tasks(city):
    KeyTaskFactory.create_batch(11 - KeyTask.objects.count(), sector=city.sectors[1])
    return KeyTask.objects.order_by("code")


def shown(page):
    rows = [getattr(row, "pk", row) for row in page.object_list]
    return page.number, page.paginator.count, page.paginator.num_pages, rows


@pytest.mark.parametrize("number", ASKED)
@pytest.mark.parametrize("kind", ["tasks", "ids"])
def test_every_page_asked_for_is_the_page_djangos_paginator_gives(eleven_tasks, number, kind):
    rows = eleven_tasks if kind == "tasks" else eleven_tasks.values_list("pk", flat=True)
    assert shown(pagination.page_of(rows, 4, number)) == shown(Paginator(rows, 4).get_page(number))


@pytest.mark.parametrize("number", ["1", "3"])
def test_a_page_and_its_count_take_one_query(eleven_tasks, number):
    with CaptureQueriesContext(connection) as queries:
        page = pagination.page_of(eleven_tasks, 4, number)
    assert len(queries) == 1
    assert page.paginator.count == 11 and len(page.object_list) == (4 if number == "1" else 3)


def test_distinct_rows_are_counted_by_djangos_paginator(eleven_tasks):
    # COUNT(*) OVER () would count the rows before DISTINCT folds them.
    for task in eleven_tasks:
        MilestoneFactory.create_batch(2, task=task)
    rows = KeyTask.objects.filter(milestones__due_date__isnull=False).distinct()
    assert rows.order_by().values("pk", "milestones").count() == 22  # each task twice
    page = pagination.page_of(rows.order_by("code"), 4, "1")
    assert page.paginator.count == 11
    assert len({task.pk for task in page.object_list}) == 4


def test_a_bookmarked_page_past_the_end_of_my_tasks_shows_the_last_page(client, city):
    client.force_login(city.economy_head)
    response = client.get(reverse("plans:my_tasks"), {"page": "40"})
    assert response.status_code == 200
    page = response.context["page"]
    assert page.number == page.paginator.num_pages == 1
    assert page.paginator.count == 2


def test_a_union_of_lists_is_counted_by_djangos_paginator(eleven_tasks):
    tasks = KeyTask.objects.order_by()
    rows = tasks.filter(code__lt="1-03").union(tasks.filter(code__gte="1-03"))
    page = pagination.page_of(rows.order_by("code"), 4, "3")
    assert page.paginator.count == 11 and len(page.object_list) == 3
