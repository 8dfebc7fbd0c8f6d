"""A workbook of 1,000 key tasks goes through the whole round trip — download, edit every
row, check, apply — within a time a person waits for (the figures are in README)."""

import time

from django.urls import reverse

from bulk import services
from bulk.models import BulkUpload
from plans.models import KeyTask, StatusUpdate
from tests.bulk.conftest import Workbook, upload_file

ROWS = 1000


def test_a_thousand_rows_round_trip(city, head, settings, output_dir):
    settings.BULK_BACKGROUND_ROWS = ROWS  # in the request, to time it
    template = KeyTask.objects.get(pk=city.economy_task.pk)
    KeyTask.objects.bulk_create(
        [
            KeyTask(
                sector=template.sector,
                plan_id=template.sector.plan_id,
                bureau=city.economy if n % 2 else city.finance,
                code=f"B-{n:04d}",
                title_ko=f"일괄 과제 {n}",
                start_date=template.start_date,
                due_date=template.due_date,
                status="on_track",
                progress=10,
            )
            for n in range(ROWS - 2)
        ]
    )
    timings = {}
    started = time.perf_counter()
    response = head.get(reverse("bulk:download"))
    timings["download"] = time.perf_counter() - started
    book = Workbook(response.content)
    assert len(book.ids()) == ROWS
    for row in range(2, ROWS + 2):
        book.tasks.cell(row, 7).value = 60
        book.tasks.cell(row, 8).value = f"일괄 점검 {row}"
    content = book.content()

    started = time.perf_counter()
    response = upload_file(head, content)
    timings["check"] = time.perf_counter() - started
    upload = BulkUpload.objects.get()
    assert response.status_code == 302 and upload.state == "checked"
    summary = services.summary(upload)
    assert len(summary.changes) == ROWS and not summary.refused and not summary.conflicts
    assert not StatusUpdate.objects.filter(kind="progress").exists()  # the check wrote nothing

    started = time.perf_counter()
    head.post(reverse("bulk:apply", kwargs={"pk": upload.pk}))
    timings["apply"] = time.perf_counter() - started
    upload.refresh_from_db()
    assert (upload.state, upload.applied_tasks) == ("applied", ROWS)
    assert KeyTask.objects.filter(progress=60, version=2).count() == ROWS
    assert StatusUpdate.objects.filter(kind="progress").count() == ROWS

    page = head.get(reverse("bulk:upload", kwargs={"pk": upload.pk}))
    assert page.status_code == 200
    report = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())
    (
        output_dir / f"bulk-1000-rows-{settings.DATABASES['default']['ENGINE'].split('.')[-1]}.txt"
    ).write_text(report + "\n")
    print(f"\n1,000-row round trip: {report}")
    assert timings["check"] < 120 and timings["apply"] < 120
