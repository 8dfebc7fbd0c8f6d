"""A person makes their own API token (shown once, stored only as a digest), revokes
it; city IT sees and revokes anyone's in the admin; nothing is deleted; each token has
its own rate limit."""

import hashlib

import pytest
from django.urls import reverse

from api.models import ApiToken
from api.services import issue_token
from tests.api.conftest import ApiClient
from tests.conftest import client_for
from tests.factories import UserFactory


def test_a_person_makes_a_token_and_sees_it_once(city):
    client = client_for(city.finance_staff)
    response = client.post(reverse("api:tokens"), {"name": "예산 시스템"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=city.finance_staff)
    page = response.content.decode()
    start = page.index('class="token-value">') + len('class="token-value">')
    raw = page[start : page.index("<", start)]
    assert raw.startswith("bt_") and len(raw) > 40
    # Only the digest is stored; the token works for its person.
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {token.prefix, token.digest, token.name}
    assert ApiClient(raw).get(reverse("api_v1:plans")).status_code == 200
    # Shown once: the list shows only its first characters.
    again = client.get(reverse("api:tokens")).content.decode()
    assert raw not in again and f"{token.prefix}…" in again and "예산 시스템" in again


def test_a_token_needs_a_name_and_the_form_keeps_what_was_typed(city):
    client = client_for(city.finance_staff)
    response = client.post(reverse("api:tokens"), {"name": "   "})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()
    assert "field-error" in response.content.decode()


def test_a_person_revokes_their_own_token_but_not_someone_elses(city):
    mine = issue_token(user=city.finance_staff, name="mine")
    theirs = issue_token(user=city.other_staff, name="theirs")
    client = client_for(city.finance_staff)
    response = client.post(reverse("api:token_revoke", kwargs={"pk": theirs.token.pk}))
    assert response.status_code == 404
    response = client.post(reverse("api:token_revoke", kwargs={"pk": mine.token.pk}))
    assert response.status_code == 302
    mine.token.refresh_from_db()
    theirs.token.refresh_from_db()
    assert mine.token.revoked_by == city.finance_staff and mine.token.revoked_at
    assert theirs.token.revoked_at is None
    assert ApiClient(mine.raw).get(reverse("api_v1:plans")).status_code == 401
    assert ApiClient(theirs.raw).get(reverse("api_v1:plans")).status_code == 200
    assert client.get(reverse("api:token_revoke", kwargs={"pk": mine.token.pk})).status_code == 405


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("finance_staff", 200),
        ("other_staff", 200),
        ("economy_head", 200),
        ("welfare_head", 200),
        ("mayors_office", 200),
    ],
)
def test_who_opens_the_tokens_page(client, city, role, status):
    if role != "anonymous":
        client = client_for(getattr(city, role))
    assert client.get(reverse("api:tokens")).status_code == status


def test_city_it_revokes_tokens_in_the_admin_and_deletes_none(city):
    admin = UserFactory(username="it", is_staff=True, is_superuser=True)
    issued = issue_token(user=city.finance_staff, name="ERP")
    client = client_for(admin)
    listing = client.get(reverse("admin:api_apitoken_changelist"))
    assert listing.status_code == 200 and "ERP" in listing.content.decode()
    assert issued.raw not in listing.content.decode()
    response = client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [issued.token.pk]},
    )
    assert response.status_code == 302
    issued.token.refresh_from_db()
    assert issued.token.revoked_by == admin
    delete = reverse("admin:api_apitoken_delete", args=[issued.token.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert ApiToken.objects.filter(pk=issued.token.pk).exists()


def test_each_token_has_its_own_rate_limit(city, settings):
    settings.API_RATE_LIMIT = 3
    busy = ApiClient(issue_token(user=city.finance_staff, name="busy").raw)
    calm = ApiClient(issue_token(user=city.finance_staff, name="calm").raw)
    url = reverse("api_v1:plans")
    assert [busy.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = busy.get(url)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "1분" in refused.json()["detail"]
    assert calm.get(url).status_code == 200


def test_the_schema_is_public_and_the_root_asks_for_a_token(client, db):
    schema = client.get(reverse("api_v1:openapi-json"))
    assert schema.status_code == 200
    assert "/api/v1/key-tasks/{task_id}" in schema.json()["paths"]
    assert client.get(reverse("api_v1:api-root")).status_code in (401, 404)
