"""The city-wide list at city scale (issue 17): a fixed number of queries whatever the
number of tasks, read from the cache by the next reader of the same list, and an
update by a bureau shows at once."""

import pytest
from django.urls import reverse

from plans import services
from tests.mayors_office.test_query_counts import count, grow

LIST = reverse("review:task_list")


@pytest.mark.parametrize(
    "query", ["?flag=all", "?flag=all&sort=lag&page=2", "?flag=overdue&sort=bureau", ""]
)
def test_the_list_costs_the_same_queries_for_a_plan_ten_times_larger(
    office_client, city, sessions, query, monkeypatch
):
    monkeypatch.setattr("review.rows.TASKS_PER_PAGE", 5)  # a second page in both plans
    grow(city, sessions, 2)
    small = count(office_client, LIST + query)
    grow(city, sessions, 20)  # and the plan's stamp moves on: not read from the cache
    assert count(office_client, LIST + query) == small


def test_the_next_reader_of_the_same_list_gets_it_from_the_cache(
    office_client, city, sessions, django_assert_max_num_queries
):
    grow(city, sessions, 3)
    first = count(office_client, LIST + "?flag=all")
    # The session, the user, the plan and the plan's stamp: nothing of the list itself.
    with django_assert_max_num_queries(first - 5):
        office_client.get(LIST + "?flag=all")


def test_a_page_of_the_list_is_sorted_across_the_whole_list(office_client, city, sessions):
    grow(city, sessions, 25)  # 130 tasks: two pages
    first = office_client.get(LIST, {"flag": "all", "sort": "code"})
    second = office_client.get(LIST, {"flag": "all", "sort": "code", "page": 2})
    codes = [t.code for t in first.context["page"].object_list] + [
        t.code for t in second.context["page"].object_list
    ]
    assert len(codes) == first.context["page"].paginator.count
    assert codes == sorted(codes)
    assert "2" in second.content.decode()


def test_a_bureaus_update_shows_on_the_cached_list_at_once(office_client, city):
    office_client.get(LIST, {"flag": "all"})  # the list is now cached
    task = city.economy_task
    services.update_key_task(
        task,
        by=city.economy_head,
        expected_version=task.version,
        status="delayed",
        note="공사 지연",
    )
    page = office_client.get(LIST, {"flag": "all"}).content.decode()
    row = page[page.index(task.code) :]
    assert "status-delayed" in row[: row.index("</tr>")]


def test_htmx_gets_the_results_alone_and_the_page_gets_everything(office_client, city):
    fragment = office_client.get(LIST, {"flag": "all"}, headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert 'hx-swap-oob="true"' in html and "<form" not in html
    page = office_client.get(LIST, {"flag": "all"}).content.decode()
    assert '<form class="filters"' in page and 'id="results"' in page
    assert "hx-swap-oob" not in page
