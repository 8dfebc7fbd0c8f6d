"""The mayor's office (and bureau heads) see the five sectors at a glance, the
indicators as charts, and what changed since the last review; staff do not."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from plans import services
from plans.models import KeyTask, StatusUpdate

URL = "/dashboard/"


def sector_row(response, number):
    for sector, overview in response.context["sectors"]:
        if sector.number == number:
            return overview
    raise AssertionError(number)


def test_the_url_name_is_the_one_in_the_navigation():
    assert reverse("review:dashboard") == URL


def test_anonymous_is_sent_to_sign_in(client, city):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_staff_may_not_read_the_dashboard(staff_client):
    assert staff_client.get(URL).status_code == 403


def test_a_bureau_head_reads_the_dashboard(head_client):
    assert head_client.get(URL).status_code == 200


def test_the_five_sectors_show_counts_progress_overdue_and_computed_risk(
    office_client, city, make_task
):
    today = timezone.localdate()
    make_task(
        start_date=today - dt.timedelta(days=100),
        due_date=today - dt.timedelta(days=1),
        progress=60,
        status="on_track",
    )  # overdue, and lagging
    make_task(status="dropped", progress=0, start_date=today, due_date=today + dt.timedelta(days=9))
    response = office_client.get(URL)
    assert response.status_code == 200
    assert [sector.number for sector, _ in response.context["sectors"]] == [1, 2, 3, 4, 5]
    first = sector_row(response, 1)
    # city fixture: two sector-1 tasks on track at 40%; plus ours at 60% and a dropped one
    assert first.total == 4
    assert first.counts["on_track"] == 3 and first.counts["dropped"] == 1
    assert first.progress == round((40 + 40 + 60) / 3)  # dropped left out, unweighted
    assert first.overdue == 1
    assert first.behind_schedule >= 1
    assert sector_row(response, 4).total == 1
    content = response.content.decode()
    assert "not weighted" in content or "가중" in content
    assert reverse("review:sector_detail", args=[1]) in content


def test_the_plan_row_is_the_mean_over_all_tasks(city):
    from plans import overviews

    today = timezone.localdate()
    rows = overviews.sector_overviews(city.plan, today)
    plan = overviews.combined(overview for _, overview in rows)
    assert plan.total == KeyTask.objects.count()
    assert plan.progress == 40


def test_indicators_are_drawn_as_an_svg_chart(office_client, jobs_indicator):
    response = office_client.get(URL)
    content = response.content.decode()
    chart = content.split('<figure class="ichart"', 1)[1].split("</figure>", 1)[0]
    assert '<svg class="ichart-bar"' in chart
    assert "110%" in chart  # 208,959 of 189,988
    assert "20만 8,959개 / 목표 18만 9,988개" in chart
    assert "<script" not in chart


def test_changes_since_the_last_review_are_listed(office_client, city, sessions):
    task = city.economy_task
    services.update_key_task(
        task, by=city.economy_head, expected_version=task.version, status="at_risk", progress=30
    )
    response = office_client.get(URL)
    # The last session that has started (17 Jan 2024) is the default "since".
    assert response.context["feed"].since == dt.date(2024, 1, 17)
    assert response.context["feed"].total == StatusUpdate.objects.count()
    content = response.content.decode()
    assert "상태: 정상 추진 → 지연 우려" in content
    assert task.code in content


def test_a_later_since_date_hides_older_changes_and_htmx_gets_the_fragment(office_client, city):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = office_client.get(
        URL, {"since": tomorrow.isoformat()}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith('<section class="section card" id="changes"')
    assert "<html" not in content
    assert 'class="timeline"' not in content  # nothing changed after tomorrow
    assert office_client.get(URL, {"since": tomorrow.isoformat()}).context["feed"].total == 0
    task = city.economy_task
    services.update_key_task(task, by=city.economy_head, expected_version=1, progress=55)
    today = timezone.localdate().isoformat()
    assert office_client.get(URL, {"since": today}).context["feed"].total == 1


@pytest.mark.parametrize("since", ["0001-01-01", "9999-12-31"])
def test_a_date_at_the_ends_of_the_calendar_is_refused_not_an_error(office_client, city, since):
    response = office_client.get(URL, {"since": since})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()


def test_a_bad_since_date_says_so_and_keeps_what_was_typed(office_client, city):
    response = office_client.get(URL, {"since": "2024-13-45"})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="2024-13-45"' in content
    assert 'aria-invalid="true"' in content


@pytest.mark.parametrize("number", [0, 6, 99])
def test_an_unknown_sector_is_404(office_client, city, number):
    assert office_client.get(f"/dashboard/sectors/{number}/").status_code == 404


def test_the_sector_page_lists_bureaus_linking_to_their_tasks(office_client, city):
    response = office_client.get("/dashboard/sectors/1/")
    assert response.status_code == 200
    bureaus = [bureau.code for bureau, _ in response.context["bureaus"]]
    assert sorted(bureaus) == ["economy", "finance"]
    content = response.content.decode()
    assert f"bureau={city.finance.pk}" in content


def test_without_a_plan_the_dashboard_is_404_not_500(db, client):
    from tests.factories import ProfileFactory, UserFactory

    user = UserFactory(username="office")
    ProfileFactory(user=user, is_mayors_office=True)
    client.force_login(user)
    assert client.get(URL).status_code == 404


def test_overdue_and_computed_risk_counts_link_to_their_lists(office_client, city):
    content = office_client.get(URL).content.decode()
    sector = city.sectors[0].pk
    assert f"/dashboard/tasks/?sector={sector}&amp;flag=at_risk_computed" in content
    sector_page = office_client.get("/dashboard/sectors/1/").content.decode()
    assert (
        f"/dashboard/tasks/?sector={sector}&amp;bureau={city.finance.pk}&amp;flag=at_risk_computed"
        in sector_page
    )
