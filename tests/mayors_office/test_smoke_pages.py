"""Every page of the mayor's office answers each role as the permission rules say:
anonymous → sign-in (or the public page), no right → 403, unknown object → 404."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from meetings.models import ReportSession
from plans.models import Indicator
from tests.conftest import client_for

# (url name, needs a session, who may read it)
DASHBOARD = {"mayors_office", "economy_head", "welfare_head"}
EVERYONE = DASHBOARD | {"finance_staff", "other_staff"}
PAGES = [
    ("review:dashboard", False, DASHBOARD),
    ("review:sector_detail", False, DASHBOARD),
    ("review:task_list", False, DASHBOARD),
    ("review:task_export_xlsx", False, DASHBOARD),
    ("review:task_export_csv", False, DASHBOARD),
    ("meetings:session_list", False, EVERYONE),
    ("meetings:session_calendar", False, EVERYONE),
    ("meetings:sessions_ics", False, EVERYONE),
    ("meetings:session_detail", True, EVERYONE),
    ("meetings:briefing", True, EVERYONE),
    ("meetings:minutes_edit", True, {"mayors_office"}),
]
ROLES = ["mayors_office", "economy_head", "welfare_head", "finance_staff", "other_staff"]


def url_for(name, needs_session, session):
    if name == "review:sector_detail":
        return reverse(name, args=[1])
    return reverse(name, args=[session.pk]) if needs_session else reverse(name)


@pytest.mark.parametrize(("name", "needs_session", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_every_page_against_every_role(
    city, sessions, jobs_indicator, client, name, needs_session, allowed
):
    url = url_for(name, needs_session, sessions[0])
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for role in ROLES:
        status = client_for(getattr(city, role)).get(url).status_code
        assert status == (200 if role in allowed else 403), (role, status)


def test_the_public_page_is_open_to_everyone(city, client):
    assert client.get(reverse("review:public")).status_code == 200


def test_the_real_busan_plan_renders_on_every_page(db, client):
    call_command("load_busan_2024", "--demo-accounts", verbosity=0)
    from django.contrib.auth import get_user_model

    office = get_user_model().objects.filter(profile__is_mayors_office=True).first()
    client.force_login(office)
    sessions = list(ReportSession.objects.order_by("starts_at"))
    assert len(sessions) == 5
    urls = [
        reverse("review:dashboard"),
        reverse("review:task_list") + "?flag=all",
        reverse("review:task_export_xlsx") + "?flag=all",
        reverse("meetings:session_list"),
        reverse("meetings:session_calendar"),
        reverse("meetings:sessions_ics"),
        reverse("review:public"),
    ]
    urls += [reverse("review:sector_detail", args=[n]) for n in range(1, 6)]
    for session in sessions:
        urls += [
            reverse("meetings:session_detail", args=[session.pk]),
            reverse("meetings:briefing", args=[session.pk]),
        ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    public = client.get(reverse("review:public"))
    # The public page's body is cached HTML: read the disclosed targets off the page.
    disclosed = Indicator.objects.filter(is_public=True, sector__plan=public.context["plan"])
    assert disclosed.exists()
    html = public.content.decode()
    assert any(indicator.name_ko in html for indicator in disclosed)
