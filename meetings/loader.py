"""Loads the report sessions of a plan data file; idempotent like plans.loader."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.db import transaction

from plans import dates
from plans.models import Bureau, WorkPlan

from .models import AgendaItem, ReportSession


def _seoul(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=dates.SEOUL)


@transaction.atomic
def load_sessions(plan: WorkPlan, data: dict[str, Any]) -> dict[str, int]:
    created_count = {"sessions": 0, "agenda_items": 0}
    sectors = {sector.number: sector for sector in plan.sectors.all()}
    bureaus = {bureau.code: bureau for bureau in Bureau.objects.all()}
    for item in data.get("sessions", []):
        starts_at = _seoul(item["starts_at"])
        session, created = ReportSession.objects.get_or_create(
            sector=sectors[item["sector"]],
            starts_at=starts_at,
            defaults={
                "ends_at": _seoul(item["ends_at"]),
                "venue_ko": item.get("venue_ko", ""),
                "venue_en": item.get("venue_en", ""),
                "theme_ko": item.get("theme_ko", ""),
                "theme_en": item.get("theme_en", ""),
                "assumed_fields": ",".join(item.get("assumed", [])),
                "assumption_note_ko": item.get("assumption_note_ko", ""),
                "assumption_note_en": item.get("assumption_note_en", ""),
            },
        )
        created_count["sessions"] += created
        day = starts_at.date()
        for slot in item.get("agenda", []):
            _, created = AgendaItem.objects.get_or_create(
                session=session,
                order=slot["order"],
                defaults={
                    "bureau": bureaus[slot["bureau"]],
                    "title_ko": slot.get("title_ko", ""),
                    "title_en": slot.get("title_en", ""),
                    "starts_at": _at(day, slot["starts_at"]),
                    "ends_at": _at(day, slot["ends_at"]),
                },
            )
            created_count["agenda_items"] += created
    return created_count


def _at(day, hhmm: str) -> datetime:
    return dates.at(day, time.fromisoformat(hhmm))
