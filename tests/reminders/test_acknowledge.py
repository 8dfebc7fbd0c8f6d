"""The acknowledgement link of an escalation, walked by every role."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from reminders import outbox
from reminders.acknowledgements import acknowledgement_token, reminder_from_token
from reminders.models import ReminderLog
from tests.factories import ProfileFactory, UserFactory

D = dt.date


@pytest.fixture
def escalation(due_task):
    outbox.run_sweep(D(2024, 4, 1))
    return ReminderLog.objects.get(kind="escalation_head")


def ack_url(row):
    return reverse("reminders:acknowledge", args=[acknowledgement_token(row)])


def test_the_email_link_is_the_signed_acknowledgement_url(escalation, mailoutbox, city):
    (message,) = [m for m in mailoutbox if m.to == [city.economy_head.email]]
    # The token is signed with the second it was made: read it back rather than remake it.
    prefix = "https://tracker.busan.example" + reverse("reminders:acknowledge", args=["T"])[:-2]
    (token,) = re.findall(re.escape(prefix) + r"([^/\s]+)/", message.body)
    assert reminder_from_token(token) == escalation


def test_anonymous_is_sent_to_sign_in(client, escalation):
    response = client.get(ack_url(escalation))
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_the_head_sees_what_they_acknowledge_and_get_changes_nothing(client, escalation, city):
    client.force_login(city.economy_head)
    response = client.get(ack_url(escalation))
    assert response.status_code == 200
    assert city.finance_task.code in response.content.decode()
    escalation.refresh_from_db()
    assert escalation.acknowledged_at is None


def test_the_head_acknowledges_and_it_is_recorded(client, escalation, city):
    client.force_login(city.economy_head)
    url = ack_url(escalation)  # signed with a timestamp: one link, used twice
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(url, 302)]
    escalation.refresh_from_db()
    assert escalation.acknowledged_by == city.economy_head
    assert escalation.acknowledged_at is not None
    assert "economy_head" in response.content.decode()
    # A second click keeps the first acknowledgement.
    client.force_login(city.mayors_office)
    client.post(ack_url(escalation))
    escalation.refresh_from_db()
    assert escalation.acknowledged_by == city.economy_head


@pytest.mark.parametrize("who", ["finance_staff", "mayors_office"])
def test_the_owner_and_the_mayors_office_may_acknowledge(client, escalation, city, who):
    client.force_login(getattr(city, who))
    client.post(ack_url(escalation))
    escalation.refresh_from_db()
    assert escalation.acknowledged_by == getattr(city, who)


@pytest.mark.parametrize("who", ["welfare_head", "other_staff"])
def test_someone_without_a_say_on_the_task_gets_403_and_no_change(client, escalation, city, who):
    client.force_login(getattr(city, who))
    assert client.get(ack_url(escalation)).status_code == 403
    assert client.post(ack_url(escalation)).status_code == 403
    escalation.refresh_from_db()
    assert escalation.acknowledged_at is None


def test_a_forged_or_foreign_token_is_404(client, escalation, city):
    client.force_login(city.mayors_office)
    forged = ack_url(escalation)[:-3] + "xyz/"
    assert client.get(forged).status_code == 404
    reminder = ReminderLog.objects.exclude(kind__startswith="escalation").first()
    # A valid signature on a row that is not an escalation names nothing to acknowledge.
    assert client.get(ack_url(reminder)).status_code == 404
    assert client.get("/reminders/acknowledge/garbage/").status_code == 404


def test_an_inactive_user_cannot_acknowledge(client, escalation, city):
    user = UserFactory(username="gone", is_active=False)
    ProfileFactory(user=user, bureau=city.office, is_mayors_office=True)
    client.force_login(user)
    response = client.post(ack_url(escalation))
    assert response.status_code in (302, 403)
    escalation.refresh_from_db()
    assert escalation.acknowledged_at is None
