"""The bureaus' plan submissions in each person's queue. The mayor's office finds every
submission waiting for its decision under "approve", linking to it, and accepts it or
returns it with a comment in place; a bureau head finds their bureau's returned
submission under "update", with the mayor's office's comment and a link to revise it.
Through planning's own services and permissions; the queue costs the same number of
queries however many submissions wait."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from planning import services
from planning.models import Submission, SubmissionEvent
from tests.conftest import client_for
from tests.factories import BureauFactory, ProfileFactory, UserFactory
from tests.planning.conftest import draft_for

QUEUE = reverse("inbox:queue")
HTMX = {"HTTP_HX_REQUEST": "true"}
ROLES = ("finance_staff", "other_staff", "economy_head", "welfare_head", "mayors_office")


def act_url(kind, pk, action):
    return reverse("inbox:act", args=[kind, pk, action])


def submit(city, plan, bureau=None, *, by=None, title="부산형 창업 지원"):
    submission, _draft = draft_for(city, plan, bureau, by=by, title=title)
    return services.move_submission(
        by=by or city.economy_head,
        submission=submission,
        move="submit",
        version=submission.version,
    )


def give_back(city, submission, comment="목표를 더 도전적으로 잡아 주세요"):
    return services.move_submission(
        by=city.mayors_office,
        submission=submission,
        move="return",
        version=submission.version,
        comment=comment,
    )


@pytest.fixture
def submitted(city, next_year):
    """The economy office has submitted its 2025 plan (one draft key task)."""
    return submit(city, next_year)


def test_the_mayors_office_finds_a_submitted_plan_under_approve_and_accepts_it_in_place(
    city, submitted
):
    office = client_for(city.mayors_office)
    body = office.get(QUEUE).content.decode()
    item = body[body.index(f'id="queue-submissions-{submitted.pk}"') :]
    item = item[: item.index("</li>")]
    assert "경제정책실: 2025년 업무계획" in item and "제출 · 핵심과제 1건" in item
    assert f'href="{reverse("planning:submission", args=[2025, "economy"])}"' in item
    assert '<span class="muted small">승인</span> 결정할 실국 업무계획 제출' in body

    outcome = office.post(act_url("submissions", submitted.pk, "accept"), {"note": ""}, **HTMX)
    assert outcome.status_code == 200
    assert "경제정책실: 2025년 업무계획: 확정." in outcome.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == Submission.State.ACCEPTED
    event = submitted.events.get(kind=SubmissionEvent.Kind.ACCEPTED)
    assert event.by == city.mayors_office
    assert f'id="queue-submissions-{submitted.pk}"' not in office.get(QUEUE).content.decode()


def test_returning_needs_a_comment_said_beside_the_item(city, submitted):
    office = client_for(city.mayors_office)
    refused = office.post(act_url("submissions", submitted.pk, "return"), {"note": " "}, **HTMX)
    body = refused.content.decode()
    assert refused.status_code == 200 and 'role="alert"' in body
    assert "실국이 보완할 점을 적어 주세요." in body
    assert Submission.objects.get(pk=submitted.pk).state == Submission.State.SUBMITTED

    note = {"note": "일자리 목표를 상향해 주세요"}
    done = office.post(act_url("submissions", submitted.pk, "return"), note, **HTMX)
    assert "경제정책실: 2025년 업무계획: 보완 요청." in done.content.decode()
    event = Submission.objects.get(pk=submitted.pk).events.get(kind="returned")
    assert (event.by, event.comment) == (city.mayors_office, "일자리 목표를 상향해 주세요")


def test_without_javascript_a_decision_returns_to_the_queue_with_a_message(city, submitted):
    office = client_for(city.mayors_office)
    response = office.post(act_url("submissions", submitted.pk, "accept"), follow=True)
    assert response.redirect_chain[-1][0] == QUEUE
    assert "경제정책실: 2025년 업무계획: 확정." in response.content.decode()


def test_the_bureau_head_finds_the_returned_submission_under_update_with_the_comment(
    city, submitted
):
    returned = give_back(city, submitted)
    head = client_for(city.economy_head)
    body = head.get(QUEUE).content.decode()
    item = body[body.index(f'id="queue-returned-submissions-{returned.pk}"') :]
    item = item[: item.index("</li>")]
    assert "경제정책실: 2025년 업무계획" in item
    assert "보완 요청: 초안을 고쳐 다시 제출하세요." in item
    assert "목표를 더 도전적으로 잡아 주세요" in item
    assert f'href="{reverse("planning:submission", args=[2025, "economy"])}"' in item
    assert "<form" not in item  # revising happens on the submission's page
    assert '<span class="muted small">현황 입력</span> 보완 요청된 업무계획 제출' in body
    count = head.get(reverse("inbox:count")).content.decode()
    assert '<span aria-hidden="true">1</span>' in count  # it is the one thing waiting

    # Nobody else's queue holds it; the mayor's office no longer has it to decide.
    for role in ("finance_staff", "other_staff", "welfare_head", "mayors_office"):
        queue = client_for(getattr(city, role)).get(QUEUE).content.decode()
        assert f"queue-returned-submissions-{returned.pk}" not in queue, role
        assert f"queue-submissions-{returned.pk}" not in queue, role

    # Resubmitted, it leaves the head's queue and waits for the mayor's office again.
    services.move_submission(
        by=city.economy_head, submission=returned, move="submit", version=returned.version
    )
    assert f"queue-returned-submissions-{returned.pk}" not in head.get(QUEUE).content.decode()
    office = client_for(city.mayors_office).get(QUEUE).content.decode()
    assert f'id="queue-submissions-{returned.pk}"' in office


@pytest.mark.parametrize("role", ROLES)
def test_only_the_mayors_office_decides_from_the_queue(city, submitted, role):
    client = client_for(getattr(city, role))
    response = client.post(act_url("submissions", submitted.pk, "accept"), **HTMX)
    if role == "mayors_office":
        assert response.status_code == 200
    else:
        assert response.status_code in (403, 404)
        assert Submission.objects.get(pk=submitted.pk).state == Submission.State.SUBMITTED


@pytest.mark.parametrize("role", ROLES)
def test_a_returned_submission_takes_no_action_from_the_queue(city, submitted, role):
    returned = give_back(city, submitted)
    client = client_for(getattr(city, role))
    for action in ("accept", "submit", "return"):
        response = client.post(act_url("returned-submissions", returned.pk, action), **HTMX)
        assert response.status_code in (403, 404), (role, action)
    assert Submission.objects.get(pk=returned.pk).state == Submission.State.RETURNED


def test_a_decided_or_unknown_submission_is_not_found(city, submitted):
    office = client_for(city.mayors_office)
    office.post(act_url("submissions", submitted.pk, "accept"), **HTMX)
    assert office.post(act_url("submissions", submitted.pk, "accept"), **HTMX).status_code == 404
    assert office.post(act_url("submissions", 999999, "accept"), **HTMX).status_code == 404
    assert office.post(act_url("submissions", submitted.pk, "explode"), **HTMX).status_code in (
        403,
        404,
    )


def test_a_plan_no_longer_in_preparation_waits_for_nobody(city, next_year, submitted):
    other = submit(city, next_year, city.welfare, by=city.welfare_head, title="돌봄")
    give_back(city, other)
    services.adopt_plan(by=city.mayors_office, plan=next_year)
    office = client_for(city.mayors_office).get(QUEUE).content.decode()
    assert f"queue-submissions-{submitted.pk}" not in office
    welfare = client_for(city.welfare_head).get(QUEUE).content.decode()
    assert f"queue-returned-submissions-{other.pk}" not in welfare


def more_bureaus(city, n, name):
    """``n`` departments under the economy office, each with a head of its own."""
    bureaus = []
    for number in range(n):
        head = UserFactory(username=f"{name}_head_{number}")
        bureau = BureauFactory(parent=city.economy, kind="department", head=head)
        ProfileFactory(user=head, bureau=bureau)
        bureaus.append(bureau)
    return bureaus


def queries(client) -> int:
    client.get(QUEUE)
    with CaptureQueriesContext(connection) as captured:
        client.get(QUEUE)
    return len(captured)


def test_the_queue_costs_the_same_for_more_submissions(city, next_year, submitted):
    office, head = client_for(city.mayors_office), client_for(city.economy_head)
    give_back(city, submit(city, next_year, city.finance, title="금융"))
    few = queries(office), queries(head)
    for bureau in more_bureaus(city, 6, "returned"):
        give_back(city, submit(city, next_year, bureau, title=f"{bureau.name_ko} 과제"))
    for bureau in more_bureaus(city, 3, "waiting"):
        submit(city, next_year, bureau)  # waiting for the mayor's office
    many = queries(office), queries(head)
    assert many == few
    body = office.get(QUEUE).content.decode()
    assert body.count('<li id="queue-submissions-') == 4  # economy's and the 3 new
    body = head.get(QUEUE).content.decode()
    assert body.count('<li id="queue-returned-submissions-') == 7  # finance's and the 6 new
