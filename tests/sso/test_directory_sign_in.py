"""City staff sign in with the city directory's user name and password (LDAP, a real
slapd the tests start): the directory checks the password, the tracker puts them in the
bureau their directory entry names and gives the mayor's office role to members of its
group; a bureau head stays whoever the city appointed in the tracker."""

import logging

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from plans.models import Profile
from sso.directory import DIRECTORY_DOWN
from sso.models import DirectoryChange
from tests.conftest import free_port
from tests.factories import ProfileFactory, UserFactory

from .servers import DIRECTORY

# What this checks does not depend on the database: run once, in the PostgreSQL stage.
pytestmark = pytest.mark.once

User = get_user_model()
PEOPLE = {person.uid: person for person in DIRECTORY}


def sign_in(client, username, password="directory-password", next=""):
    return client.post(reverse("login"), {"username": username, "password": password, "next": next})


def test_a_city_employee_signs_in_with_the_directory_password_and_lands_in_their_bureau(
    client, directory, mapped_city
):
    response = sign_in(client, "kim.minsu")
    assert response.status_code == 302
    # Staff land on their own queue, as everyone signing in does.
    assert response["Location"] == reverse("inbox:queue")
    user = User.objects.get(username="kim.minsu")
    assert (user.get_full_name(), user.email) == ("김민수", "kim.minsu@busan.example")
    assert not user.has_usable_password(), "the directory keeps the password, not the tracker"
    assert user.profile.bureau == mapped_city.finance
    assert not user.profile.is_mayors_office
    change = DirectoryChange.objects.get(username="kim.minsu")
    assert (change.field, change.old_value, change.new_value) == ("bureau", "", "finance")
    assert (change.source, change.directory_value, change.user) == ("ldap", "6260110", user)
    assert client.get(reverse("plans:my_tasks")).status_code == 200

    # A second sign-in that changes nothing records nothing.
    client.logout()
    assert sign_in(client, "kim.minsu").status_code == 302
    assert DirectoryChange.objects.filter(username="kim.minsu").count() == 1


def test_the_mayors_office_group_gives_the_role_and_leaving_it_takes_it_away(
    client, directory, mapped_city
):
    assert sign_in(client, "lee.jiyoung").status_code == 302
    profile = Profile.objects.get(user__username="lee.jiyoung")
    assert profile.is_mayors_office and profile.bureau == mapped_city.office
    assert client.get(reverse("review:dashboard")).status_code == 200

    directory.leave_group(PEOPLE["lee.jiyoung"], "tracker-mayors-office")
    client.logout()
    assert sign_in(client, "lee.jiyoung").status_code == 302
    profile.refresh_from_db()
    assert not profile.is_mayors_office
    assert client.get(reverse("review:dashboard")).status_code == 403
    granted, revoked = DirectoryChange.objects.filter(field="is_mayors_office").order_by("id")
    assert (granted.old_value, granted.new_value) == ("no", "yes")
    assert (revoked.old_value, revoked.new_value) == ("yes", "no")
    assert "not a member of cn=tracker-mayors-office" in revoked.directory_value


def test_a_wrong_directory_password_is_refused_and_keeps_the_user_name(
    client, directory, mapped_city
):
    response = sign_in(client, "kim.minsu", password="not-my-password")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert 'value="kim.minsu"' in response.content.decode()
    assert not User.objects.filter(username="kim.minsu").exists()


def test_someone_the_city_has_not_admitted_to_the_tracker_cannot_sign_in(
    client, directory, mapped_city
):
    """park.outsider's password is right, but they are not in tracker-users."""
    response = sign_in(client, "park.outsider")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not User.objects.filter(username="park.outsider").exists()


def test_signing_in_never_appoints_or_removes_a_bureau_head(client, directory, mapped_city):
    """economy_head heads the economy headquarters in the tracker; the directory says
    they now work in welfare. They move, and stay head until the city re-appoints."""
    assert sign_in(client, "economy_head").status_code == 302
    user = User.objects.get(username="economy_head")
    assert user.profile.bureau == mapped_city.welfare
    mapped_city.economy.refresh_from_db()
    mapped_city.welfare.refresh_from_db()
    assert mapped_city.economy.head == user
    assert mapped_city.welfare.head == mapped_city.welfare_head
    change = DirectoryChange.objects.get(username="economy_head")
    assert (change.old_value, change.new_value) == ("economy", "welfare")
    # Still the head: the economy headquarters' tasks are theirs to update.
    task_page = client.get(reverse("plans:task_update", kwargs={"pk": mapped_city.economy_task.pk}))
    assert task_page.status_code == 200


def test_a_bureau_code_the_tracker_does_not_know_leaves_the_profile_and_tells_city_it(
    client, directory, mapped_city, caplog
):
    user = UserFactory(username="choi.newteam")
    ProfileFactory(user=user, bureau=mapped_city.finance)
    with caplog.at_level(logging.WARNING, logger="sso.services"):
        assert sign_in(client, "choi.newteam").status_code == 302
    user.profile.refresh_from_db()
    assert user.profile.bureau == mapped_city.finance
    assert not DirectoryChange.objects.filter(username="choi.newteam").exists()
    assert any("9999999" in record.getMessage() for record in caplog.records)


def test_the_bureau_can_come_from_a_directory_group(
    client, directory_server, configure, mapped_city
):
    configure(directory_server.environment(LDAP_BUREAU_ATTRIBUTE=""))
    mapped_city.finance.directory_code = "busan-finance"
    mapped_city.finance.save(update_fields=["directory_code"])
    assert sign_in(client, "kim.minsu").status_code == 302
    assert User.objects.get(username="kim.minsu").profile.bureau == mapped_city.finance
    assert DirectoryChange.objects.get(username="kim.minsu").directory_value == "busan-finance"


def test_tracker_accounts_still_sign_in_when_the_directory_does_not_answer(
    client, directory_server, configure, city
):
    configure(directory_server.environment(LDAP_SERVER_URI=f"ldap://127.0.0.1:{free_port()}"))
    refused = sign_in(client, "kim.minsu")
    assert refused.status_code == 200
    with translation.override("ko"):
        assert refused.content.decode().count(str(escape(DIRECTORY_DOWN))) == 1
    assert sign_in(client, "finance_staff", password="password").status_code == 302


def test_an_expired_session_asked_by_htmx_signs_in_with_the_directory_and_comes_back(
    client, directory, mapped_city
):
    page = "/tasks/mine/?status=delayed"
    expired = client.get(
        reverse("plans:my_tasks"),
        headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{page}"},
    )
    login = expired["HX-Redirect"]
    assert login == f"{reverse('login')}?next=/tasks/mine/%3Fstatus%3Ddelayed"
    form = client.get(login).content.decode()
    assert f'name="next" value="{page}"' in form
    assert 'id="sign-in-directory"' in form
    response = sign_in(client, "kim.minsu", next=page)
    assert response["Location"] == page
    assert client.get(page).status_code == 200


def test_an_account_city_it_deactivated_is_refused_even_with_the_directory_password(
    client, directory, mapped_city
):
    User.objects.create_user("kim.minsu", is_active=False)
    response = sign_in(client, "kim.minsu")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert client.get(reverse("plans:my_tasks")).status_code == 302
