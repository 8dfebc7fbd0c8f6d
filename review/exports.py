"""The city-wide list of key tasks as files for the mayor's office: XLSX and CSV, both
written by ``plans.spreadsheets`` (streamed, formulas neutralised)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from plans import dates, spreadsheets
from plans.models import KeyTask, Sector, picker
from plans.spreadsheets import Column, Table

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
        Column(_("Overdue"), 10),
        Column(_("Owner"), 16),
        Column(_("Last update"), 18),
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
    "is_overdue_flag",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
    "updated_at",
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
    seoul = dates.seoul_time

    def rows():
        for (
            code, sector_id, bureau_ko, bureau_en, pillar_ko, pillar_en, title_ko, title_en,
            status, progress, behind, start, due, overdue, first, last, username, updated,
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
                yes if overdue else "",
                owner,
                seoul(updated).replace(tzinfo=None),
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
