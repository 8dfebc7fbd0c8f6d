"""Celery tasks of the review: thin wrappers around review.exports."""

from __future__ import annotations

from celery import shared_task

from . import exports


@shared_task(acks_late=True, reject_on_worker_lost=True)
def build_export_file(pk: int) -> int | None:
    export = exports.build_export_file(pk)
    return export.rows if export else None


@shared_task
def remove_expired_export_files() -> int:
    return exports.remove_expired_files()
