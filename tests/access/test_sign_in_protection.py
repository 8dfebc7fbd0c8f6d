"""Sign-in protection: failed sign-ins lock the account and the address (django-axes),
the sign-in page says so in the reader's language, city IT sees and lifts locks in
the admin, and every sign-in event is on record for good."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from accounts.models import SignInEvent
from tests.factories import UserFactory

Kind = SignInEvent.Kind
LIMIT = settings.AXES_FAILURE_LIMIT


def sign_in(client, username, password, address="10.0.0.1", **extra):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        HTTP_USER_AGENT="Chromium (office PC 7)",
        **extra,
    )


def signed_in(client) -> bool:
    return client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_thirty_wrong_passwords_then_the_right_one_is_refused(client, city):
    for _ in range(30):
        assert sign_in(client, "finance_staff", "guess").status_code in (200, 429)
    response = sign_in(client, "finance_staff", "password")
    assert response.status_code == 429
    assert not signed_in(client)
    assert "로그인에 여러 번 실패했습니다" in response.content.decode()
    assert response.context["form"]["username"].value() == "finance_staff"


def test_the_lock_starts_at_the_limit_not_before(client, city):
    for _ in range(LIMIT - 1):
        assert sign_in(client, "finance_staff", "guess").status_code == 200
    assert sign_in(client, "finance_staff", "password").status_code == 302
    assert signed_in(client)


def test_the_account_is_locked_whatever_address_the_guesses_come_from(client, city):
    for n in range(LIMIT):
        sign_in(client, "finance_staff", "guess", address=f"10.0.1.{n}")
    assert sign_in(client, "finance_staff", "password", address="10.0.2.1").status_code == 429
    # Other people still sign in from those addresses.
    assert sign_in(client, "economy_head", "password", address="10.0.1.0").status_code == 302


def test_an_address_guessing_many_accounts_is_locked(client, city):
    for n in range(LIMIT):
        sign_in(client, f"nobody{n}", "guess", address="10.9.9.9")
    assert sign_in(client, "economy_head", "password", address="10.9.9.9").status_code == 429
    assert sign_in(client, "economy_head", "password", address="10.0.0.2").status_code == 302


def test_the_lockout_message_follows_the_readers_language(client, city):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(LIMIT):
        sign_in(client, "finance_staff", "guess")
    page = sign_in(client, "finance_staff", "password").content.decode()
    assert "Too many failed sign-ins for this account or from this computer" in page
    assert "15 minutes" in page


def test_the_lock_ends_after_the_lockout_time(client, city):
    for _ in range(LIMIT):
        sign_in(client, "finance_staff", "guess")
    earlier = timezone.now() - settings.AXES_COOLOFF_TIME - dt.timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=earlier)
    assert sign_in(client, "finance_staff", "password").status_code == 302


@pytest.fixture
def it_client(client, db):
    it = UserFactory(username="city_it", is_staff=True, is_superuser=True)
    admin = type(client)()
    admin.force_login(it)
    admin.user = it
    return admin


def test_city_it_sees_the_lock_and_lifts_it_in_the_admin(client, city, it_client):
    for _ in range(LIMIT):
        sign_in(client, "finance_staff", "guess")
    locks = reverse("admin:axes_accessattempt_changelist")
    listing = it_client.get(locks).content.decode()
    assert "finance_staff" in listing and "10.0.0.1" in listing
    attempt = AccessAttempt.objects.get()
    response = it_client.post(
        locks, {"action": "lift_locks", "_selected_action": [attempt.pk]}, follow=True
    )
    assert response.status_code == 200
    assert not AccessAttempt.objects.exists()
    lifted = SignInEvent.objects.get(kind=Kind.LOCK_LIFTED)
    assert (lifted.username, lifted.by, lifted.address) == (
        "finance_staff",
        it_client.user,
        "10.0.0.1",
    )
    assert sign_in(client, "finance_staff", "password").status_code == 302


def test_the_audit_records_every_sign_in_event_with_address_and_time(client, city):
    before = timezone.now()
    sign_in(client, "finance_staff", "password")
    client.post(reverse("logout"), REMOTE_ADDR="10.0.0.1")
    for _ in range(LIMIT):
        sign_in(client, "finance_staff", "guess")
    sign_in(client, "finance_staff", "password")
    sign_in(client, "nobody", "guess", address="10.0.0.3")
    events = list(SignInEvent.objects.order_by("id"))
    assert [e.kind for e in events] == [
        Kind.SIGNED_IN,
        Kind.SIGNED_OUT,
        *[Kind.FAILED] * LIMIT,
        Kind.LOCKED_OUT,
        Kind.REFUSED_LOCKED,
        Kind.FAILED,
    ]
    assert {e.user for e in events[:-1]} == {city.finance_staff}
    assert events[-1].user is None and events[-1].username == "nobody"
    assert [e.address for e in events] == ["10.0.0.1"] * (len(events) - 1) + ["10.0.0.3"]
    assert all(e.at >= before for e in events)
    assert events[0].user_agent == "Chromium (office PC 7)"


def test_the_audit_is_readable_by_city_it_and_never_deleted(client, city, it_client):
    sign_in(client, "finance_staff", "guess")
    event = SignInEvent.objects.get(kind=Kind.FAILED)
    changelist = it_client.get(reverse("admin:accounts_signinevent_changelist"))
    assert "finance_staff" in changelist.content.decode()
    delete = reverse("admin:accounts_signinevent_delete", args=[event.pk])
    assert it_client.post(delete, {"post": "yes"}).status_code == 403
    with pytest.raises(ProtectedError):
        event.delete()
    with pytest.raises(ProtectedError):
        SignInEvent.objects.all().delete()
    with pytest.raises(ProtectedError):
        city.finance_staff.delete()
    assert SignInEvent.objects.filter(pk=event.pk).exists()


def test_a_hostile_user_name_is_recorded_as_typed(client, city):
    # 400 characters made PostgreSQL refuse axes' counter row: a 500 (hostile-input test).
    assert sign_in(client, "x" * 400, "guess").status_code == 200
    assert SignInEvent.objects.get().username == "x" * 150
    assert AccessAttempt.objects.get().username == "x" * 150
