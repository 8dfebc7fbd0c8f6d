"""Every discussion URL against every role. The thread of a key task and its files are for
the mayor's office and the task's bureau (owner, members, heads up the bureau tree):
finance_task belongs to the finance department under the economy office, so the welfare
head may not see its thread or download its files, even though the task is public to
every city employee; the public never does."""

import pytest
from django.urls import reverse

from discussion import services
from discussion.files import check_upload
from tests.conftest import client_for
from tests.discussion.conftest import pdf

ROLES = [
    "anonymous", "finance_staff", "other_staff", "economy_head", "welfare_head", "mayors_office"
]  # fmt: skip
TAKE_PART = {"finance_staff", "other_staff", "economy_head", "mayors_office"}


def client(city, role):
    from django.test import Client

    return Client() if role == "anonymous" else client_for(getattr(city, role))


@pytest.fixture
def evidence(city):
    upload = pdf()
    comment = services.post_comment(
        task=city.finance_task,
        by=city.finance_staff,
        body="근거",
        upload=upload,
        checked=check_upload(upload),
    )
    return comment, comment.attachments.get()


def expected(role, *, allowed=200):
    if role == "anonymous":
        return 302  # to sign in
    return allowed if role in TAKE_PART else 403


@pytest.mark.parametrize("role", ROLES)
def test_the_thread_page(city, role):
    url = reverse("discussion:thread", args=[city.finance_task.pk])
    assert client(city, role).get(url).status_code == expected(role)


@pytest.mark.parametrize("role", ROLES)
def test_the_thread_of_a_public_task_is_still_internal(city, role):
    url = reverse("discussion:thread", args=[city.welfare_task.pk])
    allowed = {"welfare_head", "mayors_office"}
    status = client(city, role).get(url).status_code
    if role == "anonymous":
        assert status == 302
    else:
        assert status == (200 if role in allowed else 403)


@pytest.mark.parametrize("role", ROLES)
def test_the_file(city, role, evidence):
    _comment, attachment = evidence
    response = client(city, role).get(reverse("discussion:file", args=[attachment.pk]))
    assert response.status_code == expected(role)
    if response.status_code == 200:
        assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("role", ROLES)
def test_posting_a_comment(city, role):
    url = reverse("discussion:comment", args=[city.finance_task.pk])
    response = client(city, role).post(url, {"body": "질문"})
    assert response.status_code == expected(role, allowed=302)


@pytest.mark.parametrize("role", ROLES)
def test_withdrawing_is_the_authors(city, role, evidence):
    comment, attachment = evidence
    author = {"finance_staff"}
    for name, args in (
        ("discussion:withdraw_file", [city.finance_task.pk, attachment.pk]),
        ("discussion:withdraw_comment", [city.finance_task.pk, comment.pk]),
    ):
        status = client(city, role).post(reverse(name, args=args)).status_code
        if role == "anonymous":
            assert status == 302
        else:
            assert status == (302 if role in author else 403)


def test_a_file_of_another_task_or_a_missing_one_is_404(city, evidence):
    _comment, attachment = evidence
    office = client_for(city.mayors_office)
    assert office.get(reverse("discussion:file", args=[attachment.pk + 1000])).status_code == 404
    wrong_task = reverse("discussion:withdraw_file", args=[city.economy_task.pk, attachment.pk])
    assert client_for(city.economy_head).post(wrong_task).status_code == 404
    assert office.get(reverse("discussion:thread", args=[999999])).status_code == 404


def test_the_task_page_shows_the_thread_only_to_those_who_take_part(city):
    url = reverse("plans:task_detail", args=[city.finance_task.pk])
    assert 'id="discussion"' in client_for(city.other_staff).get(url).content.decode()
    assert 'id="discussion"' not in client_for(city.welfare_head).get(url).content.decode()
