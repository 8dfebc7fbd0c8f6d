"""Pages of comments and evidence on key tasks (issue 12 item 3): the thread on its own
page and as the task page's fragment; writes and downloads answered elsewhere. And each
person's email settings (item 6: a daily digest or one email for each reminder)."""

from tests.i18n.entries import Page, not_html, page

PAGES: dict[str, Page] = {
    "discussion:thread": page(
        "finance_staff",
        "economy_head",
        "mayors_office",
        fragment=True,
        kwargs=lambda c: {"pk": c.finance_task.pk},
    ),
    "discussion:comment": not_html(
        "POST only: answers with the thread (checked through discussion:thread) or a redirect"
    ),
    "discussion:withdraw_comment": not_html("POST only: answers with the thread or a redirect"),
    "discussion:withdraw_file": not_html("POST only: answers with the thread or a redirect"),
    "reminders:notifications": page("finance_staff", "economy_head", "mayors_office"),
    "discussion:file": not_html(
        "a download (Content-Disposition: attachment): tests/discussion/test_url_roles.py"
    ),
}


def build(city) -> None:
    """A question of the mayor's office on finance_task, answered by its owner with an
    evidence file (a row only: the pages list it, nothing reads the stored file), and a
    withdrawn comment, so the thread is walked with every kind of entry; two changes of
    the mayor's office's email setting, so its settings page lists them."""
    from discussion import services
    from discussion.models import Attachment

    question = services.post_comment(
        task=city.finance_task,
        by=city.mayors_office,
        body="6월 실적의 근거 자료를 올려 주세요. @finance_staff",
    )
    answer = services.post_comment(
        task=city.finance_task, by=city.finance_staff, body="첨부합니다.", answers=question
    )
    Attachment.objects.create(
        task=city.finance_task,
        comment=answer,
        file="evidence/walk/missing",
        name="고용부 공시.pdf",
        content_type="application/pdf",
        size=2048,
        sha256="0" * 64,
        uploaded_by=city.finance_staff,
    )
    withdrawn = services.post_comment(
        task=city.finance_task, by=city.finance_staff, body="잘못 올린 의견"
    )
    services.withdraw_comment(withdrawn, by=city.finance_staff, reason="중복")
    city.evidence_question = question
    # The mayor's office tried one email for each and went back to the daily digest: its
    # email settings page lists both changes (and it still gets the default).
    from reminders import daily

    for delivery in ("each", "daily"):
        daily.set_delivery(user=city.mayors_office, delivery=delivery)
