"""Open data: the public targets, achievements and the revision log as CSV and JSON,
for the city's open-data portal and anyone else. Column names are stable, machine
names (the same in every language); texts come in both Korean and English columns.
Amounts are written exactly, as decimal strings. Only public indicators and published
(verified or final) figures appear.

Every cell that is text and begins like a formula is prefixed with an apostrophe
(``plans.spreadsheets``, the rule of every export), so opening the CSV in a
spreadsheet runs nothing."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from plans import dates, spreadsheets
from plans.models import Indicator, Measurement, MeasurementRevision

INDICATOR_COLUMNS = [
    "plan_year",
    "indicator_code",
    "sector_number",
    "name_ko",
    "name_en",
    "unit_ko",
    "unit_en",
    "baseline",
    "target",
    "target_date",
    "direction",
    "actual",
    "actual_as_of",
    "actual_state",
    "percent_achieved",
    "illustrative",
    "source_ko",
    "source_en",
    "definition_ko",
    "definition_en",
]

REVISION_COLUMNS = [
    "revised_at",
    "plan_year",
    "indicator_code",
    "name_ko",
    "name_en",
    "figure_as_of",
    "old_value",
    "new_value",
    "old_state",
    "new_state",
    "reason",
]


def amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def _figure(indicator: Indicator, figure: Measurement) -> dict[str, Any]:
    return {
        "as_of": figure.as_of.isoformat(),
        "value": amount(figure.value),
        "state": figure.state,
        "percent_achieved": amount(indicator.percent_achieved(figure.value)),
        "illustrative": figure.is_assumed,
    }


def indicator_record(indicator: Indicator) -> dict[str, Any]:
    latest = indicator.published[-1] if indicator.published else None
    return {
        "plan_year": indicator.plan.year,
        "indicator_code": indicator.code,
        "sector_number": indicator.sector.number if indicator.sector_id else None,
        "name_ko": indicator.name_ko,
        "name_en": indicator.name_en,
        "unit_ko": indicator.unit_ko,
        "unit_en": indicator.unit_en,
        "baseline": amount(indicator.baseline),
        "target": amount(indicator.target),
        "target_date": indicator.target_date.isoformat(),
        "direction": indicator.direction,
        "source_ko": indicator.source_ko,
        "source_en": indicator.source_en,
        "definition_ko": indicator.definition_ko,
        "definition_en": indicator.definition_en,
        "latest": _figure(indicator, latest) if latest else None,
        "figures": [_figure(indicator, figure) for figure in indicator.published],
    }


def indicator_row(record: dict[str, Any]) -> dict[str, Any]:
    latest = record["latest"] or {}
    return {
        **{key: record[key] for key in INDICATOR_COLUMNS if key in record},
        "actual": latest.get("value"),
        "actual_as_of": latest.get("as_of"),
        "actual_state": latest.get("state"),
        "percent_achieved": latest.get("percent_achieved"),
        "illustrative": latest.get("illustrative"),
    }


def revision_record(revision: MeasurementRevision) -> dict[str, Any]:
    measurement = revision.measurement
    indicator = measurement.indicator
    return {
        "revised_at": dates.seoul_time(revision.revised_at).isoformat(timespec="seconds"),
        "plan_year": indicator.plan.year,
        "indicator_code": indicator.code,
        "name_ko": indicator.name_ko,
        "name_en": indicator.name_en,
        "figure_as_of": measurement.as_of.isoformat(),
        "old_value": amount(revision.old_value),
        "new_value": amount(revision.new_value),
        "old_state": revision.old_state,
        "new_state": revision.new_state,
        "reason": revision.reason,
    }


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | datetime):
        return value.isoformat()
    return spreadsheets.csv_value(value)  # the one formula-safe rule of every export


def to_csv(columns: list[str], rows: Iterable[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    # The byte-order mark is how Excel knows the file is UTF-8 and shows Korean.
    return buffer.getvalue().encode("utf-8-sig")


def to_json(key: str, records: list[dict[str, Any]]) -> bytes:
    return json.dumps({key: records}, ensure_ascii=False, indent=1).encode()


def etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
