"""The city-wide list of key tasks as files for the mayor's office: XLSX and CSV, both
written by ``plans.spreadsheets`` (streamed, formulas neutralised)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from plans import dates, links, spreadsheets
from plans.models import KeyTask, Sector, picker
from plans.selectors import current_plan_or_404
from plans.spreadsheets import Column, Table
from reminders.emails import make_message

from . import selectors
from .forms import TaskFilterForm
from .models import ExportRequest

# Rows read from the database at a time: memory stays flat however long the list.
CHUNK_ROWS = 2000


def task_columns() -> list[Column]:
    return [
        Column(_("Code"), 10),
        Column(_("Sector"), 28),
        Column(_("Bureau"), 24),
        Column(_("Pillar"), 16),
        Column(_("Key task"), 60),
        Column(_("Reported status"), 14),
        Column(_("Progress (%)"), 12),
        Column(_("At risk (computed)"), 14),
        Column(_("Start date"), 12),
        Column(_("Due date"), 12),
        Column(_("Adopted due date"), 12),
        Column(_("Times the deadline moved"), 10),
        Column(_("Overdue"), 10),
        Column(_("Owner"), 16),
        Column(_("Last update"), 18, time=True),
        Column(_("Latest note"), 60),
    ]


# What a row reads: values, not model instances (a 20,000-row file built from instances
# spent most of its time constructing them). The flags come from the QuerySet's rules.
ROW_FIELDS = (
    "code",
    "sector_id",
    "bureau__name_ko",
    "bureau__name_en",
    "pillar_ko",
    "pillar_en",
    "title_ko",
    "title_en",
    "status",
    "progress",
    "behind_schedule_flag",
    "start_date",
    "due_date",
    "baseline_due_date",
    "deadline_moves",
    "is_overdue_flag",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
    dates.SeoulMinute("updated_at"),
    "latest_note",
)


def task_rows(tasks: QuerySet[KeyTask]) -> Iterator[list]:
    """One row per task of ``tasks`` (``review.selectors.city_tasks``). The words are
    translated here, before the first row: a streamed file is written after the view
    has returned."""
    yes = _("yes")
    statuses = {value: str(label) for value, label in KeyTask.Status.choices}
    sectors = {sector.pk: str(sector) for sector in Sector.objects.all()}
    pick = picker()
    values = tasks.values_list(*ROW_FIELDS).iterator(chunk_size=CHUNK_ROWS)

    def rows():
        for (
            code, sector_id, bureau_ko, bureau_en, pillar_ko, pillar_en, title_ko, title_en,
            status, progress, behind, start, due, adopted, moves, overdue, first, last, username,
            updated, note,
        ) in values:  # fmt: skip
            # As User.get_full_name(), else the user name; no owner, no name.
            owner = f"{first} {last}".strip() or username if username else ""
            yield [
                code,
                sectors.get(sector_id, ""),
                pick(bureau_ko, bureau_en),
                pick(pillar_ko, pillar_en),
                pick(title_ko, title_en),
                statuses.get(status, status),
                progress,
                yes if behind else "",
                start,
                due,
                adopted or due,
                moves,
                yes if overdue else "",
                owner,
                updated,
                note or "",
            ]

    return rows()


def task_table(tasks: QuerySet[KeyTask]) -> Table:
    return Table(title=_("Key tasks"), columns=task_columns(), rows=task_rows(tasks))


def file_name(extension: str) -> str:
    return f"key-tasks-{dates.today():%Y%m%d}.{extension}"


def xlsx_response(tasks: QuerySet[KeyTask]):
    return spreadsheets.xlsx_response(task_table(tasks), file_name("xlsx"))


def csv_response(tasks: QuerySet[KeyTask]):
    return spreadsheets.csv_response(task_table(tasks), file_name("csv"))


# --- prepared in the background ---------------------------------------------------
# A list longer than EXPORT_BACKGROUND_ROWS is written by a Celery worker
# (review.tasks.build_export_file) and its link emailed to whoever asked; the link
# works for them alone, for EXPORT_LINK_HOURS.

BUILD_TASK = "review.tasks.build_export_file"


def in_background(rows: int) -> bool:
    return rows > settings.EXPORT_BACKGROUND_ROWS


def request_export(*, by, kind: str, query: str) -> ExportRequest:
    """Records the request and, once it is committed, hands it to a worker."""
    export = ExportRequest(
        requested_by=by, kind=kind, query=query, language=translation.get_language() or "ko"
    )
    export.full_clean()
    export.save()
    transaction.on_commit(lambda: current_app.send_task(BUILD_TASK, args=[export.pk]))
    return export


def build_export_file(pk: int) -> ExportRequest | None:
    """Writes the file of a waiting request, stores it and emails the link. Run twice
    (a redelivered task), the second run finds nothing waiting."""
    export = ExportRequest.objects.filter(pk=pk, state=ExportRequest.State.WAITING).first()
    if export is None:
        return None
    try:
        return _build(export)
    except Exception:
        ExportRequest.objects.filter(pk=export.pk).update(state=ExportRequest.State.FAILED)
        raise


def _build(export: ExportRequest) -> ExportRequest:
    with translation.override(export.language), tempfile.TemporaryFile() as out:
        plan = current_plan_or_404()
        form = TaskFilterForm(QueryDict(export.query), plan=plan)
        table = task_table(selectors.city_tasks(plan, today=dates.today(), **form.filters()))
        write = spreadsheets.write_xlsx if export.kind == "xlsx" else spreadsheets.write_csv
        rows = write(table, out)
        out.seek(0)
        name = default_storage.save(f"exports/{export.token}.{export.kind}", File(out))
    now = timezone.now()
    export.file.name = name
    export.rows = rows
    export.state = ExportRequest.State.READY
    export.finished_at = now
    export.expires_at = now + timedelta(hours=settings.EXPORT_LINK_HOURS)
    export.save(update_fields=["file", "rows", "state", "finished_at", "expires_at"])
    link = links.absolute_reverse("review:export_download", export.token)
    make_message("export_ready", export.requested_by, {"export": export, "link": link}).send()
    return export


def ready_export(user, token) -> ExportRequest:
    """The requester's file while its link works; 404 for anyone else, as for a link
    that never existed."""
    return get_object_or_404(
        ExportRequest,
        token=token,
        requested_by=user,
        state=ExportRequest.State.READY,
        expires_at__gt=timezone.now(),
    )


def download_response(export: ExportRequest) -> FileResponse:
    content_type = spreadsheets.XLSX_TYPE if export.kind == "xlsx" else spreadsheets.CSV_TYPE
    filename = f"key-tasks-{dates.seoul_day(export.finished_at):%Y%m%d}.{export.kind}"
    return FileResponse(
        export.file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )


def remove_expired_files(now=None) -> int:
    """Removes the stored files whose link has expired; the record of each stays."""
    now = now or timezone.now()
    expired = ExportRequest.objects.filter(state=ExportRequest.State.READY, expires_at__lte=now)
    count = 0
    for export in expired:
        if export.file:
            export.file.delete(save=False)
        export.state = ExportRequest.State.EXPIRED
        export.save(update_fields=["file", "state"])
        count += 1
    return count
