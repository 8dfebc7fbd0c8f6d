"""The round trip's workbook: written for a person's key tasks, read back when they
upload it.

Two sheets, read by the position of their columns (so a file downloaded in English
and uploaded by a colleague reading Korean still reads the same):
- key tasks: id, version, code, bureau, title, **status, progress, note**;
- figures: indicator id, task id, task version, code, indicator, unit, the latest
  figure and its date, **new figure, as of**.
Bold columns are the ones to edit; the others are locked (sheet protection without a
password: it prevents slips, not intent; the upload checks every cell anyway).

Formula-safe both ways: text written is always a string cell (a title beginning with
"=" is not a formula), and a formula typed into an uploaded cell is refused.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, NamedStyle, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from plans import spreadsheets
from plans.models import Indicator, KeyTask

XLSX_TYPE = spreadsheets.XLSX_TYPE
EDITABLE_FILL = PatternFill("solid", fgColor="FFF4CC")


def task_headers() -> list[tuple[str, int]]:
    return [
        (_("Id"), 8),
        (_("Version"), 8),
        (_("Code"), 10),
        (_("Bureau"), 22),
        (_("Key task"), 50),
        (_("Status"), 14),
        (_("Progress (%)"), 12),
        (_("Note"), 40),
    ]


def figure_headers() -> list[tuple[str, int]]:
    return [
        (_("Indicator id"), 10),
        (_("Task id"), 8),
        (_("Task version"), 10),
        (_("Code"), 12),
        (_("Indicator"), 40),
        (_("Unit"), 10),
        (_("Latest figure"), 14),
        (_("As of"), 12),
        (_("New figure"), 14),
        (_("New figure as of"), 14),
    ]


TASK_EDITABLE = (6, 7, 8)  # status, progress, note (1-based columns)
FIGURE_EDITABLE = (9, 10)  # new figure, as of


def _styles(workbook) -> None:
    """Named once, set by name on each cell (a style per cell would be looked up anew
    for each of thousands of cells)."""
    workbook.add_named_style(
        NamedStyle("editable", fill=EDITABLE_FILL, protection=Protection(locked=False))
    )
    workbook.add_named_style(
        NamedStyle(
            "editable_date",
            fill=EDITABLE_FILL,
            protection=Protection(locked=False),
            number_format="yyyy-mm-dd",
        )
    )
    workbook.add_named_style(NamedStyle("date", number_format="yyyy-mm-dd"))


def _write(sheet, row: int, values: list, editable: tuple[int, ...], dates=()) -> None:
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            value = spreadsheets.storable(value)
        cell = sheet.cell(row=row, column=column, value=value)
        if column in editable:
            cell.style = "editable_date" if column in dates else "editable"
        elif isinstance(value, date):
            cell.style = "date"
        if spreadsheets.looks_like_formula(value):
            # Text stays text, as in every export (plans.spreadsheets): a string cell
            # with Excel's quote prefix, never a formula.
            cell.data_type = "s"
            cell.quotePrefix = True


def _head(sheet, headers: list[tuple[str, int]], editable: tuple[int, ...]) -> None:
    sheet.append([header for header, _width in headers])
    for column, (_header, width) in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
        sheet.cell(row=1, column=column).font = Font(bold=True)
        if column in editable:
            sheet.cell(row=1, column=column).fill = EDITABLE_FILL
    sheet.freeze_panes = "A2"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.autoFilter = False
    sheet.protection.sort = False


def tasks_workbook(tasks: list[KeyTask], indicators: list[Indicator]) -> bytes:
    """``tasks`` with sector, bureau; ``indicators`` with their latest actual
    (``IndicatorQuerySet.with_latest_actual``)."""
    workbook = Workbook()
    _styles(workbook)
    sheet = workbook.active
    sheet.title = _("Key tasks")[:31]
    _head(sheet, task_headers(), TASK_EDITABLE)
    labels = [str(label) for _value, label in KeyTask.Status.choices]
    choices = DataValidation(type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True)
    sheet.add_data_validation(choices)
    for row, task in enumerate(tasks, start=2):
        values = [
            task.pk,
            task.version,
            task.code,
            task.bureau.name,
            task.title,
            task.get_status_display(),
            task.progress,
            "",
        ]
        _write(sheet, row, values, TASK_EDITABLE)
    if tasks:
        choices.add(f"F2:F{len(tasks) + 1}")
    versions = {task.pk: task.version for task in tasks}
    figures = workbook.create_sheet(_("Figures")[:31])
    _head(figures, figure_headers(), FIGURE_EDITABLE)
    for row, indicator in enumerate(indicators, start=2):
        values = [
            indicator.pk,
            indicator.task_id,
            versions.get(indicator.task_id),
            indicator.code,
            indicator.name,
            indicator.unit,
            indicator.latest_value,
            indicator.latest_as_of,
            None,
            None,
        ]
        _write(figures, row, values, FIGURE_EDITABLE, dates=(10,))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- reading an upload ---------------------------------------------------------------


@dataclass
class FigureRow:
    row: int
    indicator_id: int
    value: Decimal
    as_of: date | None


@dataclass
class TaskRows:
    """What the file says about one key task: its row on the first sheet (if any) and
    its rows with a new figure on the second."""

    task_id: int
    version: int
    code: str = ""
    row: int | None = None
    status: str | None = None
    progress: int | None = None
    note: str = ""
    figures: list[FigureRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)


class Unreadable(ValidationError):
    pass


def _status(value) -> str | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    if text in KeyTask.Status.values:
        return text
    # The label in either language, whichever the file was made in.
    for language in ("ko", "en"):
        with translation.override(language):
            for code, label in KeyTask.Status.choices:
                if text == str(label):
                    return code
    raise ValueError(_("“%(value)s” is not a status.") % {"value": text[:40]})


def _whole(value, name: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValueError(_("%(name)s must be a whole number.") % {"name": name})
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or abs(value) > 2**31:
        raise ValueError(_("%(name)s must be a whole number.") % {"name": name})
    return value


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValueError(_("A figure must be a number."))
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(_("A figure must be a number.")) from None
    if not number.is_finite() or abs(number) >= Decimal(10) ** 15:
        raise ValueError(_("A figure must be a number."))
    return number.quantize(Decimal("0.01"))


def _day(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ValueError(_("A date must look like 2024-06-30.")) from None


def _values(sheet, width: int, max_rows: int):
    """(row number, values, whether a cell holds a formula) for each non-empty row."""
    for number, cells in enumerate(sheet.iter_rows(min_row=2, max_col=width), start=2):
        if number - 1 > max_rows:
            raise Unreadable(_("The file has more than %(count)s rows.") % {"count": max_rows})
        values = [cell.value for cell in cells]
        if all(value in (None, "") for value in values):
            continue
        formula = any(cell.data_type == "f" for cell in cells)
        yield number, values + [None] * (width - len(values)), formula


def read_workbook(content: bytes, *, max_rows: int) -> list[TaskRows]:
    """The file's rows grouped by key task, in file order; ``Unreadable`` for anything
    that is not a workbook made from the round trip's download."""
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, TypeError):
        raise Unreadable(_("This is not an Excel workbook (.xlsx).")) from None
    try:
        return _read(workbook, max_rows)
    except Unreadable:
        raise
    except Exception:  # a damaged workbook can fail anywhere inside openpyxl
        raise Unreadable(_("This workbook could not be read.")) from None
    finally:
        workbook.close()


