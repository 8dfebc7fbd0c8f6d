"""A note typed with a Korean input method and sent with Enter keeps its last syllable
and is sent once (issue 15, item 11). Chromium's composition is driven through CDP
(tests/browser/ime.py), as a Korean IME drives it.
The comment box (issue 12's thread on the task page) is tested the same way: there Enter
ends the composition and the comment is sent once with its button.
"""

import re

from django.core.cache import cache
from playwright.sync_api import expect

from discussion.models import Comment
from plans.models import StatusUpdate
from tests.browser.deferred import reach_the_thread

NOTE = "참여기업 모집 완료했습니다"


def open_row_form(page, live_server, task):
    cache.clear()
    page.goto(f"{live_server.url}/tasks/mine/")
    page.locator(f"#task-{task.pk} td.update-cell a.btn").click()
    note = page.locator(f"#task-{task.pk}-note")
    expect(note).to_be_visible()
    return note


def requests_to(page, path):
    sent = []
    page.on("request", lambda request: sent.append(request) if path in request.url else None)
    return sent


def notes_of(task):
    return list(
        StatusUpdate.objects.filter(task=task).exclude(note="").values_list("note", flat=True)
    )


def test_enter_during_composition_keeps_the_last_syllable_and_sends_once(
    page, live_server, city, sign_in, korean_ime
):
    task = city.finance_task
    sign_in(page, city.economy_head)
    note = open_row_form(page, live_server, task)
    posts = requests_to(page, f"/tasks/{task.pk}/update/")
    ime = korean_ime(page)

    ime.type(note, NOTE, commit_last=False)  # "다" is still being composed
    assert page.evaluate("document.activeElement.id") == f"task-{task.pk}-note"
    page.keyboard.press("Enter")  # the IME's Enter: it ends the composition…
    ime.commit()
    expect(note).to_have_value(NOTE)  # …and the syllable stays
    assert [p for p in posts if p.method == "POST"] == []  # not sent yet

    page.keyboard.press("Enter")  # the second Enter sends it
    row = page.locator(f"#task-{task.pk}")
    expect(row.locator(".saved-cue")).to_be_visible()
    assert notes_of(task) == [NOTE]
    assert len([p for p in posts if p.method == "POST"]) == 1


def test_a_note_committed_before_enter_is_sent_once_whole(
    page, live_server, city, sign_in, korean_ime
):
    task = city.finance_task
    sign_in(page, city.economy_head)
    note = open_row_form(page, live_server, task)
    posts = requests_to(page, f"/tasks/{task.pk}/update/")

    korean_ime(page).type(note, NOTE)  # every syllable committed
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # a second Enter while the first is on its way adds nothing

    expect(page.locator(f"#task-{task.pk} .saved-cue")).to_be_visible()
    assert notes_of(task) == [NOTE]
    assert len([p for p in posts if p.method == "POST"]) == 1


def test_escape_while_composing_cancels_the_syllable_not_the_form(
    page, live_server, city, sign_in, korean_ime
):
    task = city.finance_task
    sign_in(page, city.economy_head)
    note = open_row_form(page, live_server, task)
    ime = korean_ime(page)
    ime.type(note, "확인", commit_last=False)
    page.keyboard.press("Escape")
    expect(note).to_be_visible()  # the form is still open


COMMENT = "6월 실적 근거 자료를 올려 주세요"


def test_a_comment_typed_in_korean_keeps_its_last_syllable_and_is_sent_once(
    page, live_server, city, sign_in, korean_ime
):
    task = city.finance_task
    sign_in(page, city.mayors_office)
    page.goto(f"{live_server.url}/tasks/{task.pk}/")
    thread = reach_the_thread(page)
    box = thread.get_by_label("의견", exact=True)
    posts = requests_to(page, "/discussion/")
    ime = korean_ime(page)

    ime.type(box, COMMENT, commit_last=False)  # "요" is still being composed
    page.keyboard.press("Enter")  # the IME's Enter ends the composition…
    ime.commit()
    # …and the syllable stays (a comment box is several lines: Enter may also start a new
    # line, which the saved comment does not keep); nothing is sent.
    expect(box).to_have_value(re.compile("^" + re.escape(COMMENT) + r"\n?$"))
    assert [p for p in posts if p.method == "POST"] == []

    thread.get_by_role("button", name="의견 등록").click()
    expect(thread.locator(".comment-body")).to_have_text(COMMENT)
    assert list(Comment.objects.values_list("body", flat=True)) == [COMMENT]
