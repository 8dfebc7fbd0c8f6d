"""City staff sign in with the city account through the city's OpenID provider (a real
provider process the tests start): "Sign in with the city account" on the sign-in page,
the provider's own sign-in form, and back to the page they wanted, in their bureau and
role as the provider's claims say. Whatever goes wrong brings them back to sign in with
a message, never a server error."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from plans.models import Profile
from sso import openid
from sso.models import DirectoryChange
from sso.views import FAILURES
from tests.conftest import free_port

# What this checks does not depend on the database: run once, in the PostgreSQL stage.
pytestmark = pytest.mark.once

User = get_user_model()


def message_shown(response_or_client, reason) -> bool:
    page = response_or_client.get(reverse("login")).content.decode()
    with translation.override("ko"):
        return str(escape(FAILURES[reason])) in page


def test_a_city_employee_signs_in_with_the_city_account_and_lands_on_the_page_they_wanted(
    client, provider, mapped_city, city_account_sign_in
):
    response = city_account_sign_in("kim.minsu", next="/tasks/mine/?status=delayed")
    assert response.status_code == 302
    assert response["Location"] == "/tasks/mine/?status=delayed"
    assert client.get(response["Location"]).status_code == 200
    user = User.objects.get(username="kim.minsu")
    assert (user.get_full_name(), user.email) == ("김민수", "kim.minsu@busan.example")
    assert not user.has_usable_password()
    assert user.profile.bureau == mapped_city.finance
    assert not user.profile.is_mayors_office
    change = DirectoryChange.objects.get(username="kim.minsu")
    assert (change.source, change.field, change.new_value, change.directory_value) == (
        "oidc",
        "bureau",
        "finance",
        "6260110",
    )


def test_without_a_page_to_return_to_the_city_account_lands_on_the_home_page(
    client, provider, mapped_city, city_account_sign_in
):
    response = city_account_sign_in("kim.minsu")
    assert response["Location"] == reverse("home")


def test_the_mayors_office_claim_gives_the_role_and_losing_it_takes_it_away(
    client, provider, mapped_city, city_account_sign_in
):
    assert city_account_sign_in("lee.jiyoung").status_code == 302
    profile = Profile.objects.get(user__username="lee.jiyoung")
    assert profile.is_mayors_office and profile.bureau == mapped_city.office
    assert client.get(reverse("review:dashboard")).status_code == 200

    provider.change_claims("lee.jiyoung", groups=["tracker-users"], department="6260200")
    client.logout()
    assert city_account_sign_in("lee.jiyoung").status_code == 302
    profile.refresh_from_db()
    assert not profile.is_mayors_office
    assert profile.bureau == mapped_city.welfare
    assert client.get(reverse("review:dashboard")).status_code == 403
    assert list(
        DirectoryChange.objects.filter(username="lee.jiyoung")
        .order_by("id")
        .values_list("field", "old_value", "new_value")
    ) == [
        ("bureau", "", "mayors-office"),
        ("is_mayors_office", "no", "yes"),
        ("bureau", "mayors-office", "welfare"),
        ("is_mayors_office", "yes", "no"),
    ]


def test_the_same_user_name_signs_in_to_the_existing_account(
    client, provider, mapped_city, city_account_sign_in
):
    """A person city IT created by hand (here with another case) is the same person."""
    existing = User.objects.create_user("Kim.Minsu", password="local-password")
    assert city_account_sign_in("kim.minsu").status_code == 302
    assert User.objects.filter(username__iexact="kim.minsu").count() == 1
    existing.refresh_from_db()
    assert existing.profile.bureau == mapped_city.finance
    assert existing.check_password("local-password"), "the local password is left alone"


def test_someone_the_city_has_not_admitted_is_sent_back_with_a_message(
    client, provider, mapped_city, city_account_sign_in
):
    response = city_account_sign_in("park.outsider")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not User.objects.filter(username="park.outsider").exists()
    assert message_shown(client, openid.NOT_ADMITTED)


def test_an_account_city_it_deactivated_is_refused(
    client, provider, mapped_city, city_account_sign_in
):
    User.objects.create_user("kim.minsu", is_active=False)
    response = city_account_sign_in("kim.minsu")
    assert response["Location"].startswith(reverse("login"))
    assert client.get(reverse("plans:my_tasks")).status_code == 302
    assert message_shown(client, openid.NOT_ADMITTED)


def test_a_wrong_password_at_the_provider_stays_at_the_provider(
    client, provider, mapped_city, city_account_sign_in
):
    refused = city_account_sign_in("kim.minsu", password="not-my-password")
    assert refused.status_code == 200
    assert "아이디 또는 비밀번호가 올바르지 않습니다" in refused.text
    assert not User.objects.filter(username="kim.minsu").exists()


def test_an_old_or_replayed_callback_link_asks_to_sign_in_again(
    client, provider, mapped_city, city_account_sign_in
):
    callback = reverse("sso:oidc_callback")
    for query in ("?code=made-up&state=made-up", "?state=only", "?code=only", ""):
        response = client.get(callback + query)
        assert response.status_code == 302, query
        assert response["Location"].startswith(reverse("login"))
    assert message_shown(client, openid.EXPIRED)


def test_a_callback_used_twice_or_its_code_reused_is_refused_and_explained(
    client, provider, mapped_city, city_account_sign_in
):
    callback = city_account_sign_in("kim.minsu", come_back=False)
    assert client.get(callback)["Location"] == reverse("home")
    client.logout()

    # The same link again (a back button, a copied address): its state is spent.
    again = client.get(callback)
    assert again["Location"].startswith(reverse("login"))
    assert message_shown(client, openid.EXPIRED)

    # Its code with a fresh state: the provider refuses a code it already exchanged.
    start = client.get(reverse("sso:oidc_start"))
    state = start["Location"].split("state=")[1].split("&")[0]
    code = callback.split("code=")[1].split("&")[0]
    reused = client.get(f"{reverse('sso:oidc_callback')}?code={code}&state={state}")
    assert reused["Location"].startswith(reverse("login"))
    assert message_shown(client, openid.REFUSED)
    assert client.get(reverse("plans:my_tasks")).status_code == 302


def test_the_person_cancelling_at_the_provider_comes_back_to_sign_in(client, provider, db):
    start = client.get(reverse("sso:oidc_start") + "?next=/dashboard/")
    state = start["Location"].split("state=")[1].split("&")[0]
    response = client.get(f"{reverse('sso:oidc_callback')}?error=access_denied&state={state}")
    assert response["Location"] == f"{reverse('login')}?next=/dashboard/"
    assert message_shown(client, openid.REFUSED)


def test_a_provider_that_does_not_answer_is_explained(
    client, provider_server, configure, mapped_city
):
    down = f"http://127.0.0.1:{free_port()}"
    configure(
        provider_server.environment(
            OIDC_OP_TOKEN_ENDPOINT=f"{down}/o/token/", OIDC_OP_JWKS_ENDPOINT=f"{down}/jwks"
        )
    )
    start = client.get(reverse("sso:oidc_start"))
    state = start["Location"].split("state=")[1].split("&")[0]
    response = client.get(f"{reverse('sso:oidc_callback')}?code=anything&state={state}")
    assert response["Location"].startswith(reverse("login"))
    assert message_shown(client, openid.UNAVAILABLE)


def test_a_token_signed_by_someone_else_is_refused(
    client, provider_server, configure, mapped_city, city_account_sign_in
):
    """The tracker checks the ID token's signature against the provider's keys."""
    configure(provider_server.environment(OIDC_RP_SIGN_ALGO="HS256"))
    response = city_account_sign_in("kim.minsu")
    assert response["Location"].startswith(reverse("login"))
    assert not User.objects.filter(username="kim.minsu").exists()
    assert message_shown(client, openid.REFUSED)


def test_the_city_account_pages_are_not_there_while_the_provider_is_off(client, db):
    assert client.get(reverse("sso:oidc_start")).status_code == 404
    assert client.get(reverse("sso:oidc_callback") + "?code=x&state=y").status_code == 404
