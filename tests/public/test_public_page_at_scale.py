"""The public page and the home page are read by many residents between two changes of
the plan (issue 17): the next reader gets them from the cache, and a bureau's update
shows at once."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans import services


def queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_next_resident_gets_the_public_page_from_the_cache(client, city, make_task):
    for n in range(5):
        make_task(code=f"7-{n}", title_ko=f"공개 과제 {n}", is_public=True)
    first, page = queries(client, reverse("review:public"))
    again, same = queries(client, reverse("review:public"))
    assert again <= first - 3
    assert "공개 과제 4" in page and "공개 과제 4" in same


def test_a_public_tasks_update_shows_on_the_public_page_at_once(client, city, make_task):
    task = make_task(code="7-9", title_ko="부산 청년 일자리", is_public=True, progress=10)
    assert "10%" in client.get(reverse("review:public")).content.decode()
    services.update_key_task(task, by=city.economy_head, expected_version=task.version, progress=64)
    assert "64%" in client.get(reverse("review:public")).content.decode()


def test_the_home_page_counts_come_from_the_cache_until_the_plan_changes(office_client, city):
    first, _page = queries(office_client, reverse("home"))
    again, _page = queries(office_client, reverse("home"))
    assert again < first
    task = city.economy_task
    services.update_key_task(
        task, by=city.economy_head, expected_version=task.version, status="delayed"
    )
    _count, page = queries(office_client, reverse("home"))
    assert "status-delayed" in page
