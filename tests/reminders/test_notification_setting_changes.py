"""A change of a person's notification setting (each reminder as an email, or one email a
day) is recorded — whose, who changed it, when, from what to what — shown on their email
settings page, read in the admin and never edited or deleted."""

import pytest
from django.db.models import ProtectedError
from django.test import override_settings
from django.urls import reverse

from plans.models import OnRecord
from reminders import daily
from reminders.models import NotificationSettingChange
from tests.conftest import client_for
from tests.factories import UserFactory

URL = reverse("reminders:notifications")
EACH = "알림마다 한 통씩 받기"
DAILY = "하루 한 통에 모두 모아 받기(일일 요약)"


def test_a_person_who_switches_to_one_email_for_each_sees_the_change_recorded(city):
    staff = client_for(city.finance_staff)
    assert "이 설정의 변경 이력" not in staff.get(URL).content.decode()  # nothing yet

    assert staff.post(URL, {"delivery": "each"}).status_code == 302

    change = NotificationSettingChange.objects.get()
    assert (change.person, change.changed_by) == (city.finance_staff, city.finance_staff)
    assert (change.old_delivery, change.new_delivery) == ("daily", "each")
    assert change.changed_at is not None
    page = staff.get(URL).content.decode()
    assert "이 설정의 변경 이력" in page
    assert f"에 ‘{DAILY}’에서 ‘{EACH}’(으)로 변경" in page  # noqa: RUF001


def test_each_change_back_and_forth_is_a_line_newest_first(city):
    staff = client_for(city.finance_staff)
    for delivery in ("each", "daily", "each"):
        staff.post(URL, {"delivery": delivery})
    changes = list(NotificationSettingChange.objects.filter(person=city.finance_staff))
    assert [(c.old_delivery, c.new_delivery) for c in changes] == [
        ("daily", "each"),
        ("each", "daily"),
        ("daily", "each"),
    ]
    page = staff.get(URL).content.decode()
    assert page.count("(으)로 변경") == 3


def test_saving_the_setting_unchanged_records_nothing(city):
    staff = client_for(city.finance_staff)
    staff.post(URL, {"delivery": "daily"})  # the default: what they already had
    staff.post(URL, {"delivery": "each"})
    staff.post(URL, {"delivery": "each"})
    assert NotificationSettingChange.objects.count() == 1


@override_settings(REMINDER_DEFAULT_DELIVERY="each")
def test_a_first_choice_is_recorded_from_the_default_the_person_had(city):
    daily.set_delivery(user=city.economy_head, delivery="daily")
    change = NotificationSettingChange.objects.get()
    assert (change.old_delivery, change.new_delivery) == ("each", "daily")


def test_a_refused_choice_records_nothing(city):
    staff = client_for(city.finance_staff)
    assert staff.post(URL, {"delivery": "hourly"}).status_code == 200
    assert not NotificationSettingChange.objects.exists()


def test_a_person_sees_only_their_own_changes(city):
    daily.set_delivery(user=city.finance_staff, delivery="each")
    page = client_for(city.other_staff).get(URL).content.decode()
    assert "이 설정의 변경 이력" not in page and "(으)로 변경" not in page


def test_the_changes_stay_on_record(city):
    daily.set_delivery(user=city.finance_staff, delivery="each")
    change = NotificationSettingChange.objects.get()
    with pytest.raises(OnRecord):
        change.delete()
    with pytest.raises(OnRecord):
        NotificationSettingChange.objects.all().delete()
    change.new_delivery = "daily"
    with pytest.raises(ValueError, match="append-only"):
        change.save()
    # Nor does the person go, taking their changes with them: they are deactivated.
    with pytest.raises(ProtectedError):
        city.finance_staff.delete()
    assert NotificationSettingChange.objects.get().new_delivery == "each"


# --- the admin: city IT reads the changes -----------------------------------------


@pytest.fixture
def it_client(db):
    return client_for(UserFactory(username="city_it", is_staff=True, is_superuser=True))


def admin_url(action, *args):
    return reverse(f"admin:reminders_notificationsettingchange_{action}", args=args)


def test_city_it_reads_the_changes_in_the_admin_and_cannot_alter_them(city, it_client):
    daily.set_delivery(user=city.finance_staff, delivery="each")
    change = NotificationSettingChange.objects.get()

    listing = it_client.get(admin_url("changelist"), {"q": "finance_staff"})
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "finance_staff" in body and EACH in body and DAILY in body

    page = it_client.get(admin_url("change", change.pk))
    assert page.status_code == 200
    assert 'name="new_delivery"' not in page.content.decode()  # read-only
    assert (
        it_client.post(admin_url("change", change.pk), {"new_delivery": "daily"}).status_code == 403
    )
    assert it_client.post(admin_url("delete", change.pk), {"post": "yes"}).status_code == 403
    assert it_client.get(admin_url("add")).status_code == 403
    change.refresh_from_db()
    assert change.new_delivery == "each"
