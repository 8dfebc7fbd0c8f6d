"""Celery tasks: the check and the apply of a large upload, in the background."""

from __future__ import annotations

from celery import shared_task

from . import services
from .models import BulkUpload


@shared_task(name="bulk.check_upload")
def check_upload(upload_id: int) -> None:
    upload = BulkUpload.objects.filter(pk=upload_id, state=BulkUpload.State.CHECKING).first()
    if upload is not None:
        services.check(upload)


@shared_task(name="bulk.apply_upload")
def apply_upload(upload_id: int) -> None:
    upload = BulkUpload.objects.filter(pk=upload_id, state=BulkUpload.State.APPLYING).first()
    if upload is not None:
        services.apply(upload)
