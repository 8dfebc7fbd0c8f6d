"""City IT turns single sign-on on with environment variables: production passes the
deployment checklist with both ways in on, a missing variable stops the start with its
name, and the directory's record of changes is read-only in the admin."""

import secrets
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.urls import reverse

from busan_tracker.single_sign_on import single_sign_on
from sso.models import DirectoryChange
from sso.services import DirectoryFacts, apply_directory_facts
from tests.city_it.test_settings import run_manage
from tests.conftest import free_port
from tests.factories import UserFactory

from .test_sign_in_page import DIRECTORY, PROVIDER

# What this checks does not depend on the database: run once, in the PostgreSQL stage.
pytestmark = pytest.mark.once

SHOW = (
    "from django.conf import settings; "
    "print(settings.AUTHENTICATION_BACKENDS); "
    "print(settings.AUTH_LDAP_USER_SEARCH.base_dn, settings.AUTH_LDAP_GROUP_TYPE); "
    "print(settings.OIDC_OP_TOKEN_ENDPOINT, settings.OIDC_USE_PKCE)"
)


def test_production_with_both_ways_in_passes_the_deployment_checklist(tmp_path):
    env = {
        **DIRECTORY,
        **PROVIDER,
        "LDAP_GROUP_SEARCH_BASE": "ou=groups,dc=busan,dc=example",
        "LDAP_GROUP_TYPE": "nestedActiveDirectory",
        "LDAP_MAYORS_OFFICE_GROUP": "cn=tracker-mayors-office,ou=groups,dc=busan,dc=example",
    }
    common = {
        "BUSAN_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "tracker.busan.example",
        "BUSAN_VAR_DIR": str(tmp_path),
    }
    check = run_manage("check", "--deploy", "--fail-level", "WARNING", **common, **env)
    assert check.returncode == 0, check.stdout + check.stderr
    shown = run_manage("shell", "-c", SHOW, **common, **env)
    lines = shown.stdout.splitlines()[-3:]
    # The sign-in lock sees every attempt first, whichever way in it takes.
    assert lines[0] == str(
        [
            "accounts.backends.SignInLockBackend",
            "django.contrib.auth.backends.ModelBackend",
            "sso.directory.DirectoryBackend",
            "sso.openid.CityAccountBackend",
        ]
    ), shown.stderr
    assert lines[1].startswith("ou=people,dc=busan,dc=example <django_auth_ldap.config.Nested")
    assert lines[2] == "http://127.0.0.1:1/token True"


def test_local_accounts_are_the_only_way_in_by_default():
    assert single_sign_on({}) == {
        "AUTHENTICATION_BACKENDS": ["django.contrib.auth.backends.ModelBackend"]
    }


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"LDAP_SERVER_URI": "ldaps://ad.busan.example"}, "LDAP_USER_SEARCH_BASE"),
        ({**DIRECTORY, "LDAP_MAYORS_OFFICE_GROUP": "cn=x"}, "LDAP_GROUP_SEARCH_BASE"),
        (
            {**DIRECTORY, "LDAP_GROUP_SEARCH_BASE": "ou=g", "LDAP_GROUP_TYPE": "x"},
            "LDAP_GROUP_TYPE",
        ),
        ({**DIRECTORY, "LDAP_USER_ATTR_MAP": "last_name"}, "LDAP_USER_ATTR_MAP"),
        ({**PROVIDER, "OIDC_OP_JWKS_ENDPOINT": ""}, "OIDC_OP_JWKS_ENDPOINT"),
    ],
)
def test_a_missing_or_wrong_variable_stops_the_start_with_its_name(env, named):
    with pytest.raises(ImproperlyConfigured, match=named):
        single_sign_on(env)


def test_a_misconfigured_production_does_not_start(tmp_path):
    result = run_manage(
        "check",
        BUSAN_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        BUSAN_VAR_DIR=str(tmp_path),
        LDAP_SERVER_URI="ldaps://ad.busan.example",
    )
    assert result.returncode != 0
    assert "LDAP_USER_SEARCH_BASE must be set when LDAP_SERVER_URI is set" in result.stderr


def test_city_it_reads_the_directory_changes_and_nobody_edits_or_deletes_one(client, city):
    apply_directory_facts(
        user=city.finance_staff,
        facts=DirectoryFacts(source="oidc", bureau_values=None, mayors_office=True),
    )
    change = DirectoryChange.objects.get()
    client.force_login(UserFactory(username="it_admin", is_staff=True, is_superuser=True))
    listing = client.get(reverse("admin:sso_directorychange_changelist"), {"q": "finance_staff"})
    assert listing.status_code == 200 and "finance_staff" in listing.content.decode()
    assert client.get(reverse("admin:sso_directorychange_add")).status_code == 403
    delete = reverse("admin:sso_directorychange_delete", args=[change.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert DirectoryChange.objects.filter(pk=change.pk).exists()


def test_two_bureaus_cannot_share_a_directory_code(client, city):
    client.force_login(UserFactory(username="it_admin", is_staff=True, is_superuser=True))
    city.finance.directory_code = "6260110"
    city.finance.save(update_fields=["directory_code"])
    url = reverse("admin:plans_bureau_change", args=[city.welfare.pk])
    form = {
        "code": city.welfare.code,
        "kind": city.welfare.kind,
        "name_ko": city.welfare.name_ko,
        "name_en": city.welfare.name_en,
        "head": city.welfare.head_id,
        "directory_code": "6260110",
        "children-TOTAL_FORMS": 0,
        "children-INITIAL_FORMS": 0,
        "members-TOTAL_FORMS": 0,
        "members-INITIAL_FORMS": 0,
    }
    response = client.post(url, form)
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert errors == ["이 조직도 코드는 이미 다른 실국에 지정되어 있습니다."]
    city.welfare.refresh_from_db()
    assert city.welfare.directory_code == ""
    # Blank codes (a bureau the directory never names) are many.
    assert city.economy.directory_code == city.office.directory_code == ""


def test_city_it_reads_the_providers_addresses_from_its_discovery_document(provider_server):
    out = StringIO()
    call_command("oidc_endpoints", f"{provider_server.url}/o", stdout=out)
    env = provider_server.environment()
    for line in out.getvalue().splitlines():
        name, value = line.split("=", 1)
        assert env[name] == value
    assert len(out.getvalue().splitlines()) == 4


def test_a_provider_address_without_a_discovery_document_is_explained():
    with pytest.raises(CommandError, match="could not read"):
        call_command("oidc_endpoints", f"http://127.0.0.1:{free_port()}")
