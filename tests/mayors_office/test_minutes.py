"""The mayor's office writes the minutes in the session page; two editors never
silently overwrite each other."""

from django.urls import reverse

from meetings.models import ReportSession


def url(session):
    return reverse("meetings:minutes_edit", args=[session.pk])


def test_the_mayors_office_opens_the_editor_and_saves_the_minutes(office_client, city, sessions):
    session = sessions[0]
    editor = office_client.get(url(session), headers={"HX-Request": "true"})
    assert editor.status_code == 200
    assert 'name="minutes"' in editor.content.decode()
    response = office_client.post(
        url(session),
        {"minutes": "  시장 지시: 소상공인 지원 강화  ", "seen": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    session.refresh_from_db()
    assert session.minutes == "시장 지시: 소상공인 지원 강화"
    assert session.minutes_updated_by == city.mayors_office
    assert "시장 지시: 소상공인 지원 강화" in response.content.decode()


def test_without_javascript_the_editor_is_a_page_and_saving_redirects(office_client, sessions):
    session = sessions[0]
    assert 'name="minutes"' in office_client.get(url(session)).content.decode()
    response = office_client.post(url(session), {"minutes": "기록", "seen": ""})
    assert response.status_code == 302


def test_a_second_editor_gets_a_conflict_and_keeps_their_text(office_client, city, sessions):
    session = sessions[0]
    office_client.post(url(session), {"minutes": "첫 번째 기록", "seen": ""})
    # The second editor opened the editor before the first save (saw no save yet).
    response = office_client.post(
        url(session), {"minutes": "두 번째 기록", "seen": ""}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'role="alert"' in content
    assert "두 번째 기록</textarea>" in content
    assert "첫 번째 기록" in content
    assert ReportSession.objects.get(pk=session.pk).minutes == "첫 번째 기록"
    # Saving again with the version now seen goes through.
    seen = ReportSession.objects.get(pk=session.pk).minutes_updated_at.isoformat()
    office_client.post(url(session), {"minutes": "합친 기록", "seen": seen})
    assert ReportSession.objects.get(pk=session.pk).minutes == "합친 기록"


def test_bureau_heads_and_staff_cannot_write_minutes(head_client, staff_client, sessions):
    session = sessions[0]
    for client in (head_client, staff_client):
        assert client.get(url(session)).status_code == 403
        assert client.post(url(session), {"minutes": "x", "seen": ""}).status_code == 403
    assert ReportSession.objects.get(pk=session.pk).minutes == ""


def test_a_garbled_seen_stamp_is_a_conflict_not_a_500(office_client, sessions):
    response = office_client.post(url(sessions[0]), {"minutes": "x", "seen": "not-a-date"})
    assert response.status_code == 200
    assert ReportSession.objects.get(pk=sessions[0].pk).minutes == ""
