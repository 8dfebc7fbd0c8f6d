"""A mention waits in the mentioned person's queue (the "answer" group) until they answer,
from the queue in place or on the task page."""

import pytest
from django.urls import reverse

from discussion import services
from discussion.models import Comment
from tests.conftest import client_for

HTMX = {"headers": {"HX-Request": "true"}}


@pytest.fixture
def question(city):
    return services.post_comment(
        task=city.finance_task,
        by=city.mayors_office,
        body="6월 실적 근거를 알려 주세요. @finance_staff",
    )


def act_url(pk, action="answer"):
    return reverse("inbox:act", args=["mentions", pk, action])


def test_a_mention_waits_in_the_queue_and_is_answered_in_place(city, question):
    staff = client_for(city.finance_staff)
    page = staff.get(reverse("inbox:queue")).content.decode()
    assert "6월 실적 근거를 알려 주세요." in page
    assert "답변할 언급" in page
    mention = question.mentions.get()

    refused = staff.post(act_url(mention.pk), {"note": "  "}, **HTMX)
    assert refused.status_code == 200
    assert "내용을 입력해 주세요." in refused.content.decode()

    done = staff.post(act_url(mention.pk), {"note": "공시 자료를 올렸습니다."}, **HTMX)
    assert done.status_code == 200
    assert "답변을 등록했습니다" in done.content.decode()
    answer = Comment.objects.get(author=city.finance_staff)
    assert answer.answers == question and answer.body == "공시 자료를 올렸습니다."
    assert "6월 실적 근거를 알려 주세요." not in staff.get(reverse("inbox:queue")).content.decode()


def test_an_answer_on_the_task_page_clears_it_too_and_a_withdrawn_comment_waits_for_nobody(
    city, question
):
    staff = client_for(city.finance_staff)
    staff.post(
        reverse("discussion:comment", args=[city.finance_task.pk]),
        {"body": "확인했습니다.", "answers": question.pk},
    )
    assert "6월 실적 근거" not in staff.get(reverse("inbox:queue")).content.decode()
    again = services.post_comment(
        task=city.finance_task, by=city.mayors_office, body="하나 더 @finance_staff"
    )
    assert "하나 더" in staff.get(reverse("inbox:queue")).content.decode()
    services.withdraw_comment(again, by=city.mayors_office)
    assert "하나 더" not in staff.get(reverse("inbox:queue")).content.decode()


@pytest.mark.parametrize(
    "role", ["finance_staff", "other_staff", "economy_head", "welfare_head", "mayors_office"]
)
def test_only_the_mentioned_person_answers_their_mention(city, question, role):
    mention = question.mentions.get()
    response = client_for(getattr(city, role)).post(act_url(mention.pk), {"note": "답"}, **HTMX)
    assert response.status_code == (200 if role == "finance_staff" else 404)
    assert Comment.objects.filter(answers=question).exists() == (role == "finance_staff")
