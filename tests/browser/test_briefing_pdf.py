"""The mayor's office downloads the briefing pack as a PDF document from its page and
takes it into the session (issue 15, item 10). Its pages, rendered to PNG, are in
test-output/briefing-pdf-page-<n>.png."""

import datetime as dt

from playwright.sync_api import expect

from tests import pdf
from tests.browser.test_indicator_chart import indicators_of_every_kind
from tests.browser.test_mayors_office import a_session
from tests.factories import KeyTaskFactory


def test_the_briefing_pack_downloads_as_a_document_with_numbered_pages(
    page, live_server, city, sign_in, output_dir
):
    session = a_session(city)
    indicators_of_every_kind(city)
    for n in range(30):
        KeyTaskFactory(
            sector=city.sectors[0],
            bureau=city.finance,
            code=f"1-{n + 10:02d}",
            title_ko=f"지역 소상공인 디지털 전환 지원 {n + 1}차 사업",
            due_date=dt.date(2027, 6, 30),
        )
    sign_in(page, city.mayors_office)
    page.goto(f"{live_server.url}/sessions/{session.pk}/briefing/")
    link = page.get_by_role("link", name="PDF로 내려받기")
    expect(link).to_be_visible()
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "briefing-pack-2024-01-15-sector-1.pdf"
    path = output_dir / "briefing-pack.pdf"
    download.save_as(path)

    pages = pdf.pages_text(path)
    assert len(pages) >= 3
    assert all("내부 검토용" in text and "생성" in text for text in pages)
    pictures = pdf.to_png(path, output_dir / "briefing-pdf-page")
    assert len(pictures) == len(pages)
    assert all(picture.stat().st_size > 10_000 for picture in pictures)
    # No script on the page itself: the download is a plain link.
    assert page.locator("[onclick]").count() == 0