def _read(workbook, max_rows: int) -> list[TaskRows]:
    sheets = workbook.worksheets
    if len(sheets) < 1:
        raise Unreadable(_("This workbook has no sheet of key tasks."))
    groups: dict[int, TaskRows] = {}
    refused: list[TaskRows] = []

    def group(task_id, version, number) -> TaskRows | None:
        try:
            task_id = _whole(task_id, _("Id"))
            version = _whole(version, _("Version"))
        except ValueError:
            task_id = version = None
        if not task_id or not version or task_id < 1 or version < 1:
            bad = TaskRows(task_id=0, version=0, rows=[number])
            bad.problems.append(_("Row %(row)s has no valid id and version.") % {"row": number})
            refused.append(bad)
            return None
        found = groups.setdefault(task_id, TaskRows(task_id=task_id, version=version))
        if found.version != version:
            found.problems.append(
                _("Row %(row)s gives another version of the same task.") % {"row": number}
            )
        found.rows.append(number)
        return found

    for number, values, formula in _values(sheets[0], 8, max_rows):
        found = group(values[0], values[1], number)
        if found is None:
            continue
        found.code = str(values[2] or "")[:30]
        if found.row is not None:
            found.problems.append(_("The task is on two rows."))
            continue
        found.row = number
        if formula:
            found.problems.append(_("Formulas are not accepted: type the value itself."))
            continue
        try:
            found.status = _status(values[5])
            found.progress = _whole(values[6], _("Progress"))
        except ValueError as error:
            found.problems.append(str(error))
        note = values[7]
        found.note = "" if note is None else str(note).replace("\x00", "").strip()[:2000]
    if len(sheets) > 1:
        for number, values, formula in _values(sheets[1], 10, max_rows):
            if values[8] in (None, ""):
                continue  # no new figure on this row
            found = group(values[1], values[2], number)
            if found is None:
                continue
            if formula:
                found.problems.append(_("Formulas are not accepted: type the value itself."))
                continue
            try:
                indicator_id = _whole(values[0], _("Indicator id"))
                figure = FigureRow(number, indicator_id or 0, _decimal(values[8]), _day(values[9]))
            except ValueError as error:
                found.problems.append(str(error))
                continue
            found.figures.append(figure)
    return refused + list(groups.values())
