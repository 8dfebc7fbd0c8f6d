"""A list too long to download in one request is prepared in the background (issue 17):
the mayor's office asks for the file, a worker writes it into storage and emails a
link, and the link works for that person alone until it expires. The record stays."""

import csv
import datetime as dt
import io

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from review import exports
from review.models import ExportRequest
from tests.conftest import client_for
from tests.factories import ProfileFactory

LIST = reverse("review:task_list")
REQUEST = reverse("review:task_export_request")


@pytest.fixture(autouse=True)
def _files_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def many_tasks(make_task, city):
    return [
        make_task(code=f"6-{n:02}", title_ko=f"=과제 {n}", bureau=city.finance) for n in range(6)
    ]


def ask(client, kind="xlsx", query="flag=all&bureau=0"):
    return client.post(REQUEST, {"kind": kind, "query": query})


@override_settings(EXPORT_BACKGROUND_ROWS=5)
def test_a_long_list_offers_the_file_by_email_instead_of_a_download(office_client, many_tasks):
    page = office_client.get(LIST, {"flag": "all"}).content.decode()
    assert f'action="{REQUEST}"' in page and 'name="kind" value="xlsx"' in page
    assert reverse("review:task_export_xlsx") not in page
    short = office_client.get(LIST, {"flag": "overdue", "sort": "code"}).content.decode()
    assert reverse("review:task_export_xlsx") in short and f'action="{REQUEST}"' not in short


def test_asking_records_the_request_and_comes_back_to_the_same_list(
    office_client, city, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = ask(office_client, "csv", "flag=all&sector=1")
    assert response.status_code == 302
    assert response["Location"] == LIST + "?flag=all&sector=1"
    (export,) = ExportRequest.objects.all()
    assert (export.requested_by, export.kind, export.query) == (
        city.mayors_office,
        "csv",
        "flag=all&sector=1",
    )
    assert export.state == "waiting" and export.language == "ko"
    assert len(callbacks) == 1  # handed to a worker once committed
    page = office_client.get(response["Location"]).content.decode()
    assert "링크" in page or "link" in page


def test_the_worker_writes_the_file_and_emails_a_link_that_works_for_its_requester(
    office_client, city, many_tasks
):
    ask(office_client, "xlsx", f"flag=all&bureau={city.finance.pk}")
    export = exports.build_export_file(ExportRequest.objects.get().pk)
    assert export.state == "ready" and export.rows == 7  # ours and the city's finance task
    assert export.expires_at - export.finished_at == dt.timedelta(hours=72)
    (message,) = mail.outbox
    assert message.to == [city.mayors_office.email]
    assert "7" in message.subject and "준비" in message.subject  # Korean, the requester's
    link = reverse("review:export_download", args=[export.token])
    assert link in message.body

    response = office_client.get(link)
    assert response.status_code == 200
    assert "attachment;" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(min_row=2))
    ours = [row for row in rows if row[0].value.startswith("6-")]
    assert len(rows) == 7 and sorted(row[0].value for row in ours) == [
        f"6-{n:02}" for n in range(6)
    ]
    # The same writer as every export: formula-like text stays text.
    assert {row[4].data_type for row in ours} == {"s"}


def test_a_csv_prepared_in_the_background_is_read_back_the_same(office_client, many_tasks):
    ask(office_client, "csv", "flag=all")
    export = exports.build_export_file(ExportRequest.objects.get().pk)
    body = office_client.get(reverse("review:export_download", args=[export.token]))
    rows = list(csv.reader(io.StringIO(body.getvalue().decode("utf-8-sig"))))
    assert len(rows) == 1 + export.rows
    assert "'=과제 0" in {row[4] for row in rows}


def test_the_link_works_for_nobody_else_and_not_after_it_expires(office_client, city, many_tasks):
    ask(office_client)
    export = exports.build_export_file(ExportRequest.objects.get().pk)
    link = reverse("review:export_download", args=[export.token])
    other_office = ProfileFactory(is_mayors_office=True).user
    assert client_for(other_office).get(link).status_code == 404
    assert client_for(city.economy_head).get(link).status_code == 404
    assert client_for(city.finance_staff).get(link).status_code == 403
    assert client_for(city.mayors_office).get(link).status_code == 200

    later = timezone.now() + dt.timedelta(hours=73)
    assert exports.remove_expired_files(later) == 1
    export.refresh_from_db()
    assert export.state == "expired" and not export.file
    assert office_client.get(link).status_code == 404
    assert ExportRequest.objects.filter(pk=export.pk).exists()  # the record stays


def test_a_redelivered_task_builds_the_file_once(office_client, many_tasks):
    ask(office_client)
    pk = ExportRequest.objects.get().pk
    assert exports.build_export_file(pk) is not None
    assert exports.build_export_file(pk) is None
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("finance_staff", 403),
        ("other_staff", 403),
        ("economy_head", 302),
        ("welfare_head", 302),
        ("mayors_office", 302),
    ],
)
def test_who_may_ask_for_a_file(city, client, role, status):
    asker = client if role == "anonymous" else client_for(getattr(city, role))
    response = ask(asker)
    assert response.status_code == status
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    assert ExportRequest.objects.count() == (1 if status == 302 and role != "anonymous" else 0)
    assert asker.get(REQUEST).status_code == (302 if role == "anonymous" else 405)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("finance_staff", 403),
        ("other_staff", 403),
        ("economy_head", 404),
        ("welfare_head", 404),
        ("mayors_office", 200),
    ],
)
def test_who_may_download_a_prepared_file(city, client, office_client, role, status):
    ask(office_client)
    export = exports.build_export_file(ExportRequest.objects.get().pk)
    asker = client if role == "anonymous" else client_for(getattr(city, role))
    assert asker.get(reverse("review:export_download", args=[export.token])).status_code == status
