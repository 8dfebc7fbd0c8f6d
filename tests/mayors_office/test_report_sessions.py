"""Report sessions: the list, the calendar and the session page with its agenda."""

import datetime as dt

from django.urls import reverse


def test_the_list_shows_every_session_in_time_order_with_theme_and_venue(staff_client, sessions):
    response = staff_client.get(reverse("meetings:session_list"))
    assert response.status_code == 200
    assert list(response.context["sessions"]) == sessions
    content = response.content.decode()
    assert "2024-01-15" in content and "10:00" in content  # Asia/Seoul, not UTC
    assert "자갈치시장 소상공인종합지원센터" in content


def test_anonymous_cannot_see_sessions(client, sessions):
    for url in ["/sessions/", f"/sessions/{sessions[0].pk}/", "/sessions/calendar/"]:
        assert client.get(url).status_code == 302


def test_the_calendar_opens_on_the_month_of_the_sessions(staff_client, sessions):
    response = staff_client.get(reverse("meetings:session_calendar"))
    assert response.status_code == 200
    assert response.context["month"] == dt.date(2024, 1, 1)
    days = {day: found for week in response.context["weeks"] for day, _in_month, found in week}
    assert days[dt.date(2024, 1, 15)] == [sessions[0]]
    assert days[dt.date(2024, 1, 17)] == [sessions[1]]
    assert days[dt.date(2024, 1, 16)] == []


def test_another_month_of_the_calendar_and_a_bad_month_is_not_an_error(staff_client, sessions):
    response = staff_client.get("/sessions/calendar/", {"month": "2024-02"})
    assert response.context["month"] == dt.date(2024, 2, 1)
    assert response.context["sessions"] == []
    for bad in ["2024-13", "x", "2024-", "99999-01", "0001-01", "9999-12", "1-1-1"]:
        response = staff_client.get("/sessions/calendar/", {"month": bad})
        assert response.status_code == 200, bad


def test_the_session_page_has_theme_venue_time_and_ordered_agenda(staff_client, sessions):
    session = sessions[0]
    response = staff_client.get(reverse("meetings:session_detail", args=[session.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "민생 안정과 경제 활력 제고" in content
    assert "10:00\u201310:40" in content and "10:40\u201311:20" in content
    assert content.index("바운스: 중소기업 지원") < content.index("금융중심지 조성")
    # Staff read the session but get no directive or minutes forms.
    assert "directive-form" not in content
    assert reverse("meetings:minutes_edit", args=[session.pk]) not in content


def test_an_unknown_session_is_404(office_client, city):
    for url in ["/sessions/999/", "/sessions/999/briefing/", "/sessions/999/minutes/"]:
        assert office_client.get(url).status_code == 404
    assert office_client.post("/sessions/999/directives/").status_code == 404
