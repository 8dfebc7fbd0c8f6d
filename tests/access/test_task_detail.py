"""The key-task page is for the city's own people; the rules come from plans.permissions."""

from django.urls import reverse


def test_signed_in_staff_read_any_task(client, city):
    client.force_login(city.finance_staff)
    response = client.get(reverse("plans:task_detail", args=[city.welfare_task.pk]))
    assert response.status_code == 200
    assert city.welfare_task.title_ko in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, city):
    url = reverse("plans:task_detail", args=[city.economy_task.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unknown_task_is_a_404(client, city):
    client.force_login(city.economy_head)
    assert client.get(reverse("plans:task_detail", args=[999999])).status_code == 404
