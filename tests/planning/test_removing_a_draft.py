"""A bureau removes a draft key task from its submission while it still drafts it
(drafting, or returned by the mayor's office), never once it is submitted or accepted.
The button is on the draft's row and asks first: on a page of its own without
JavaScript, in the row with HTMX. The draft is kept, marked removed, and named in the
submission's record with who and when; it is left out of the submission, its
submitting, the session's briefing pack and the plan's adoption."""

import datetime as dt

import pytest
from django.urls import reverse

from planning import selectors, services
from planning.models import DraftTask, Submission, SubmissionEvent
from plans.models import KeyTask
from tests.conftest import client_for
from tests.factories import AgendaItemFactory, ReportSessionFactory
from tests.planning.conftest import draft_for

HTMX = {"HTTP_HX_REQUEST": "true"}
# The service's refusal of a submitted submission, as the bureau reads it.
SUBMITTED = "이 제출은 \u2018제출됨\u2019 상태라 더 이상 고칠 수 없습니다."
ROLES = ("finance_staff", "other_staff", "welfare_head", "mayors_office")


@pytest.fixture
def two_drafts(city, next_year):
    """The economy office drafts two key tasks for 2025."""
    submission, keep = draft_for(city, next_year, title="부산형 창업 지원")
    submission, drop = draft_for(city, next_year, title="폐지할 시범사업")
    return submission, keep, drop


def remove_url(draft, code="economy"):
    return reverse("planning:draft_withdraw", args=[2025, code, draft.pk])


def page_of(client, code="economy"):
    return client.get(reverse("planning:submission", args=[2025, code]))


def test_a_head_removes_a_draft_without_javascript_after_confirming(city, two_drafts):
    submission, keep, drop = two_drafts
    head = client_for(city.economy_head)
    row = page_of(head).content.decode()
    assert f'href="{remove_url(drop)}"' in row

    asked = head.get(remove_url(drop))
    body = asked.content.decode()
    assert asked.status_code == 200 and "<html" in body
    assert "“폐지할 시범사업”을(를) 제출안에서 제외할까요?" in body
    assert f'action="{remove_url(drop)}"' in body
    assert not DraftTask.objects.get(pk=drop.pk).is_withdrawn  # asking changes nothing

    response = head.post(remove_url(drop), follow=True)
    assert response.redirect_chain[-1][0] == reverse("planning:submission", args=[2025, "economy"])
    body = response.content.decode()
    assert "“폐지할 시범사업”을(를) 제출안에서 제외했습니다." in body
    assert f'id="draft-{drop.pk}"' not in body and f'id="draft-{keep.pk}"' in body

    removed = DraftTask.objects.get(pk=drop.pk)
    assert removed.is_withdrawn and removed.withdrawn_by == city.economy_head
    event = submission.events.get(kind=SubmissionEvent.Kind.WITHDRAWN)
    assert (event.by, event.draft, event.comment) == (city.economy_head, removed, "폐지할 시범사업")
    assert abs(event.at - removed.withdrawn_at) < dt.timedelta(seconds=1)
    # The record names it, in the reader's words.
    assert (
        "핵심과제 초안 제외" in body and "폐지할 시범사업" in body.split('id="record-heading"')[1]
    )
    assert Submission.objects.get(pk=submission.pk).version == submission.version + 1


def test_with_htmx_the_question_is_asked_in_the_row_and_the_answer_is_the_page_body(
    city, two_drafts
):
    submission, keep, drop = two_drafts
    head = client_for(city.economy_head)
    row = page_of(head).content.decode()
    assert f'hx-get="{remove_url(drop)}" hx-target="#draft-{drop.pk}-actions"' in row

    asked = head.get(remove_url(drop), **HTMX).content.decode()
    assert "<html" not in asked and f'hx-post="{remove_url(drop)}"' in asked
    assert 'hx-target="#submission-body"' in asked and "autofocus" in asked
    # Cancel puts the row's buttons back.
    cancelled = head.get(remove_url(drop) + "?cancel=1", **HTMX).content.decode()
    assert "<html" not in cancelled and f'href="{remove_url(drop)}"' in cancelled
    assert reverse("planning:draft_edit", args=[2025, "economy", drop.pk]) in cancelled

    answer = head.post(remove_url(drop), **HTMX)
    body = answer.content.decode()
    assert answer.status_code == 200 and body.startswith('\n<div id="submission-body">')
    assert "제출안에서 제외했습니다." in body
    assert f'id="draft-{drop.pk}"' not in body and f'id="draft-{keep.pk}"' in body
    # The submit button now carries the submission's new version: submitting works.
    version = Submission.objects.get(pk=submission.pk).version
    assert f'name="version" value="{version}"' in body
    head.post(
        reverse("planning:submission_move", args=[2025, "economy", "submit"]),
        {"version": version},
    )
    assert Submission.objects.get(pk=submission.pk).state == Submission.State.SUBMITTED


def test_a_delegated_staff_member_removes_a_draft_too(city, two_drafts):
    submission, _keep, drop = two_drafts
    services.delegate(by=city.economy_head, submission=submission, people=[city.other_staff])
    response = client_for(city.other_staff).post(remove_url(drop))
    assert response.status_code == 302
    assert DraftTask.objects.get(pk=drop.pk).withdrawn_by == city.other_staff


