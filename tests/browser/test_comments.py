"""A comment with an attachment, answered: the mayor's office asks the bureau on the task
page and notifies the owner; the owner answers with a PDF as evidence; the mayor's
office downloads it. With HTMX, in Chromium, and every step passes the axe audit. The
thread comes when the reader scrolls down to it."""

from pathlib import Path

from playwright.sync_api import expect

from discussion.models import Attachment, Comment
from reminders.models import ReminderLog
from tests.browser.deferred import reach_the_thread

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_a_comment_with_an_attachment_answered(
    browser, browser_context_args, live_server, city, sign_in, axe_audit, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }
    task = city.finance_task
    task_url = f"{live_server.url}/tasks/{task.pk}/"

    office_context = browser.new_context(**browser_context_args)
    office = sign_in(office_context.new_page(), city.mayors_office)
    office.goto(task_url)
    thread = reach_the_thread(office)
    expect(thread.get_by_role("heading", name="의견과 증빙")).to_be_visible()
    thread.get_by_label("의견", exact=True).fill("6월 실적의 근거 자료를 올려 주세요.")
    thread.get_by_label("finance_staff").check()
    thread.get_by_role("button", name="의견 등록").click()
    expect(thread.locator(".comment-body")).to_have_text("6월 실적의 근거 자료를 올려 주세요.")
    expect(office.locator("#discussion .flash-success")).to_have_text("의견을 등록했습니다.")
    axe_audit(office, "the thread after a comment")
    question = Comment.objects.get()
    assert ReminderLog.objects.filter(
        subject_type="comment", subject_id=question.pk, recipient=city.finance_staff
    ).exists()

    evidence = tmp_path / "고용부 공시.pdf"
    evidence.write_bytes(PDF)
    owner_context = browser.new_context(**browser_context_args)
    owner = sign_in(owner_context.new_page(), city.finance_staff)
    owner.goto(task_url)
    reach_the_thread(owner)
    comment = owner.locator(f"#comment-{question.pk}")
    comment.locator("summary", has_text="답변").click()
    comment.get_by_label("답변", exact=True).fill("고용부 공시 자료를 첨부합니다.")
    comment.get_by_label("증빙 파일").set_input_files(str(evidence))
    comment.get_by_role("button", name="답변 등록").click()
    answer = owner.locator("#discussion .answers .comment")
    expect(answer.locator(".comment-body")).to_have_text("고용부 공시 자료를 첨부합니다.")
    expect(answer.get_by_role("link", name="고용부 공시.pdf")).to_be_visible()
    axe_audit(owner, "the thread after an answer with a file")
    attachment = Attachment.objects.get()
    assert attachment.comment.answers == question

    office.reload()
    with office.expect_download() as download_info:
        reach_the_thread(office).get_by_role("link", name="고용부 공시.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "고용부 공시.pdf"
    assert Path(download.path()).read_bytes() == PDF
    office_context.close()
    owner_context.close()
