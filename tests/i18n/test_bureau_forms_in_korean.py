"""A bureau's refused input says why in Korean, next to the field, and a screen reader
hears it with the field (aria-describedby), with everything typed kept."""

import re

from django.conf import settings
from django.urls import reverse

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_a_refused_inline_update_says_why_in_korean_tied_to_the_field(client, city):
    task = city.finance_task
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    client.force_login(city.economy_head)
    response = client.post(
        reverse("plans:task_update", args=[task.pk]),
        {"version": task.version, "status": "on_track", "progress": "150", "note": "공정 지연"},
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    field = re.search(rf'<input[^>]*id="task-{task.pk}-progress"[^>]*>', body).group(0)
    assert 'aria-invalid="true"' in field
    assert f"task-{task.pk}-progress_error" in field  # aria-describedby names the message
    error = re.search(rf'<ul class="errorlist" id="task-{task.pk}-progress_error">(.*?)</ul>', body)
    assert error and "100" in error.group(1) and re.search("[가-힣]", error.group(1))
    assert 'value="150"' in field and 'value="공정 지연"' in body  # nothing typed is lost
    assert f'<label for="task-{task.pk}-progress"' in body


def test_a_refused_deadline_change_says_why_in_korean_tied_to_the_field(client, city):
    task = city.finance_task
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    client.force_login(city.finance_staff)
    response = client.post(
        reverse("plans:task_deadline", args=[task.pk]),
        {"version": task.version, "target": "0", "new_due_date": "2023-01-31", "reason": "지연"},
        **HTMX,
    )
    body = response.content.decode()
    field = re.search(r'<input[^>]*name="new_due_date"[^>]*>', body).group(0)
    assert 'aria-invalid="true"' in field and "new_due_date_error" in field
    assert "기한은 시작일보다 앞설 수 없습니다." in body
    assert "지연</textarea>" in body  # nothing typed is lost


def test_a_withdrawal_without_a_reason_and_a_stale_decision_say_why_in_korean(client, city):
    from plans import deadlines

    task = city.finance_task
    change = deadlines.request_deadline_change(
        task,
        by=city.finance_staff,
        expected_version=task.version,
        new_due_date=task.due_date.replace(day=20),
        reason="현장 여건",
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    client.force_login(city.finance_staff)
    withdraw = reverse("plans:deadline_withdraw", args=[task.pk, change.pk])
    body = client.post(withdraw, {"reason": " "}, **HTMX).content.decode()
    assert "요청을 철회하는 사유를 적어 주세요." in body
    body = client.post(withdraw, {"reason": "일정 재확인"}, **HTMX).content.decode()
    assert "철회됨" in body and "일정 재확인" in body

    client.force_login(city.economy_head)
    decide = reverse("plans:deadline_decide", args=[task.pk, change.pk])
    body = client.post(decide, {"decision": "approve"}, **HTMX).content.decode()
    assert "님이 이 기한 변경 요청을 철회했습니다" in body
