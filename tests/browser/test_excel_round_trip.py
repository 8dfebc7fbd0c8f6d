"""The Excel round trip in Chromium, under the real Content-Security-Policy: a bureau
head downloads the workbook, edits it, uploads it, reads the check and applies it; a
check running in the background shows up on the page by itself (HTMX polls the status
fragment). The pages pass the axe audit; the tokens page shows a new token once."""

import io

import pytest
from openpyxl import load_workbook

from bulk import services
from plans.models import KeyTask
from tests.browser.test_accessibility import page_problems


@pytest.fixture
def csp_page(browser, browser_context_args, sign_in, city):
    context = browser.new_context(**{**browser_context_args, "bypass_csp": False})
    page = context.new_page()
    refused = []
    page.on("console", lambda message: message.type == "error" and refused.append(message.text))
    sign_in(page, city.economy_head)
    yield page, refused
    context.close()


def test_a_head_round_trips_the_workbook_in_the_browser(live_server, city, csp_page, tmp_path):
    page, refused = csp_page
    page.goto(f"{live_server.url}/bulk/")
    with page.expect_download() as downloaded:
        page.get_by_role("link", name="내 핵심과제 내려받기(.xlsx)").click()
    book = load_workbook(io.BytesIO(downloaded.value.path().read_bytes()))
    sheet = book.worksheets[0]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 1).value == city.finance_task.pk:
            sheet.cell(row, 6).value = "지연 우려"
            sheet.cell(row, 7).value = 35
            sheet.cell(row, 8).value = "협약 지연"
    edited = tmp_path / "핵심과제.xlsx"
    book.save(edited)
    page.set_input_files("input[type=file]", str(edited))
    page.get_by_role("button", name="파일 확인").click()
    page.wait_for_url("**/bulk/uploads/*/")
    assert "상태: 정상 추진 → 지연 우려" in page.inner_text("main")
    assert "협약 지연" in page.inner_text("main")
    page.get_by_role("button", name="핵심과제 1건에 반영").click()
    page.wait_for_selector("text=반영 완료")
    task = KeyTask.objects.get(pk=city.finance_task.pk)
    assert (task.status, task.progress, task.version) == ("at_risk", 35, 2)
    assert not refused, refused


def test_a_background_check_appears_on_the_page_by_itself(live_server, city, csp_page):
    page, refused = csp_page
    content = io.BytesIO(services.download(city.economy_head))
    book = load_workbook(content)
    book.worksheets[0].cell(2, 7).value = 90
    buffer = io.BytesIO()
    book.save(buffer)
    upload = services.receive(
        by=city.economy_head, file_name="큰 파일.xlsx", content=buffer.getvalue()
    )
    page.goto(f"{live_server.url}/bulk/uploads/{upload.pk}/")
    assert "확인 중" in page.inner_text("#upload-status")
    services.check(upload)  # the worker finishes while the page is open
    page.wait_for_selector("text=바뀔 내용", timeout=10_000)
    assert page.locator("#upload-status[hx-trigger]").count() == 0  # polling stopped
    assert not refused, refused


def test_the_tokens_page_shows_a_new_token_once(live_server, city, csp_page):
    page, refused = csp_page
    page.goto(f"{live_server.url}/api/tokens/")
    page.get_by_label("이름").fill("성과관리 시스템")
    page.get_by_role("button", name="토큰 만들기").click()
    token = page.inner_text(".token-value")
    assert token.startswith("bt_")
    page.goto(f"{live_server.url}/api/tokens/")
    assert token not in page.content()
    page.get_by_role("button", name="“성과관리 시스템” 폐기").click()
    assert "폐기됨" in page.inner_text("main")
    assert not refused, refused


def test_the_pages_pass_the_audit(live_server, city, browser, browser_context_args, sign_in):
    """Audited here with the tokens page, the round trip's pages and a check with a
    change, a refusal and a conflict (the full walk, test_accessibility.py, audits them
    too, as registered in tests/i18n/topics/api.py)."""
    book = load_workbook(io.BytesIO(services.download(city.economy_head)))
    sheet = book.worksheets[0]
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, 6).value = "완료" if row == 2 else "지연"
    buffer = io.BytesIO()
    book.save(buffer)
    upload = services.check(
        services.receive(by=city.economy_head, file_name="점검.xlsx", content=buffer.getvalue())
    )
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(page, city.economy_head)
    problems = []
    for path in ("/api/tokens/", "/bulk/", f"/bulk/uploads/{upload.pk}/"):
        for width in (320, 1280):
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(live_server.url + path)
            problems += [f"{path} {width}px: {p}" for p in page_problems(page, "ko")]
    context.close()
    assert not problems, "\n".join(problems)
