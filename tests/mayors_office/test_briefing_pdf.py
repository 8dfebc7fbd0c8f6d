"""The briefing pack as a document: an A4 PDF with the Korean fonts embedded, the session,
the classification marking, the "generated at" line and the page number on every page,
and tables that break between rows with their header repeated (issue 15, item 10)."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests import pdf
from tests.factories import KeyTaskFactory

# What this checks does not depend on the database: run once, in the PostgreSQL stage.
pytestmark = pytest.mark.once


def url(session):
    return reverse("meetings:briefing_pdf", args=[session.pk])


@pytest.fixture
def pack(office_client, sessions, jobs_indicator, tmp_path):
    def download(session=None):
        response = office_client.get(url(session or sessions[0]))
        assert response.status_code == 200
        path = tmp_path / "pack.pdf"
        path.write_bytes(response.content)
        return response, path

    return download


def test_the_pack_downloads_as_an_a4_pdf_with_the_korean_fonts_embedded(pack, sessions):
    response, path = pack()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="briefing-pack-2024-01-15-sector-1.pdf"'
    )
    assert path.read_bytes().startswith(b"%PDF")
    width, height = pdf.page_size(path)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    fonts = pdf.fonts(path)
    assert any("Noto-Sans-CJK-KR" in font["name"] for font in fonts)
    assert all(font["embedded"] for font in fonts), fonts
    text = "\n".join(pdf.pages_text(path))
    assert "1분야" in text and "바운스: 중소기업 지원" in text
    assert "20만 8,959개 / 목표 18만 9,988개" in text  # the chart's figures, as text


def test_every_page_carries_the_session_the_marking_the_generated_line_and_its_number(
    pack, city, sessions
):
    for n in range(40):  # enough live tasks for several pages
        KeyTaskFactory(sector=city.sectors[0], bureau=city.finance, code=f"P-{n:02d}")
    _response, path = pack()
    pages = pdf.pages_text(path)
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        flat = " ".join(text.split())
        assert "보고회 · 1. 1분야 · 2024년 1월 15일 (월)" in flat, number
        assert "내부 검토용 · 외부 배포 금지" in flat, number
        assert re.search(
            r"부산시 업무계획 관리에서 \d{4}년 \d+월 \d+일 \([월화수목금토일]\) 오[전후]", flat
        )
        assert re.search(rf"\b{number} ?/ ?{len(pages)}$", flat), number  # the page number, last


def test_a_long_task_table_breaks_between_rows_and_repeats_its_header(pack, city, sessions):
    for n in range(45):
        KeyTaskFactory(
            sector=city.sectors[0],
            bureau=city.finance,
            code=f"P-{n:02d}",
            title_ko=f"부산 공공 와이파이 확충 및 디지털 포용 사업 {n:02d}단계 추진",
            due_date=dt.date(2027, 6, 30),
        )
    _response, path = pack()
    pages = pdf.pages_text(path)
    with_tasks = [text for text in pages if re.search(r"\bP-\d\d\b", text)]
    assert len(with_tasks) >= 2, "the task table should run over more than one page"
    for text in with_tasks:
        # The table's header row is on every page the table reaches.
        assert "핵심과제" in text and "보고 상태" in text and "조기 경보" in text
    for n in range(45):
        code = f"P-{n:02d}"
        (page,) = [text for text in with_tasks if code in text]  # a row on one page only
        assert f"사업 {n:02d}단계" in page, f"the row {code} was split between pages"


def test_the_marking_is_the_citys_to_set(pack, settings):
    settings.BRIEFING_PACK_MARKING = "대외비"
    _response, path = pack()
    assert all("대외비" in text for text in pdf.pages_text(path))


def test_staff_may_download_it_and_anonymous_visitors_are_asked_to_sign_in(
    client, staff_client, sessions
):
    assert staff_client.get(url(sessions[0])).status_code == 200
    response = client.get(url(sessions[0]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert staff_client.get(reverse("meetings:briefing_pdf", args=[999999])).status_code == 404
