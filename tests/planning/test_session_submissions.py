"""A report session of next year's plan (in preparation): its page and its briefing
pack show each presenting bureau's submission (key tasks, roadmap, indicator targets);
once the plan is adopted the pack shows tracked progress and no drafts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import ReportSession
from planning import services
from planning.models import Submission
from tests import pdf
from tests.conftest import client_for
from tests.factories import AgendaItemFactory, BureauFactory, ReportSessionFactory, UserFactory

from .conftest import draft_for

pytestmark = pytest.mark.django_db


def session_of(plan, *bureaus):
    """A January session of the plan's first sector with the bureaus presenting in turn."""
    starts = dt.datetime(plan.year, 1, 15, 1, 0, tzinfo=dt.UTC)
    session = ReportSessionFactory(
        sector=plan.sectors.get(number=1), starts_at=starts, ends_at=starts + dt.timedelta(hours=3)
    )
    for order, bureau in enumerate(bureaus, start=1):
        AgendaItemFactory(session=session, order=order, bureau=bureau)
    return session


def submit(submission, by):
    return services.move_submission(
        by=by, submission=submission, move="submit", version=submission.version
    )


@pytest.fixture
def preparing(city, next_year):
    """Economy submitted its plan and presents; welfare drafted but does not present;
    finance presents without having started."""
    economy, _draft = draft_for(city, next_year)
    economy = submit(economy, city.economy_head)
    draft_for(city, next_year, city.welfare, by=city.welfare_head, title="돌봄 안전망 확대")
    session = session_of(next_year, city.economy, city.finance)
    return session, economy


def pages(client, session):
    return [
        client.get(reverse("meetings:session_detail", args=[session.pk])),
        client.get(reverse("meetings:briefing", args=[session.pk])),
    ]


def test_a_session_of_next_years_plan_is_scheduled_from_that_years_session_list(
    city, next_year, office_client
):
    listing = office_client.get(reverse("meetings:session_list") + "?year=2025")
    create = reverse("meetings:session_create") + "?year=2025"
    assert f'href="{create}"' in listing.content.decode()
    form = office_client.get(create).context["form"]
    assert list(form.fields["sector"].queryset) == list(next_year.sectors.order_by("number"))
    sector = next_year.sectors.get(number=1)
    data = {"sector": sector.pk, "day": "2025-01-15", "starts": "10:00", "ends": "12:00"}
    response = office_client.post(create, {**data, "venue_ko": "부산시청 대회의실"})
    assert response.status_code == 302, response.context["form"].errors
    assert ReportSession.objects.get().sector == sector
    # Without a year the form is the current plan's, whose sectors are the 2024 plan's.
    response = office_client.post(reverse("meetings:session_create"), data)
    assert response.context["form"].errors["sector"]
    assert list(response.context["form"].fields["sector"].queryset) == city.sectors


def test_the_session_page_and_pack_show_the_presenting_bureaus_submissions(
    city, preparing, office_client
):
    session, _economy = preparing
    for response in pages(office_client, session):
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="submissions"' in html
        # The economy bureau's draft key task, its roadmap and its indicator target.
        assert "부산형 창업 지원" in html
        assert "공모" in html
        assert "창업 기업" in html and "150" in html
        assert 'data-state="submitted"' in html
        # Finance presents but has not started; welfare does not present at all.
        assert 'data-bureau="finance"' in html and 'data-state="not_started"' in html
        assert "돌봄 안전망 확대" not in html
        assert 'data-bureau="welfare"' not in html
        # Korean first.
        assert "발표 실국의 업무계획 제출안" in html


def test_a_reader_who_may_not_read_a_submission_sees_only_its_state(city, preparing):
    session, _economy = preparing
    for response in pages(client_for(city.welfare_head), session):
        html = response.content.decode()
        assert 'data-bureau="economy"' in html and 'data-state="submitted"' in html
        assert "부산형 창업 지원" not in html
    # The economy head reads their own bureau's drafts.
    for response in pages(client_for(city.economy_head), session):
        assert "부산형 창업 지원" in response.content.decode()


def test_a_changed_draft_shows_in_the_pack_at_once(city, preparing, office_client):
    session, economy = preparing
    url = reverse("meetings:briefing", args=[session.pk])
    assert "부산형 창업 지원" in office_client.get(url).content.decode()
    services.move_submission(
        by=city.mayors_office,
        submission=economy,
        move="return",
        version=economy.version,
        comment="목표를 더 높게",
    )
    economy.refresh_from_db()
    draft_for(city, session.sector.plan, title="해양 스타트업 육성")
    html = office_client.get(url).content.decode()
    assert "해양 스타트업 육성" in html and 'data-state="returned"' in html


def test_an_adopted_plans_pack_shows_tracked_progress_and_no_drafts(city, preparing, office_client):
    session, economy = preparing
    services.move_submission(
        by=city.mayors_office, submission=economy, move="accept", version=economy.version
    )
    services.adopt_plan(by=city.mayors_office, plan=session.sector.plan)
    for response in pages(office_client, session):
        html = response.content.decode()
        assert 'id="submissions"' not in html
        assert "공모" not in html or 'class="draft-task"' not in html
    pack = office_client.get(reverse("meetings:briefing", args=[session.pk])).content.decode()
    # The accepted draft is now a tracked key task in the pack's live tasks.
    assert "부산형 창업 지원" in pack and 'id="tasks-heading"' in pack


def presenting(city, plan, count):
    bureaus = []
    for n in range(count):
        head = UserFactory(username=f"head-{count}-{n}")
        bureau = BureauFactory(code=f"b{count}-{n}", head=head)
        draft_for(city, plan, bureau, by=head, title=f"과제 {n}")
        draft_for(city, plan, bureau, by=head, title=f"둘째 과제 {n}")
        bureaus.append(bureau)
    return session_of(plan, *bureaus)


@pytest.mark.parametrize("name", ["meetings:session_detail", "meetings:briefing"])
def test_queries_do_not_grow_with_the_presenting_bureaus(city, next_year, office_client, name):
    counts = []
    for count in (2, 6):
        session = presenting(city, next_year, count)
        url = reverse(name, args=[session.pk])
        office_client.get(url)  # the cached pack and the session's first reads
        with CaptureQueriesContext(connection) as queries:
            response = office_client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count('class="card submission-presented"') == count
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert Submission.objects.filter(plan=next_year).count() == 8


@pytest.mark.once
def test_the_pdf_pack_shows_the_submissions_and_follows_a_changed_draft(
    city, preparing, office_client, tmp_path
):
    session, economy = preparing
    url = reverse("meetings:briefing_pdf", args=[session.pk])

    def text():
        response = office_client.get(url)
        assert response.status_code == 200
        path = tmp_path / "pack.pdf"
        path.write_bytes(response.content)
        return " ".join(" ".join(pdf.pages_text(path)).split())

    first = text()
    assert "발표 실국의 업무계획 제출안" in first and "부산형 창업 지원" in first
    services.move_submission(
        by=city.mayors_office,
        submission=economy,
        move="return",
        version=economy.version,
        comment="목표를 더 높게",
    )
    draft_for(city, session.sector.plan, title="해양 스타트업 육성")
    # Not the cached document of before: the new draft is in it.
    assert "해양 스타트업 육성" in text()
