"""The briefing pack as a PDF document (WeasyPrint): A4 pages with a header naming the
session, the classification marking and the "generated at" line on every page, page
numbers, and tables that repeat their header and never split a row. The Korean fonts
(Noto Sans CJK from Debian's fonts-noto-cjk) are embedded, so the file reads the same on
any machine it is sent to."""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML

# The page's own stylesheet (cards, tables, badges, the chart), then the document's.
STYLESHEETS = ("css/app.css", "meetings/briefing-pdf.css")


def _stylesheets() -> list[CSS]:
    return [CSS(filename=finders.find(name)) for name in STYLESHEETS]


def render_pdf(html: str, *, base_url: str) -> bytes:
    """``html`` (a whole document) as PDF; relative links resolve against ``base_url``."""
    document = HTML(string=html, base_url=base_url, media_type="print")
    return document.write_pdf(stylesheets=_stylesheets(), pdf_identifier=None)


def marking() -> str:
    """The classification printed on every page (``BRIEFING_PACK_MARKING``)."""
    return str(settings.BRIEFING_PACK_MARKING)
