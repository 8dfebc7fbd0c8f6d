"""The mayor's office schedules a report session per sector, builds its agenda from the
sector's bureaus (reordered with or without JavaScript) and marks it held; every change
is versioned and recorded."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import services
from meetings.models import ReportSession, SessionChange
from tests.conftest import client_for

KST = dt.timezone(dt.timedelta(hours=9))


def schedule_form(city, **overrides):
    return {
        "sector": city.sectors[0].pk,
        "day": "2025-01-13",
        "starts": "10:00",
        "ends": "12:00",
        "venue_ko": "부산시청 대회의실",
        "venue_en": "City Hall main meeting room",
        "theme_ko": "민생 안정과 경제 활력 제고",
        "theme_en": "",
        "attendees": "시장\n경제부시장",
        **overrides,
    }


def test_the_mayors_office_schedules_a_session_in_seoul_time(office_client, city):
    response = office_client.post(reverse("meetings:session_create"), schedule_form(city))
    session = ReportSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:session_detail", args=[session.pk])
    assert session.starts_at == dt.datetime(2025, 1, 13, 10, 0, tzinfo=KST)
    assert session.ends_at == dt.datetime(2025, 1, 13, 12, 0, tzinfo=KST)
    assert session.attendees == "시장\n경제부시장"
    change = session.changes.get()
    assert (change.kind, change.changed_by, change.version) == ("scheduled", city.mayors_office, 1)


def test_a_session_that_ends_before_it_starts_is_refused_keeping_what_was_typed(
    office_client, city
):
    response = office_client.post(
        reverse("meetings:session_create"), schedule_form(city, ends="09:00", venue_ko="시청 7층")
    )
    assert response.status_code == 200
    assert not ReportSession.objects.exists()
    content = response.content.decode()
    assert "보고회 종료 일시는 시작 일시보다 늦어야 합니다." in content
    assert 'value="시청 7층"' in content


@pytest.mark.parametrize("field,value", [("day", "13/01/2025"), ("starts", "ten"), ("sector", "x")])
def test_bad_input_is_a_message_not_an_error(office_client, city, field, value):
    response = office_client.post(
        reverse("meetings:session_create"), schedule_form(city, **{field: value})
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field]


def test_only_the_mayors_office_schedules_and_changes_sessions(city, sessions):
    session = sessions[0]
    urls = [
        ("get", reverse("meetings:session_create")),
        ("get", reverse("meetings:session_edit", args=[session.pk])),
        ("post", reverse("meetings:agenda_add", args=[session.pk])),
        ("post", reverse("meetings:session_held", args=[session.pk])),
    ]
    for user in (city.economy_head, city.welfare_head, city.finance_staff, city.other_staff):
        client = client_for(user)
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 403, (user, url)


def test_an_edit_is_versioned_and_recorded_with_its_reason(office_client, city, sessions):
    session = sessions[0]
    url = reverse("meetings:session_edit", args=[session.pk])
    form = office_client.get(url).context["form"]
    data = {**schedule_form(city, day="2024-01-15", starts="14:00", ends="16:00"), "version": 1}
    data["note"] = "시장 일정 변경"
    response = office_client.post(url, data)
    assert response.status_code == 302, form.errors
    session.refresh_from_db()
    assert session.version == 2
    assert session.starts_at == dt.datetime(2024, 1, 15, 14, 0, tzinfo=KST)
    # The agenda moved with the session's start, back to back, each keeping its length.
    first, second = session.agenda.order_by("order")
    assert first.starts_at == session.starts_at
    assert second.starts_at == first.ends_at == dt.datetime(2024, 1, 15, 14, 40, tzinfo=KST)
    kinds = set(session.changes.filter(version=2).values_list("kind", flat=True))
    assert {"starts_at", "ends_at", "venue_ko", "attendees"} <= kinds
    moved = session.changes.get(version=2, kind="starts_at")
    assert moved.old_value == "2024-01-15T10:00+09:00"
    assert moved.new_value == "2024-01-15T14:00+09:00"
    assert moved.note == "시장 일정 변경" and moved.changed_by == city.mayors_office


def test_a_stale_edit_is_not_a_silent_overwrite(office_client, city, sessions):
    session = sessions[0]
    services.edit_session(
        session, by=city.mayors_office, expected_version=1, venue_ko="벡스코 컨벤션홀"
    )
    url = reverse("meetings:session_edit", args=[session.pk])
    data = {**schedule_form(city, day="2024-01-15", venue_ko="시청 12층"), "version": 1}
    response = office_client.post(url, data)
    assert response.status_code == 200
    assert response.context["conflict"].changes[0].new_value == "벡스코 컨벤션홀"
    # What this editor typed is kept, against the version now current.
    assert response.context["form"]["venue_ko"].value() == "시청 12층"
    assert response.context["form"]["version"].value() == "2"
    session.refresh_from_db()
    assert session.venue_ko == "벡스코 컨벤션홀"


def test_the_agenda_is_built_from_the_sectors_bureaus_back_to_back(office_client, city, sessions):
    session = sessions[0]
    page = office_client.get(reverse("meetings:session_detail", args=[session.pk]))
    bureaus = list(page.context["agenda_form"].fields["bureau"].queryset)
    # The bureaus owning key tasks in sector 1, not the welfare bureau (sector 4).
    assert bureaus == [city.economy, city.finance]
    response = office_client.post(
        reverse("meetings:agenda_add", args=[session.pk]),
        {"version": 1, "bureau": city.economy.pk, "title_ko": "일자리 추진상황", "minutes": 25},
    )
    assert response.status_code == 302
    third = session.agenda.get(order=3)
    assert third.starts_at == dt.datetime(2024, 1, 15, 11, 20, tzinfo=KST)
    assert third.ends_at == dt.datetime(2024, 1, 15, 11, 45, tzinfo=KST)
    assert SessionChange.objects.filter(session=session, kind="agenda_added").count() == 1


def test_reorder_without_javascript_is_a_plain_post(office_client, city, sessions):
    session = sessions[0]
    second = session.agenda.get(order=2)
    url = reverse("meetings:agenda_move", args=[session.pk, second.pk])
    response = office_client.post(url, {"version": 1, "direction": "up"})
    assert response.status_code == 302 and response["Location"].endswith("#agenda")
    agenda = list(session.agenda.order_by("order").values_list("bureau", flat=True))
    assert agenda == [city.finance.pk, city.economy.pk]
    first = session.agenda.get(order=1)
    assert first.starts_at == dt.datetime(2024, 1, 15, 10, 0, tzinfo=KST)
    assert first.ends_at == dt.datetime(2024, 1, 15, 10, 40, tzinfo=KST)
    change = session.changes.get(kind="agenda_moved")
    assert change.old_value == "2" and change.new_value.startswith("1. ")


def test_reorder_with_htmx_answers_with_the_agenda_fragment(office_client, city, sessions):
    session = sessions[0]
    first = session.agenda.get(order=1)
    url = reverse("meetings:agenda_move", args=[session.pk, first.pk])
    response = office_client.post(url, {"version": 1, "direction": "down"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith('<section class="section" id="agenda"')
    assert "<html" not in content
    assert content.index("금융중심지 조성") < content.index("바운스: 중소기업 지원")
    assert 'name="version" value="2"' in content


def test_a_stale_reorder_is_refused_and_shows_the_current_agenda(office_client, city, sessions):
    session = sessions[0]
    first = session.agenda.get(order=1)
    url = reverse("meetings:agenda_move", args=[session.pk, first.pk])
    office_client.post(url, {"version": 1, "direction": "down"})
    response = office_client.post(url, {"version": 1, "direction": "down"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.context["agenda_conflict"]
    session.refresh_from_db()
    assert session.version == 2


@pytest.mark.parametrize("data", [{}, {"version": "x"}, {"version": 1, "direction": "sideways"}])
def test_a_garbled_reorder_is_a_message_not_an_error(office_client, sessions, data):
    session = sessions[0]
    item = session.agenda.first()
    response = office_client.post(
        reverse("meetings:agenda_move", args=[session.pk, item.pk]), data, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response.context["agenda_error"]


def test_marking_held_is_recorded_and_freezes_the_agenda(office_client, city, sessions):
    session = sessions[0]
    response = office_client.post(
        reverse("meetings:session_held", args=[session.pk]), {"version": 1}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.is_held and session.held_by == city.mayors_office
    assert session.changes.get(kind="held").version == 2
    page = office_client.get(reverse("meetings:session_detail", args=[session.pk]))
    assert page.context["agenda_form"] is None
    with pytest.raises(ValidationError):
        services.add_to_agenda(
            session,
            by=city.mayors_office,
            expected_version=2,
            bureau=city.economy,
            title_ko="추가",
            minutes=10,
        )
    # A held session stays on record.
    with pytest.raises(ValueError):
        session.delete()


def test_a_session_not_yet_started_cannot_be_marked_held(city):
    session = services.schedule_session(
        by=city.mayors_office,
        sector=city.sectors[1],
        starts_at=dt.datetime(2099, 1, 13, 10, 0, tzinfo=KST),
        ends_at=dt.datetime(2099, 1, 13, 12, 0, tzinfo=KST),
        venue_ko="시청",
    )
    with pytest.raises(ValidationError):
        services.mark_held(session, by=city.mayors_office, expected_version=1)


def test_the_session_history_is_append_only(city, sessions):
    change = services.mark_held(sessions[0], by=city.mayors_office, expected_version=1)
    row = change.changes.get()
    with pytest.raises(ValueError):
        row.save()
    with pytest.raises(ValueError):
        SessionChange.objects.all().delete()


def test_the_session_page_reads_a_fixed_number_of_queries_whatever_the_agenda(
    office_client, city, sessions, django_assert_num_queries
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    session = sessions[0]
    url = reverse("meetings:session_detail", args=[session.pk])
    earlier = services.schedule_session(
        by=city.mayors_office,
        sector=city.sectors[0],
        starts_at=dt.datetime(2023, 7, 1, 10, 0, tzinfo=KST),
        ends_at=dt.datetime(2023, 7, 1, 12, 0, tzinfo=KST),
        venue_ko="시청",
    )
    services.add_directive(
        earlier,
        by=city.mayors_office,
        text="첫 지시",
        bureau=city.economy,
        due_date=dt.date(2024, 12, 31),
    )
    # Both reads find nothing in the cache: everything the page shows is read anew.
    cache.clear()
    with CaptureQueriesContext(connection) as small:
        office_client.get(url)
    version = session.version
    for number in range(6):
        services.add_to_agenda(
            session,
            by=city.mayors_office,
            expected_version=version,
            bureau=city.finance,
            title_ko=f"보고 {number}",
            minutes=5,
        )
        version += 1
        services.add_directive(
            earlier,
            by=city.mayors_office,
            text=f"지시 {number}",
            bureau=city.finance,
            due_date=dt.date(2024, 12, 31),
        )
    cache.clear()
    with django_assert_num_queries(len(small.captured_queries)):
        response = office_client.get(url)
    assert len(response.context["agenda"]) == 8
    assert len(response.context["follow_ups"]) == 7
