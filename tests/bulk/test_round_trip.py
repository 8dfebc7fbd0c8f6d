"""A bureau head downloads the bureau's key tasks as a workbook, edits status,
progress, notes and figures offline and uploads it: the product shows what would
change, what is refused and why, and what someone changed since the download; the
accepted rows apply through the same services, in one transaction, into each task's
history. The mayor's office does the same across bureaus."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bulk import services as bulk_services
from bulk.models import BulkUpload
from plans import services
from plans.models import KeyTask, Measurement, StatusUpdate
from tests.bulk.conftest import upload_file
from tests.conftest import client_for
from tests.factories import IndicatorFactory, MeasurementFactory


def _upload_of(response) -> BulkUpload:
    assert response.status_code == 302, response.content.decode()[:2000]
    return BulkUpload.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("finance_staff", 403),
        ("other_staff", 403),
        ("economy_head", 200),
        ("welfare_head", 200),
        ("mayors_office", 200),
    ],
)
def test_who_uses_the_round_trip(city, role, status):
    client = client_for(getattr(city, role))
    assert client.get(reverse("bulk:home")).status_code == status
    assert client.get(reverse("bulk:download")).status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(client, city):
    for name in ("bulk:home", "bulk:download"):
        assert client.get(reverse(name)).status_code == 302


def test_a_head_downloads_the_bureaus_tasks_the_mayors_office_every_bureaus(city, head, download):
    assert sorted(download(head).ids()) == sorted([city.economy_task.pk, city.finance_task.pk])
    office = download(client_for(city.mayors_office))
    assert sorted(office.ids()) == sorted(
        [city.economy_task.pk, city.finance_task.pk, city.welfare_task.pk]
    )
    sheet = office.tasks
    row = office.row_of(city.finance_task)
    assert sheet.cell(row, 2).value == city.finance_task.version
    assert sheet.cell(row, 3).value == "1-02"
    assert sheet.cell(row, 6).value == "정상 추진"  # the status in the reader's language
    assert sheet.protection.sheet and not sheet.cell(row, 6).protection.locked
    assert sheet.cell(row, 1).protection.locked


def test_text_that_looks_like_a_formula_downloads_as_text(city, head, download):
    KeyTask.objects.filter(pk=city.economy_task.pk).update(title_ko='=HYPERLINK("x","y")')
    KeyTask.objects.filter(pk=city.finance_task.pk).update(title_ko="벨\x07소리")
    book = download(head)
    cell = book.tasks.cell(book.row_of(city.economy_task), 5)
    assert cell.value == '=HYPERLINK("x","y")' and cell.data_type == "s"
    assert cell.quotePrefix
    # A control character Excel cannot store is dropped, not a failed download.
    assert book.tasks.cell(book.row_of(city.finance_task), 5).value == "벨소리"


def test_the_check_shows_what_would_change_and_changes_nothing(city, head, download):
    book = download(head)
    book.edit(city.finance_task, status="지연 우려", progress=55, note="예산 집행 지연")
    upload = _upload_of(upload_file(head, book.content()))
    assert upload.state == "checked"
    page = head.get(reverse("bulk:upload", kwargs={"pk": upload.pk}))
    text = page.content.decode()
    assert "지연 우려" in text and "예산 집행 지연" in text
    (change,) = page.context["summary"].changes
    assert change["code"] == "1-02"
    assert change["changes"] == [["상태", "정상 추진", "지연 우려"], ["진척률 (%)", "40%", "55%"]]
    assert page.context["summary"].unchanged == 1
    city.finance_task.refresh_from_db()
    assert (city.finance_task.status, city.finance_task.progress) == ("on_track", 40)
    assert city.finance_task.version == 1
    assert not StatusUpdate.objects.filter(task=city.finance_task).exclude(kind="created").exists()


def test_apply_writes_through_the_services_into_the_history(city, head, download):
    indicator = IndicatorFactory(sector=city.sectors[0], task=city.finance_task, code="FIN-1")
    book = download(head)
    book.edit(city.finance_task, status="지연 우려", progress=55, note="예산 집행 지연")
    book.figure(indicator, 1234.5, dt.date(2024, 6, 30))
    upload = _upload_of(upload_file(head, book.content()))
    response = head.post(reverse("bulk:apply", kwargs={"pk": upload.pk}))
    assert response.status_code == 302
    upload.refresh_from_db()
    assert (upload.state, upload.applied_tasks) == ("applied", 1)
    task = KeyTask.objects.get(pk=city.finance_task.pk)
    assert (task.status, task.progress, task.version) == ("at_risk", 55, 3)
    rows = StatusUpdate.objects.filter(task=task).exclude(kind="created")
    assert {(row.version, row.kind) for row in rows} == {
        (2, "status"),
        (2, "progress"),
        (3, "actual"),
    }
    assert {row.changed_by for row in rows} == {city.economy_head}
    assert {row.note for row in rows} == {"예산 집행 지연"}
    figure = Measurement.objects.get(indicator=indicator)
    assert (figure.value, figure.as_of, figure.state) == (
        Decimal("1234.50"),
        dt.date(2024, 6, 30),
        "provisional",
    )
    # Applied once: a second click changes nothing.
    head.post(reverse("bulk:apply", kwargs={"pk": upload.pk}))
    assert KeyTask.objects.get(pk=task.pk).version == 3


def test_refused_rows_say_why_and_are_not_applied(city, head, download):
    book = download(head)
    book.edit(city.finance_task, status="완료", progress=60)  # done needs 100%
    book.edit(city.economy_task, progress="많이")
    upload = _upload_of(upload_file(head, book.content()))
    summary = head.get(reverse("bulk:upload", kwargs={"pk": upload.pk})).context["summary"]
    reasons = {found["code"]: " ".join(found["reasons"]) for found in summary.refused}
    assert "100%" in reasons["1-02"]
    assert "진척률" in reasons["1-01"] and "정수" in reasons["1-01"]
    assert not summary.can_apply
    assert head.post(reverse("bulk:apply", kwargs={"pk": upload.pk})).status_code == 302
    assert KeyTask.objects.get(pk=city.finance_task.pk).version == 1


def test_a_task_of_another_bureau_is_refused(city, head, download):
    book = download(head)
    row = book.row_of(city.economy_task)
    book.tasks.cell(row, 1).value = city.welfare_task.pk
    book.tasks.cell(row, 7).value = 99
    upload = _upload_of(upload_file(head, book.content()))
    (refused,) = (
        head.get(reverse("bulk:upload", kwargs={"pk": upload.pk})).context["summary"].refused
    )
    assert refused["task_id"] == city.welfare_task.pk
    assert KeyTask.objects.get(pk=city.welfare_task.pk).progress == 40


def test_a_formula_typed_in_a_cell_is_refused(city, head, download):
    book = download(head)
    book.edit(city.finance_task, progress="=40+15")
    upload = _upload_of(upload_file(head, book.content()))
    (refused,) = (
        head.get(reverse("bulk:upload", kwargs={"pk": upload.pk})).context["summary"].refused
    )
    assert refused["code"] == "1-02"
    assert KeyTask.objects.get(pk=city.finance_task.pk).version == 1


def test_edits_made_since_the_download_are_conflicts_showing_who_changed_what(city, head, download):
    book = download(head)
    services.update_key_task(
        city.finance_task, by=city.finance_staff, expected_version=1, progress=70
    )
    book.edit(city.finance_task, progress=55)
    book.edit(city.economy_task, progress=45)
    upload = _upload_of(upload_file(head, book.content()))
    page = head.get(reverse("bulk:upload", kwargs={"pk": upload.pk}))
    summary = page.context["summary"]
    (conflict,) = summary.conflicts
    assert conflict["code"] == "1-02"
    (who, _what, old, new) = conflict["since"][0]
    assert who == city.finance_staff.get_full_name() or who == "finance_staff"
    assert (old.rstrip("%"), new.rstrip("%")) == ("40", "70")
    assert [found["code"] for found in summary.changes] == ["1-01"]
    head.post(reverse("bulk:apply", kwargs={"pk": upload.pk}))
    assert KeyTask.objects.get(pk=city.finance_task.pk).progress == 70  # theirs kept
    assert KeyTask.objects.get(pk=city.economy_task.pk).progress == 45


def test_a_change_between_the_check_and_apply_applies_nothing(city, head, download):
    book = download(head)
    book.edit(city.finance_task, progress=55)
    book.edit(city.economy_task, progress=45)
    upload = _upload_of(upload_file(head, book.content()))
    services.update_key_task(
        city.economy_task, by=city.economy_head, expected_version=1, note="먼저 저장"
    )
    head.post(reverse("bulk:apply", kwargs={"pk": upload.pk}))
    upload.refresh_from_db()
    assert upload.state == "checked"
    assert upload.message
    assert KeyTask.objects.get(pk=city.finance_task.pk).version == 1  # one transaction
    summary = head.get(reverse("bulk:upload", kwargs={"pk": upload.pk})).context["summary"]
    assert [found["code"] for found in summary.conflicts] == ["1-01"]


def test_the_mayors_office_updates_across_bureaus(city, download):
    office = client_for(city.mayors_office)
    book = download(office)
    book.edit(city.welfare_task, progress=65)
    book.edit(city.finance_task, progress=50)
    upload = _upload_of(upload_file(office, book.content()))
    office.post(reverse("bulk:apply", kwargs={"pk": upload.pk}))
    assert KeyTask.objects.get(pk=city.welfare_task.pk).progress == 65
    assert KeyTask.objects.get(pk=city.finance_task.pk).progress == 50


@pytest.mark.parametrize(
    "content", [b"", b"not a workbook", b"PK\x03\x04broken zip", "한글,csv\n".encode()]
)
def test_a_file_that_is_not_a_workbook_is_refused_and_not_kept(city, head, content):
    response = upload_file(head, content, name="tasks.xlsx")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not BulkUpload.objects.exists()


def test_only_the_uploader_sees_an_upload(city, head, download):
    upload = _upload_of(upload_file(head, download(head).content()))
    url = reverse("bulk:upload", kwargs={"pk": upload.pk})
    assert client_for(city.welfare_head).get(url).status_code == 404
    assert client_for(city.finance_staff).get(url).status_code == 403
    apply = reverse("bulk:apply", kwargs={"pk": upload.pk})
    assert client_for(city.welfare_head).post(apply).status_code == 404
    assert head.get(apply).status_code == 405


def test_the_figures_sheet_shows_each_indicators_latest_actual(city, download, head):
    jobs = IndicatorFactory(sector=city.sectors[0], task=city.finance_task, code="FIN-1")
    never = IndicatorFactory(sector=city.sectors[0], task=city.economy_task, code="ECO-1")
    # Recorded out of order: the latest is the latest by date, not the last typed.
    MeasurementFactory(indicator=jobs, as_of=dt.date(2024, 9, 30), value=300)
    MeasurementFactory(indicator=jobs, as_of=dt.date(2024, 3, 31), value=100)
    book = download(head)
    rows = {
        book.figures.cell(row, 1).value: (
            book.figures.cell(row, 7).value,
            book.figures.cell(row, 8).value,
        )
        for row in range(2, book.figures.max_row + 1)
    }
    assert rows[jobs.pk][0] == 300 and rows[jobs.pk][1].date() == dt.date(2024, 9, 30)
    assert rows[never.pk] == (None, None)


def test_the_download_reads_the_same_queries_for_any_number_of_tasks_and_figures(city):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            bulk_services.download(city.economy_head)
        return len(captured)

    IndicatorFactory(sector=city.sectors[0], task=city.finance_task, code="FIN-1")
    queries()  # the first also reads (and keeps) the bureaus the head heads
    few = queries()
    for n in range(5):
        indicator = IndicatorFactory(sector=city.sectors[0], task=city.economy_task, code=f"E{n}")
        for month in (3, 6, 9):
            MeasurementFactory(indicator=indicator, as_of=dt.date(2024, month, 28), value=n)
    assert queries() == few == 2
