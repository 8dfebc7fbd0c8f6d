"""The one export writer: a table (headers with column widths, then rows) as an XLSX
workbook or a CSV file, for every list the product exports.

Formula-safe: a text cell that starts with = + - @, a tab or a carriage return would be
run as a formula by Excel or LibreOffice (CSV injection); it is written as text — an
XLSX string cell, and in CSV behind an apostrophe, as OWASP advises. Numbers and dates
stay numbers and dates."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from . import dates

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Columns = list[tuple[str, int]]


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def table_xlsx(title: str, columns: Columns, rows: Iterable[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([header for header, _width in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, (_header, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and (is_formula_like(cell.value)):
                # openpyxl reads a leading "=" as a formula: store it as the text it is.
                cell.data_type = TYPE_STRING
            elif isinstance(cell.value, date):
                cell.number_format = (
                    "yyyy-mm-dd hh:mm" if isinstance(cell.value, datetime) else "yyyy-mm-dd"
                )
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_value(value):
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if is_formula_like(value):
        return "'" + value
    return value


def table_csv(columns: Columns, rows: Iterable[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([header for header, _width in columns])
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    # The byte-order mark is how Excel knows the file is UTF-8 and shows Korean.
    return buffer.getvalue().encode("utf-8-sig")


def attachment(content: bytes, *, name: str, extension: str) -> HttpResponse:
    """The file as a download named ``<name>-<Seoul day>.<extension>``."""
    content_type = XLSX_TYPE if extension == "xlsx" else CSV_TYPE
    response = HttpResponse(content, content_type=content_type)
    filename = f"{name}-{dates.today():%Y%m%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
