"""Everyone can change their password; anyone can have a reset link emailed, in their
own language, through the reminders' email machinery; a session ends with the browser,
after a stretch without use and after a working day."""

import re
import time

from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from accounts import sessions
from accounts.models import SignInEvent
from tests.conftest import client_for

Kind = SignInEvent.Kind


def test_a_staff_member_changes_their_password(city):
    client = client_for(city.finance_staff)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "password",
            "new_password1": "busan-harbour-2025",
            "new_password2": "busan-harbour-2025",
        },
    )
    assert response.status_code == 302
    city.finance_staff.refresh_from_db()
    assert city.finance_staff.check_password("busan-harbour-2025")
    assert SignInEvent.objects.filter(kind=Kind.PASSWORD_CHANGED, user=city.finance_staff).exists()
    assert client.get(reverse("home")).wsgi_request.user == city.finance_staff  # still in


def test_a_wrong_current_password_is_refused_in_korean_and_keeps_the_page(city):
    client = client_for(city.finance_staff)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "nope",
            "new_password1": "x-long-pass-1",
            "new_password2": "x-long-pass-1",
        },
    )
    assert response.status_code == 200
    assert "기존 비밀번호" in response.content.decode()
    city.finance_staff.refresh_from_db()
    assert city.finance_staff.check_password("password")


def reset_link(message) -> str:
    return re.search(r"http://\S+/accounts/password/reset/\S+/", message.body).group(0)


def test_a_reset_link_arrives_in_the_readers_language_and_sets_a_new_password(client, city):
    city.finance_staff.profile.language = "en"
    city.finance_staff.profile.save()
    response = client.post(
        reverse("accounts:password_reset"), {"email": "finance_staff@busan.example"}
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["finance_staff@busan.example"]
    assert message.subject == "[Busan work-plan tracker] Set a new password"
    assert "The link works once, for 60 minutes." in message.body
    assert message.alternatives[0][1] == "text/html"
    link = reset_link(message)
    assert link.startswith(settings.SITE_URL)
    form = client.get(link.removeprefix(settings.SITE_URL), follow=True)
    assert form.status_code == 200 and form.context["validlink"]
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "gwangan-bridge-77", "new_password2": "gwangan-bridge-77"},
    )
    assert done.status_code == 302 and done["Location"] == reverse("login")
    city.finance_staff.refresh_from_db()
    assert city.finance_staff.check_password("gwangan-bridge-77")
    kinds = list(SignInEvent.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == [Kind.RESET_REQUESTED, Kind.PASSWORD_RESET]
    # The link works once.
    assert not client.get(link.removeprefix(settings.SITE_URL), follow=True).context["validlink"]


def test_the_reset_email_is_korean_by_default(client, city):
    client.post(reverse("accounts:password_reset"), {"email": "finance_staff@busan.example"})
    (message,) = mail.outbox
    assert message.subject == "[부산시 업무계획] 새 비밀번호 설정"
    assert "60분 동안 한 번만" in message.body


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, city):
    known = client.post(
        reverse("accounts:password_reset"), {"email": "finance_staff@busan.example"}
    )
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@busan.example"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1
    assert SignInEvent.objects.filter(username="nobody@busan.example").exists()


def test_asking_again_at_once_sends_no_second_email(client, city):
    for _ in range(5):
        client.post(reverse("accounts:password_reset"), {"email": "finance_staff@busan.example"})
    assert len(mail.outbox) == 1


def test_the_session_cookie_ends_with_the_browser(client, city):
    client.post(reverse("login"), {"username": "finance_staff", "password": "password"})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60  # never the 14 days of before


@override_settings(SESSION_IDLE_MINUTES=30)
def test_a_session_left_idle_is_signed_out_and_told_why(city):
    client = client_for(city.finance_staff)
    assert client.get(reverse("plans:my_tasks")).status_code == 200
    session = client.session
    session[sessions.LAST_SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = client.get(reverse("plans:my_tasks"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "한동안 사용하지 않아 로그아웃되었습니다" in response.content.decode()
    assert SignInEvent.objects.filter(kind=Kind.TIMED_OUT, user=city.finance_staff).exists()


def test_an_htmx_request_after_the_idle_time_loads_sign_in_in_the_window(city):
    client = client_for(city.finance_staff)
    session = client.session
    session[sessions.LAST_SEEN] = int(time.time()) - settings.SESSION_IDLE_MINUTES * 60 - 5
    session.save()
    response = client.get(reverse("plans:my_tasks"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(reverse("login"))


def test_a_session_in_use_stays_and_is_not_written_on_every_request(
    city, django_assert_num_queries
):
    client = client_for(city.finance_staff)
    client.get(reverse("home"))
    stamp = client.session[sessions.LAST_SEEN]
    client.get(reverse("home"))
    assert client.session[sessions.LAST_SEEN] == stamp  # written at most once a minute


def test_no_session_outlives_a_working_day_however_busy(city):
    client = client_for(city.finance_staff)
    session = client.session
    session[sessions.SIGNED_IN_AT] = int(time.time()) - settings.SESSION_COOKIE_AGE - 1
    session.save()
    assert client.get(reverse("plans:my_tasks")).status_code == 302