@pytest.mark.parametrize("role", ROLES)
def test_nobody_else_removes_a_bureaus_draft(city, two_drafts, role):
    _submission, _keep, drop = two_drafts
    client = client_for(getattr(city, role))
    assert client.get(remove_url(drop)).status_code == 403
    assert client.post(remove_url(drop)).status_code == 403
    assert not DraftTask.objects.get(pk=drop.pk).is_withdrawn


def test_anonymous_visitors_are_sent_to_sign_in(client, city, two_drafts):
    _submission, _keep, drop = two_drafts
    for response in (client.get(remove_url(drop)), client.post(remove_url(drop))):
        assert response.status_code == 302 and response["Location"].startswith("/accounts/")
    assert not DraftTask.objects.get(pk=drop.pk).is_withdrawn


def test_a_returned_submission_loses_a_draft_but_a_submitted_or_accepted_one_does_not(
    city, two_drafts
):
    submission, _keep, drop = two_drafts
    head = client_for(city.economy_head)
    submission = services.move_submission(
        by=city.economy_head, submission=submission, move="submit", version=submission.version
    )
    assert f'href="{remove_url(drop)}"' not in page_of(head).content.decode()
    asked = head.get(remove_url(drop)).content.decode()
    assert SUBMITTED in asked
    assert f'action="{remove_url(drop)}"' not in asked
    response = head.post(remove_url(drop), follow=True)
    assert SUBMITTED in response.content.decode()
    assert not DraftTask.objects.get(pk=drop.pk).is_withdrawn
    refused = head.post(remove_url(drop), **HTMX).content.decode()
    assert 'role="alert"' in refused and "더 이상 고칠 수 없습니다" in refused

    accepted = services.move_submission(
        by=city.mayors_office, submission=submission, move="accept", version=submission.version
    )
    head.post(remove_url(drop))
    assert not DraftTask.objects.get(pk=drop.pk).is_withdrawn

    services.move_submission(
        by=city.mayors_office,
        submission=accepted,
        move="return",
        version=accepted.version,
        comment="시범사업은 빼 주세요",
    )
    assert head.post(remove_url(drop)).status_code == 302
    assert DraftTask.objects.get(pk=drop.pk).is_withdrawn


def test_a_removed_draft_cannot_be_opened_edited_or_removed_again(city, two_drafts):
    _submission, _keep, drop = two_drafts
    head = client_for(city.economy_head)
    head.post(remove_url(drop))
    assert head.get(remove_url(drop)).status_code == 404
    assert head.post(remove_url(drop)).status_code == 404
    assert (
        head.get(reverse("planning:draft_edit", args=[2025, "economy", drop.pk])).status_code == 404
    )
    assert SubmissionEvent.objects.filter(kind=SubmissionEvent.Kind.WITHDRAWN).count() == 1


def test_another_bureaus_draft_is_not_found_under_this_bureau(city, next_year, two_drafts):
    _submission, welfare_draft = draft_for(
        city, next_year, city.welfare, by=city.welfare_head, title="돌봄"
    )
    head = client_for(city.economy_head)
    assert head.post(remove_url(welfare_draft, "economy")).status_code == 404
    assert not DraftTask.objects.get(pk=welfare_draft.pk).is_withdrawn


def test_the_only_draft_removed_leaves_nothing_to_submit(city, next_year):
    submission, draft = draft_for(city, next_year)
    head = client_for(city.economy_head)
    head.post(remove_url(draft))
    submission.refresh_from_db()
    response = head.post(
        reverse("planning:submission_move", args=[2025, "economy", "submit"]),
        {"version": submission.version},
    )
    assert "제출하기 전에 핵심과제를 하나 이상 추가하세요." in response.content.decode()
    assert Submission.objects.get(pk=submission.pk).state == Submission.State.DRAFTING


def test_a_removed_draft_is_left_out_of_the_overview_the_briefing_pack_and_adoption(
    city, next_year, two_drafts
):
    submission, _keep, drop = two_drafts
    services.withdraw_draft(by=city.economy_head, submission=submission, draft=drop)
    submission.refresh_from_db()

    (row,) = [r for r in selectors.submissions_overview(next_year).rows if r.submission]
    assert row.draft_count == 1

    starts = dt.datetime(2025, 1, 15, 1, 0, tzinfo=dt.UTC)
    session = ReportSessionFactory(
        sector=next_year.sectors.get(number=1),
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
    )
    AgendaItemFactory(session=session, order=1, bureau=city.economy)
    office = client_for(city.mayors_office)
    for name in ("meetings:session_detail", "meetings:briefing"):
        body = office.get(reverse(name, args=[session.pk])).content.decode()
        assert "부산형 창업 지원" in body and "폐지할 시범사업" not in body, name

    submission = services.move_submission(
        by=city.economy_head, submission=submission, move="submit", version=submission.version
    )
    services.move_submission(
        by=city.mayors_office, submission=submission, move="accept", version=submission.version
    )
    made = services.adopt_plan(by=city.mayors_office, plan=next_year)
    assert [task.title_ko for task in made] == ["부산형 창업 지원"]
    assert not KeyTask.objects.filter(title_ko="폐지할 시범사업").exists()
    assert DraftTask.objects.get(pk=drop.pk).adopted_as is None


def test_a_removed_carried_over_task_can_be_carried_over_again(city, next_year):
    task = city.finance_task
    (draft,) = services.carry_over(
        by=city.mayors_office, plan=next_year, tasks=[task], indicators=[]
    )
    assert task not in selectors.unfinished_tasks(city.plan)
    services.withdraw_draft(by=city.economy_head, submission=draft.submission, draft=draft)
    assert task in selectors.unfinished_tasks(city.plan)
