"""The exports at city scale: each file timed over HTTP beside a bare writer of the same
rows in the same run, in rows per second.

The bare writer is the least an export can do: one SQL query for the same rows and
columns (psycopg, no Django) written into memory with the export's own library and no
formats — XlsxWriter in its constant-memory mode, each cell by its type, or
``csv.writer``. The export's time over the bare writer's is the figure issue 17 holds to
1.5x. Beside the XLSX, the same rows written by openpyxl's write-only workbook, the
writer issue 17 named (and the exports used until XlsxWriter wrote them in half its
time)."""

from __future__ import annotations

import csv
import http.client
import io
import statistics
import time
from dataclasses import dataclass
from datetime import date, datetime

import xlsxwriter
from openpyxl import Workbook, load_workbook

from bench.client import HOST, Export, Session

# The city-wide list with "Show: all" and the export's columns (review/exports.py),
# the latest note included, of the current plan (WorkPlanQuerySet.current_first: the
# newest adopted one, not next year's plan in preparation).
SAME_ROWS = """
    SELECT t.code, s.name_ko, b.name_ko, t.pillar_ko, t.title_ko, t.status, t.progress,
           '' AS at_risk, t.start_date, t.due_date, COALESCE(t.baseline_due_date, t.due_date),
           t.deadline_moves,
           CASE WHEN t.due_date < CURRENT_DATE AND t.status NOT IN ('done', 'dropped')
                THEN 'yes' ELSE '' END AS overdue,
           COALESCE(u.last_name, ''), t.updated_at,
           COALESCE((SELECT h.note FROM plans_statusupdate h
                     WHERE h.task_id = t.id AND h.note <> ''
                     ORDER BY h.changed_at DESC, h.id DESC LIMIT 1), '') AS latest_note
    FROM plans_keytask t
    JOIN plans_sector s ON s.id = t.sector_id
    JOIN plans_bureau b ON b.id = t.bureau_id
    LEFT JOIN auth_user u ON u.id = t.owner_id
    WHERE s.plan_id = (SELECT id FROM plans_workplan
                       ORDER BY CASE WHEN stage = 'adopted' THEN 0 ELSE 1 END, year DESC
                       LIMIT 1)
    ORDER BY t.due_date, t.code
"""


@dataclass
class Timing:
    seconds: list[float]
    rows: int
    size: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.median


def bare_writer(database: str, kind: str) -> tuple[float, int]:
    """Seconds to read the rows and write them bare ("xlsx", "csv", or "openpyxl" for
    the XLSX by openpyxl); the number of rows."""
    import psycopg

    with psycopg.connect(database) as conn:
        began = time.perf_counter()
        rows = conn.execute(SAME_ROWS).fetchall()
        # Neither XLSX writer takes a time zone: the export writes Seoul time without one.
        rows = [(*row[:-2], row[-2].replace(tzinfo=None), row[-1]) for row in rows]
        out = io.BytesIO()
        if kind == "xlsx":
            bare_xlsxwriter(rows, out)
        elif kind == "openpyxl":
            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet("bare")
            for row in rows:
                sheet.append(row)
            workbook.save(out)
        else:
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerows(rows)
            out.write(text.getvalue().encode("utf-8-sig"))
        return time.perf_counter() - began, len(rows)


def bare_xlsxwriter(rows: list, out: io.BytesIO) -> None:
    """Each cell by its type, as fast as XlsxWriter's public calls go: no formats, no
    widths, no header, no filter, no check of the text."""
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = workbook.add_worksheet("bare")
    text, number, moment = sheet.write_string, sheet.write_number, sheet.write_datetime
    for index, row in enumerate(rows):
        for column, value in enumerate(row):
            if isinstance(value, str):
                if value:
                    text(index, column, value)
            elif isinstance(value, int):
                number(index, column, value)
            elif isinstance(value, (date, datetime)):
                moment(index, column, value)
    workbook.close()


def rows_in(kind: str, body: bytes) -> int:
    """Rows of a downloaded file, the header not counted."""
    if kind == "xlsx":
        sheet = load_workbook(io.BytesIO(body), read_only=True).active
        return sum(1 for _row in sheet.iter_rows(values_only=True)) - 1
    return len(list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))) - 1


def download(
    export: Export, session: Session, port: int, timeout: float
) -> tuple[float, int, bytes]:
    """Seconds, status and body; status 0 for no answer within ``timeout`` (the export
    before issue 17 wrote 20,000 rows in more than ten minutes)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    began = time.perf_counter()
    try:
        status, body = session.request(conn, "GET", export.path)
        return time.perf_counter() - began, status, body
    except (TimeoutError, ConnectionError, http.client.HTTPException):
        return time.perf_counter() - began, 0, b""
    finally:
        conn.close()


@dataclass
class ExportResult:
    export: Export
    served: Timing
    bare: Timing
    failures: int
    # The XLSX's rows written by openpyxl, in the same turns (None for a CSV).
    openpyxl: Timing | None = None

    @property
    def ratio(self) -> float:
        return self.served.median / self.bare.median

    @property
    def met(self) -> bool:
        within = self.ratio <= self.export.limit
        if self.export.seconds_limit:
            within = within and self.served.median < self.export.seconds_limit
        return within and not self.failures


def measure_export(
    export: Export, session: Session, port: int, database: str, rounds: int, timeout: float
):
    """``rounds`` downloads and as many bare writes, taking turns."""
    served, bare, failures, rows, size = [], [], 0, 0, 0
    openpyxl = [] if export.kind == "xlsx" else None
    for _ in range(rounds):
        seconds, bare_rows = bare_writer(database, export.kind)
        bare.append(seconds)
        if openpyxl is not None:
            openpyxl.append(bare_writer(database, "openpyxl")[0])
        seconds, status, body = download(export, session, port, timeout)
        served.append(seconds)
        if status != 200:
            failures += 1
            answer = status or "no answer"
            print(f"  ! {export.name}: {answer} after {seconds:.0f} s")
            continue
        rows, size = rows_in(export.kind, body), len(body)
    return ExportResult(
        export,
        Timing(served, rows, size),
        Timing(bare, bare_rows),
        failures,
        Timing(openpyxl, bare_rows) if openpyxl else None,
    )


EXPORT_HEADER = (
    f"{'export':<18}{'rows':>7}{'MB':>6}{'median s':>10}{'rows/s':>9}"
    f"  {'bare s':>7}{'bare rows/s':>12}{'ratio':>8}{'openpyxl s':>12}"
)


def export_line(result: ExportResult) -> str:
    export, served, bare = result.export, result.served, result.bare
    limit = f"limit {export.limit:g}x" + (
        f" and < {export.seconds_limit:g} s" if export.seconds_limit else ""
    )
    verdict = "met" if result.met else "MISSED"
    failed = f", {result.failures} failed" if result.failures else ""
    return (
        f"{export.name:<18}{served.rows:>7}{served.size / 1e6:>6.1f}{served.median:>10.2f}"
        f"{served.rows_per_second if served.rows else 0:>9.0f}"
        f"  {bare.median:>7.2f}{bare.rows_per_second:>12.0f}"
        f"{result.ratio:>7.2f}x"
        + (f"{result.openpyxl.median:>12.2f}" if result.openpyxl else f"{'-':>12}")
        + f"  ({limit}: {verdict}{failed})"
    )
