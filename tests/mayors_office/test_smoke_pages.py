"""Every page of the mayor's office answers each role as the permission rules say."""

import pytest
from django.urls import reverse

from tests.mayors_office.conftest import client_for


@pytest.fixture
def urls(sessions):
    session = sessions[0]
    return {
        "dashboard": reverse("meetings:dashboard"),
        "sector": reverse("meetings:sector_detail", args=[1]),
        "tasks": reverse("meetings:task_list"),
        "xlsx": reverse("meetings:task_export_xlsx"),
        "csv": reverse("meetings:task_export_csv"),
        "sessions": reverse("meetings:session_list"),
        "calendar": reverse("meetings:session_calendar"),
        "ics": reverse("meetings:sessions_ics"),
        "session": reverse("meetings:session_detail", args=[session.pk]),
        "briefing": reverse("meetings:briefing", args=[session.pk]),
        "minutes": reverse("meetings:minutes_edit", args=[session.pk]),
    }


def test_the_mayors_office_opens_every_page(city, jobs_indicator, urls):
    client = client_for(city.mayors_office)
    for name, url in urls.items():
        assert client.get(url).status_code == 200, name
