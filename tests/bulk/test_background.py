"""A large workbook (more key tasks than ``BULK_BACKGROUND_ROWS``) is checked and applied
by a Celery job; its page follows the progress, polling with HTMX until the job is done.
Once in this process (the task run eagerly), once by a real worker process on Redis."""

import pytest
from django.urls import reverse

from bulk import services
from bulk.models import BulkUpload
from busan_tracker.celery import app as celery_app
from plans.models import KeyTask
from tests.bulk.conftest import Workbook, upload_file
from tests.conftest import client_for
from tests.reminders.workers import WorkerFactory, redis_url, wait_for


@pytest.fixture
def eager():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def test_a_large_file_is_checked_and_applied_in_the_background_with_progress(
    city, head, download, settings, eager, django_capture_on_commit_callbacks
):
    settings.BULK_BACKGROUND_ROWS = 1
    book = download(head)
    book.edit(city.finance_task, progress=55)
    book.edit(city.economy_task, progress=45)
    with django_capture_on_commit_callbacks() as queued:
        response = upload_file(head, book.content())
    upload = BulkUpload.objects.get()
    assert response.status_code == 302 and upload.state == "checking"
    url = reverse("bulk:upload", kwargs={"pk": upload.pk})
    page = head.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page  # the page polls its status fragment
    assert len(queued) == 1
    queued[0]()  # the worker's turn
    upload.refresh_from_db()
    assert upload.state == "checked"
    assert services.progress_of(upload) == (2, 2)
    fragment = head.get(url, headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode()
    assert 'hx-trigger="every 1s"' not in fragment.content.decode()  # done: polling stops
    assert len(fragment.context["summary"].changes) == 2
    with django_capture_on_commit_callbacks(execute=True):
        head.post(reverse("bulk:apply", kwargs={"pk": upload.pk}))
    upload.refresh_from_db()
    assert (upload.state, upload.applied_tasks) == ("applied", 2)
    assert KeyTask.objects.get(pk=city.finance_task.pk).progress == 55


@pytest.mark.celery
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_checks_and_applies_an_upload(city, tmp_path):
    book = Workbook(client_for(city.economy_head).get(reverse("bulk:download")).content)
    book.edit(city.finance_task, progress=61, note="작업자 반영")
    upload = services.receive(by=city.economy_head, file_name="big.xlsx", content=book.content())
    workers = WorkerFactory(tmp_path, broker_url=redis_url())
    try:
        workers.start()
        workers.send("bulk.check_upload", upload_id=upload.pk)
        wait_for(lambda: workers.finished("bulk.check_upload") == 1, timeout=60)
        upload.refresh_from_db()
        assert upload.state == "checked", upload.message
        assert [found["code"] for found in services.summary(upload).changes] == ["1-02"]
        assert services.claim_for_applying(upload)
        workers.send("bulk.apply_upload", upload_id=upload.pk)
        wait_for(lambda: workers.finished("bulk.apply_upload") == 1, timeout=60)
    finally:
        workers.stop_all()
    upload.refresh_from_db()
    assert upload.state == "applied"
    task = KeyTask.objects.get(pk=city.finance_task.pk)
    assert (task.progress, task.version) == (61, 2)
    assert task.history.get(version=2).changed_by == city.economy_head
