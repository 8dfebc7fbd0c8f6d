"""Stories of the discussion on a key task: the mayor's office asks, the bureau answers
with evidence, a mention notifies, a withdrawal stays on record."""

import pytest
from django.core import mail
from django.urls import reverse

from discussion.models import Attachment, Comment, Mention
from plans.models import OnRecord
from reminders.models import ReminderLog
from reminders.outbox import deliver_pending
from tests.conftest import client_for
from tests.discussion.conftest import PDF, pdf


def post(client, task, **data):
    return client.post(reverse("discussion:comment", args=[task.pk]), data)


def test_the_mayors_office_asks_and_the_owner_answers_with_a_pdf(city):
    task = city.finance_task
    office = client_for(city.mayors_office)
    response = post(office, task, body="6월 실적의 근거 자료를 올려 주세요.")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/tasks/{task.pk}/discussion/#discussion")
    question = Comment.objects.get()

    owner = client_for(city.finance_staff)
    response = post(owner, task, body="고용부 공시 자료입니다.", answers=question.pk, file=pdf())
    assert response.status_code == 302
    answer = Comment.objects.get(answers=question)
    attachment = Attachment.objects.get()
    assert attachment.comment == answer
    assert attachment.name == "evidence.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF)

    # The task page holds the thread's place, filled when the reader reaches it; the
    # thread is read on its own page too (without JavaScript, the place links there).
    task_page = office.get(reverse("plans:task_detail", args=[task.pk])).content.decode()
    assert f'href="{reverse("discussion:thread", args=[task.pk])}"' in task_page
    page = office.get(reverse("discussion:thread", args=[task.pk])).content.decode()
    assert "6월 실적의 근거 자료를 올려 주세요." in page
    assert "고용부 공시 자료입니다." in page
    assert reverse("discussion:file", args=[attachment.pk]) in page

    download = office.get(reverse("discussion:file", args=[attachment.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert "evidence.pdf" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF


def test_htmx_answers_with_the_thread_fragment(city):
    office = client_for(city.mayors_office)
    response = office.post(
        reverse("discussion:comment", args=[city.finance_task.pk]),
        {"body": "진행 상황을 알려 주세요."},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="discussion"')
    assert "진행 상황을 알려 주세요." in html
    assert "<html" not in html


def test_a_refused_comment_keeps_what_was_typed(city):
    office = client_for(city.mayors_office)
    upload = pdf("script.pdf", b"<html><script>alert(1)</script></html>")
    response = post(office, city.finance_task, body="근거를 첨부합니다", file=upload)
    assert response.status_code == 200
    html = response.content.decode()
    assert "근거를 첨부합니다" in html
    assert "파일 내용이 .pdf 파일이 아닙니다" in html or "not a .pdf file" in html
    assert not Comment.objects.exists()


def test_a_mention_notifies_the_person_once(city):
    city.economy_head.email = "head@busan.example"
    city.economy_head.save()
    office = client_for(city.mayors_office)
    post(office, city.finance_task, body="@economy_head 확인 부탁드립니다.")
    comment = Comment.objects.get()
    assert list(Mention.objects.values_list("person", flat=True)) == [city.economy_head.pk]
    row = ReminderLog.objects.get()
    assert (row.subject_type, row.subject_id, row.kind) == ("comment", comment.pk, "mention")

    deliver_pending()
    deliver_pending()  # a second run sends nothing more
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["head@busan.example"]
    assert "확인 부탁드립니다." in message.body
    assert f"/tasks/{city.finance_task.pk}/#discussion" in message.body


def test_the_picker_notifies_too_and_nobody_outside_the_thread_is_offered(city):
    office = client_for(city.mayors_office)
    page = office.get(reverse("discussion:thread", args=[city.finance_task.pk])).content.decode()
    assert f'value="{city.finance_staff.pk}"' in page
    assert f'value="{city.welfare_head.pk}"' not in page  # another bureau's head
    post(office, city.finance_task, body="확인 바랍니다.", mention=[city.finance_staff.pk])
    assert Mention.objects.get().person == city.finance_staff
    refused = post(office, city.finance_task, body="확인 바랍니다.", mention=[city.welfare_head.pk])
    assert refused.status_code == 200
    assert Comment.objects.count() == 1


def test_a_withdrawn_comment_and_its_file_stay_on_record(city):
    task = city.finance_task
    owner = client_for(city.finance_staff)
    post(owner, task, body="잘못 올린 자료", file=pdf())
    comment = Comment.objects.get()
    attachment = Attachment.objects.get()

    # Only the author withdraws.
    office = client_for(city.mayors_office)
    url = reverse("discussion:withdraw_comment", args=[task.pk, comment.pk])
    assert office.post(url).status_code == 403
    assert owner.post(url, {"reason": "다른 파일"}).status_code == 302

    comment.refresh_from_db()
    attachment.refresh_from_db()
    assert comment.is_withdrawn and comment.withdrawn_by == city.finance_staff
    assert comment.withdrawal_reason == "다른 파일"
    assert attachment.is_withdrawn
    page = office.get(reverse("discussion:thread", args=[task.pk])).content.decode()
    assert "잘못 올린 자료" in page  # on record, shown as withdrawn
    assert "철회" in page
    assert office.get(reverse("discussion:file", args=[attachment.pk])).status_code == 404
    # A second withdrawal changes nothing; nothing can be deleted.
    assert owner.post(url).status_code == 403
    with pytest.raises(OnRecord):
        comment.delete()
    with pytest.raises(OnRecord):
        attachment.delete()


def test_a_file_alone_can_be_withdrawn(city):
    task = city.finance_task
    owner = client_for(city.finance_staff)
    post(owner, task, body="근거", file=pdf())
    attachment = Attachment.objects.get()
    url = reverse("discussion:withdraw_file", args=[task.pk, attachment.pk])
    assert client_for(city.mayors_office).post(url).status_code == 403
    assert owner.post(url).status_code == 302
    attachment.refresh_from_db()
    assert attachment.is_withdrawn
    assert not Comment.objects.get().is_withdrawn


def test_a_file_is_evidence_for_a_figure(city, jobs_indicator):
    jobs_indicator.task = city.finance_task
    jobs_indicator.save()
    figure = jobs_indicator.measurements.first()
    owner = client_for(city.finance_staff)
    target = f"figure:{figure.pk}"
    response = post(owner, city.finance_task, body="6월 실적 근거", file=pdf(), evidence_for=target)
    assert response.status_code == 302
    assert Attachment.objects.get().measurement == figure
    page = owner.get(reverse("discussion:thread", args=[city.finance_task.pk])).content.decode()
    assert "기준 실적의 증빙" in page


def test_the_thread_is_read_in_a_fixed_number_of_queries(city, django_assert_max_num_queries):
    owner = client_for(city.finance_staff)
    url = reverse("discussion:thread", args=[city.finance_task.pk])

    def queries_for_page():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert owner.get(url).status_code == 200
        return len(captured)

    post(owner, city.finance_task, body="첫 번째", file=pdf())
    few = queries_for_page()
    for n in range(6):
        post(owner, city.finance_task, body=f"의견 {n} @mayors_office", file=pdf(f"e{n}.pdf"))
    assert queries_for_page() == few
