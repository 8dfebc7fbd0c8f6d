"""Benchmark scenarios of the city-wide list and its files at city scale (issue 17).

The exports are timed beside a bare XlsxWriter / csv writer of the same rows in the same
run (bench/exports.py; the XLSX beside openpyxl's write-only workbook too), in rows per
second."""

from __future__ import annotations

from bench.client import Export, Scenario

SCENARIOS: list[Scenario] = [
    Scenario(
        "city-wide list", url="review:task_list", path="/dashboard/tasks/", user="mayor", hot=True
    ),
    Scenario(
        "city-wide list, all",
        url="review:task_list",
        path="/dashboard/tasks/?flag=all",
        user="mayor",
        hot=True,
    ),
    Scenario(
        "city-wide list, page 50",
        url="review:task_list",
        path="/dashboard/tasks/?flag=all&sort=bureau&page=50",
        user="mayor",
        hot=True,
    ),
]

EXPORTS: list[Export] = [
    Export(
        "XLSX, all tasks",
        url="review:task_export_xlsx",
        path="/dashboard/tasks/export.xlsx?flag=all",
        kind="xlsx",
        seconds_limit=10,
    ),
    Export(
        "CSV, all tasks",
        url="review:task_export_csv",
        path="/dashboard/tasks/export.csv?flag=all",
        kind="csv",
    ),
]

EXCLUDED: dict[str, str] = {
    "review:task_export_request": "POST only: records a request and hands it to a worker",
    "review:export_download": "a stored file sent as it is (the exports above write it)",
}
