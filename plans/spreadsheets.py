"""The one writer of the tables that leave the tracker as files, XLSX and CSV. Every
export goes through it, so that:

- a cell whose text begins like a formula (``= + - @``, a tab or a carriage return)
  stays text in the reader's spreadsheet: a directive written as
  ``=HYPERLINK("http://…"&A1,"click")`` is shown, never run. XLSX cells are typed as
  strings (with Excel's quote prefix, as if typed after an apostrophe); CSV has no types,
  so the text is prefixed with an apostrophe, as OWASP advises.
- a large list keeps memory flat: the XLSX is written row by row by XlsxWriter in its
  constant-memory mode into a temporary file (on disk past ``SPOOL_BYTES``) that is then sent
  in chunks; the CSV is sent as it is written. A 20,000-row export costs the time of
  writing it, not of keeping the sheet in memory and walking it.
- dates are real dates (a date format in XLSX, ISO 8601 in CSV) and the CSV is UTF-8
  with a byte-order mark, which is how Excel knows to show Korean.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from django.http import FileResponse, StreamingHttpResponse

from plans import dates

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"

# What makes Excel, LibreOffice or Google Sheets read a cell as a formula (or, for tab
# and carriage return, hide the sign that would) when it begins a cell's text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(FORMULA_STARTS)

DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "yyyy-mm-dd hh:mm"

# The XLSX is built in memory up to this size, then on disk.
SPOOL_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Column:
    header: str
    width: int  # in characters, as Excel counts them
    # Date and time in every row: the CSV writes them to the minute before the rest of
    # the row, so the row can take the fast path (``csv_chunks``).
    time: bool = False


@dataclass(frozen=True)
class Table:
    """What an export writes: a sheet name, its columns and its rows (any iterable, read
    once, so a QuerySet's ``iterator()`` keeps memory flat)."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]


def looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_value(value: Any) -> Any:
    """A value as a CSV cell: formula-like text after an apostrophe, dates in ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _csv_fast(value: Any) -> Any:
    """``csv_value``, with the common cases (text, whole numbers) first: it runs for
    every cell of a 20,000-row file."""
    kind = type(value)
    if kind is str:
        return "'" + value if value[:1] in _FORMULA_FIRST else value
    if kind is int:
        return value
    if kind is date:
        return value.isoformat()
    if kind is datetime:
        return value.isoformat(sep=" ", timespec="minutes")
    return csv_value(value)


def write_csv(table: Table, out: IO[bytes]) -> int:
    """Writes the table as CSV into ``out``; the number of rows (the header not counted)."""
    counted = _Counted(table.rows)
    for chunk in csv_chunks(Table(table.title, table.columns, counted)):
        out.write(chunk)
    return counted.count


class _Counted:
    def __init__(self, rows: Iterable):
        self.rows, self.count = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row


# csv writes text, numbers, dates and None as ``csv_value`` would, so lines written from
# the raw values can differ only where a field begins like a formula or holds a datetime
# (written with seconds). ``_written_alike`` tells, fast, that lines have neither; a
# false alarm ("a=b", a negative number, "10:30:00" in a note) costs only the lines it
# is in the line-by-line check, and the line that fails that its cells one by one.
_SECONDS = re.compile(r":\d\d:")


def _written_alike(lines: str) -> bool:
    """For one line or many, each ending in its "\r\n"."""
    return not (
        lines[0] in _FORMULA_FIRST
        or "=" in lines
        or "+" in lines
        or "@" in lines
        or "\t" in lines
        # A field begins after its comma, after the quote opening it, or a line.
        or ",-" in lines
        or '"-' in lines
        or "\n-" in lines
        or lines.count("\r") != lines.count("\r\n")
        or _SECONDS.search(lines)
    )


class _Written(list):
    """csv.writer's file: keeps the lines written, one a row."""

    write = list.append


# Rows written, checked and sent together: about 50 KB of a key-task list.
CSV_CHUNK_ROWS = 250


def csv_chunks(table: Table) -> Iterator[bytes]:
    """The CSV file in chunks, as it is written: the byte-order mark and the header
    row, then ``CSV_CHUNK_ROWS`` rows at a time. The rows are written as they are and
    checked together; only a row that might hold a formula or a time is written again
    cell by cell: converting every cell of a 20,000-row file in Python took most of the
    export's time."""
    lines = _Written()
    writer = csv.writer(lines)
    writer.writerow([column.header for column in table.columns])
    yield ("\ufeff" + lines.pop()).encode("utf-8")
    times = [index for index, column in enumerate(table.columns) if column.time]
    rows: list[list] = []
    for row in table.rows:
        if times:
            row = list(row)
            for index in times:
                row[index] = csv_value(row[index])
        rows.append(row)
        if len(rows) == CSV_CHUNK_ROWS:
            yield _checked(writer, lines, rows).encode("utf-8")
            rows = []
    if rows:
        yield _checked(writer, lines, rows).encode("utf-8")


def _checked(writer, lines: _Written, rows: list) -> str:
    """The rows as CSV, each written as it is unless it might differ from its cells
    written one by one."""
    lines.clear()
    writer.writerows(rows)
    text = "".join(lines)
    if _written_alike(text):
        return text
    written = list(lines)
    for index, line in enumerate(written):
        if not _written_alike(line):
            lines.clear()
            writer.writerow([_csv_fast(value) for value in rows[index]])
            written[index] = lines.pop()
    return "".join(written)


# Control characters Excel cannot store in a cell (tab, line feed and carriage return
# it can).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def storable(text: str) -> str:
    """The text without what Excel cannot store: those characters carry nothing a reader
    could see, so they are dropped rather than fail a file or show as _xHHHH_ escapes.
    Every workbook the tracker writes (exports, the bulk-edit workbook) goes through it."""
    return _ILLEGAL.sub("", text)


# What Excel refuses in a sheet's name.
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


class _XlsxRow:
    """Writes a row of values into a constant-memory sheet: each cell by its type, text
    as a string whatever it looks like, a date or time with its format."""

    def __init__(self, workbook, sheet):
        self.sheet = sheet
        self.date = workbook.add_format({"num_format": DATE_FORMAT})
        self.time = workbook.add_format({"num_format": TIME_FORMAT})
        # As if typed after an apostrophe: shown as text, and stays text when edited.
        self.as_typed = workbook.add_format({"quote_prefix": True})

    def write(self, index: int, row: Sequence[Any]) -> None:
        sheet = self.sheet
        for column, value in enumerate(row):
            kind = type(value)
            if kind is str:
                # The common case, first: it runs for every cell.
                if value and value[0] not in _FORMULA_FIRST and value.isprintable():
                    sheet.write_string(index, column, value)
                elif value:
                    self.text(index, column, value)
            elif kind is int:
                sheet.write_number(index, column, value)
            elif value is not None:
                self.other(index, column, value)

    def text(self, index: int, column: int, value: str) -> None:
        value = storable(value)
        if value.startswith(FORMULA_STARTS):
            self.sheet.write_string(index, column, value, self.as_typed)
        elif value:
            self.sheet.write_string(index, column, value)

    def other(self, index: int, column: int, value: Any) -> None:
        sheet = self.sheet
        if isinstance(value, str):
            self.text(index, column, value)
        elif isinstance(value, bool):
            sheet.write_boolean(index, column, value)
        elif isinstance(value, (int, float, Decimal)):
            sheet.write_number(index, column, value)
        elif isinstance(value, datetime):
            if value.tzinfo is not None:
                value = dates.seoul_time(value).replace(tzinfo=None)
            sheet.write_datetime(index, column, value, self.time)
        elif isinstance(value, date):
            sheet.write_datetime(index, column, value, self.date)
        else:
            self.text(index, column, str(value))


def sheet_name(title: str) -> str:
    """The title as Excel takes a sheet's name: at most 31 characters, none of []:*?/\\,
    not beginning or ending with an apostrophe."""
    words = _NOT_IN_SHEET_NAMES.sub(" ", title).strip("'").split()
    return " ".join(words)[:31].strip("' ") or "Sheet1"


def write_xlsx(table: Table, out: IO[bytes]) -> int:
    """Writes the table as an XLSX workbook of one sheet into ``out``: a bold header
    row that stays in view, the columns' widths, a filter on every column. Returns the
    number of rows written (the header not counted).

    Written by XlsxWriter in its constant-memory mode (each row goes to a temporary file
    once the next begins): it writes 20,000 rows in half openpyxl's time. Text is never
    read as a formula, an address or a number (the options below, and ``_XlsxRow``)."""
    workbook = xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    sheet = workbook.add_worksheet(sheet_name(table.title))
    for index, column in enumerate(table.columns):
        sheet.set_column(index, index, column.width)
    sheet.freeze_panes(1, 0)
    bold = workbook.add_format({"bold": True})
    for index, column in enumerate(table.columns):
        sheet.write_string(0, index, column.header, bold)
    write = _XlsxRow(workbook, sheet).write
    count = 0
    for count, row in enumerate(table.rows, start=1):
        write(count, row)
    sheet.autofilter(0, 0, count, max(0, len(table.columns) - 1))
    workbook.close()
    return count


def xlsx_file(table: Table) -> IO[bytes]:
    """The workbook in a temporary file, read from its start (closed when read)."""
    # Not a context manager: the response closes it once it has been sent.
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    write_xlsx(table, out)
    out.seek(0)
    return out


def xlsx_response(table: Table, filename: str) -> FileResponse:
    return FileResponse(
        xlsx_file(table), as_attachment=True, filename=filename, content_type=XLSX_TYPE
    )


def csv_response(table: Table, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_chunks(table), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
