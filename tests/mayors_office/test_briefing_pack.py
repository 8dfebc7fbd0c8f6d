"""The briefing pack assembles, for a session, its sector's live tasks, indicators, the
follow-up of earlier directives and what changed since the sector's previous session."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from plans import services
from tests.factories import ReportSessionFactory
from tests.mayors_office.conftest import KST


def url(session):
    return reverse("meetings:briefing", args=[session.pk])


def test_live_tasks_of_the_sector_overdue_first_closed_left_out(
    office_client, city, sessions, make_task
):
    today = timezone.localdate()
    late = make_task(
        code="B-late",
        due_date=today - dt.timedelta(days=1),
        start_date=today - dt.timedelta(days=30),
    )
    make_task(code="B-done", status="done", progress=100, completed_on=today)
    make_task(code="B-other-sector", sector=city.sectors[2])
    response = office_client.get(url(sessions[0]))
    assert response.status_code == 200
    listed = [task.code for task in response.context["tasks"]]
    assert listed[0] == late.code
    assert "B-done" not in listed and "B-other-sector" not in listed
    assert set(listed) == {"B-late", "1-01", "1-02"}
    assert response.context["live_count"] == 3


def test_agenda_and_indicators_are_in_the_pack(office_client, sessions, jobs_indicator):
    content = office_client.get(url(sessions[0])).content.decode()
    assert "바운스: 중소기업 지원" in content
    assert "<svg" in content and "JOB-FIN" in content


def test_the_first_session_says_there_is_nothing_to_compare(office_client, sessions):
    response = office_client.get(url(sessions[0]))
    assert response.context["previous"] is None


def test_what_changed_since_the_sectors_previous_session(office_client, city, sessions):
    # A later session of sector 1: changes since 15 January are listed.
    later = ReportSessionFactory(
        sector=city.sectors[0],
        starts_at=dt.datetime(2099, 7, 1, 10, tzinfo=KST),
        ends_at=dt.datetime(2099, 7, 1, 12, tzinfo=KST),
    )
    task = city.finance_task
    services.update_key_task(
        task, by=city.finance_staff, expected_version=task.version, progress=65, note="중간 점검"
    )
    welfare = city.welfare_task
    services.update_key_task(welfare, by=city.welfare_head, expected_version=1, progress=70)
    response = office_client.get(url(later))
    assert response.context["previous"] == sessions[0]  # the sector's, not sector 4's
    assert [change.update.task for change in response.context["changes"]] == [task]
    assert "40% → 65%" in response.content.decode()


def test_staff_may_read_the_briefing_but_not_write(staff_client, sessions):
    response = staff_client.get(url(sessions[0]))
    assert response.status_code == 200
    assert "directive-form" not in response.content.decode()


def test_the_briefing_offers_its_pdf_and_prints_without_a_script(office_client, sessions):
    content = office_client.get(url(sessions[0])).content.decode()
    assert "data-print" in content and "js/print.js" in content
    assert f'href="{reverse("meetings:briefing_pdf", args=[sessions[0].pk])}" download' in content
    assert "onclick" not in content
    assert 'class="briefing"' in content
