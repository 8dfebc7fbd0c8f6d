"""The year as the city runs it, through the services: next year's plan opened from
this one, unfinished tasks carried over, a bureau's submission drafted, returned,
resubmitted and accepted, the plan adopted and its tasks tracked; the year closed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from planning import selectors, services
from planning.models import StageChange, Submission, SubmissionEvent
from plans import selectors as plan_selectors
from plans.history import recent_history
from plans.models import KeyTask, StatusUpdate, WorkPlan
from tests.factories import IndicatorFactory, KeyTaskFactory, MilestoneFactory
from tests.planning.conftest import draft_for

State = Submission.State


def test_next_years_plan_is_opened_in_preparation_with_the_five_sectors_copied(city, next_year):
    assert next_year.year == 2025
    assert next_year.stage == WorkPlan.Stage.PREPARATION
    assert [s.name_en for s in next_year.sectors.all()] == [s.name_en for s in city.sectors]
    assert next_year.preparation.previous == city.plan
    assert next_year.goals.get().text_ko == "다시 태어나도 살고 싶은 시민행복도시"


def test_a_year_that_already_has_a_plan_is_refused_with_a_message(city, next_year):
    with pytest.raises(ValidationError) as refused:
        services.open_next_year(
            by=city.mayors_office,
            previous=city.plan,
            year=2025,
            deadline=dt.date.today() + dt.timedelta(days=3),
            core_goal_ko="x",
        )
    assert "year" in refused.value.message_dict


def test_the_current_plan_is_the_adopted_one_until_next_year_is_adopted(city, next_year):
    assert plan_selectors.current_plan() == city.plan
    assert plan_selectors.current_plan("2025") == next_year
    services.adopt_plan(by=city.mayors_office, plan=next_year)
    assert plan_selectors.current_plan() == next_year


def test_codes_are_unique_within_a_plan_not_across_years(city, next_year):
    KeyTaskFactory(sector=next_year.sectors.get(number=1), bureau=city.finance, code="1-01")
    assert KeyTask.objects.filter(code="1-01").count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        KeyTaskFactory(sector=next_year.sectors.get(number=2), bureau=city.finance, code="1-01")


def test_unfinished_tasks_carry_over_with_their_predecessor_and_history_on_both_sides(
    city, next_year, office_client
):
    task = city.finance_task
    MilestoneFactory(task=task, title_ko="남은 단계", due_date=dt.date(2024, 11, 30))
    indicator = IndicatorFactory(plan=city.plan, sector=task.sector, task=task, code="K-9")
    assert task in selectors.unfinished_tasks(city.plan)

    (draft,) = services.carry_over(
        by=city.mayors_office, plan=next_year, tasks=[task], indicators=[indicator]
    )

    assert draft.predecessor == task
    assert draft.submission.bureau == task.bureau
    assert draft.sector.plan == next_year and draft.sector.number == task.sector.number
    assert [m.title_ko for m in draft.milestones.all()] == ["남은 단계"]
    assert draft.indicators.get().predecessor == indicator
    carried = task.history.get(kind=StatusUpdate.Kind.CARRIED_OVER)
    assert (carried.new_value, carried.changed_by) == ("2025", city.mayors_office)
    (entry,) = [e for e in recent_history(task) if e.version == carried.version]
    assert [line.label for line in entry.lines] == ["2025년 업무계획으로 이월"]
    assert draft.submission.events.filter(kind=SubmissionEvent.Kind.CARRIED_OVER).exists()
    assert task not in selectors.unfinished_tasks(city.plan)  # not carried twice

    draft.submission.state = State.ACCEPTED
    draft.submission.save()
    (adopted,) = services.adopt_plan(by=city.mayors_office, plan=next_year)
    assert adopted.predecessor == task
    created = adopted.history.get(kind=StatusUpdate.Kind.CREATED)
    assert created.new_value == StatusUpdate.Origin.CARRIED_OVER
    assert adopted.indicators.get().predecessor == indicator
    # Its page says where it came from, and links there.
    page = office_client.get(reverse("plans:task_detail", args=[adopted.pk])).content.decode()
    came_from = reverse("plans:task_detail", args=[task.pk])
    assert f'<a href="{came_from}">2024년 업무계획 {task.code}</a>' in page


def test_a_submission_is_submitted_returned_resubmitted_accepted_and_adopted(city, next_year):
    submission, draft = draft_for(city, next_year, owner=city.finance_staff)
    assert submission.state == State.DRAFTING

    submission = services.move_submission(
        by=city.economy_head, submission=submission, move="submit", version=submission.version
    )
    assert submission.state == State.SUBMITTED
    with pytest.raises(ValidationError):  # returning needs a comment
        services.move_submission(
            by=city.mayors_office, submission=submission, move="return", version=submission.version
        )
    submission = services.move_submission(
        by=city.mayors_office,
        submission=submission,
        move="return",
        version=submission.version,
        comment="목표를 더 도전적으로",
    )
    assert submission.state == State.RETURNED
    draft.title_ko = "부산형 창업 지원 확대"
    services.save_draft_task(by=city.economy_head, submission=submission, draft=draft)
    submission.refresh_from_db()
    submission = services.move_submission(
        by=city.economy_head, submission=submission, move="submit", version=submission.version
    )
    submission = services.move_submission(
        by=city.mayors_office, submission=submission, move="accept", version=submission.version
    )
    assert submission.state == State.ACCEPTED
    events = list(submission.events.order_by("at", "id").values_list("kind", "by__username"))
    assert events == [
        ("started", "economy_head"),
        ("submitted", "economy_head"),
        ("returned", "mayors_office"),
        ("submitted", "economy_head"),
        ("accepted", "mayors_office"),
    ]
    assert submission.events.get(kind="returned").comment == "목표를 더 도전적으로"

    (task,) = services.adopt_plan(by=city.mayors_office, plan=next_year)
    next_year.refresh_from_db()
    assert next_year.stage == WorkPlan.Stage.ADOPTED
    assert (task.plan, task.code, task.bureau, task.owner) == (
        next_year,
        "1-01",
        city.economy,
        city.finance_staff,
    )
    assert task.title_ko == "부산형 창업 지원 확대"
    assert [m.title_ko for m in task.milestones.all()] == ["공모"]
    assert task.indicators.get().target == 150
    assert StageChange.objects.get(plan=next_year).by == city.mayors_office
    assert task in KeyTask.objects.tracked()


def test_an_accepted_submission_cannot_be_changed_and_a_stale_decision_is_refused(city, next_year):
    submission, draft = draft_for(city, next_year)
    seen = submission.version
    services.move_submission(
        by=city.economy_head, submission=submission, move="submit", version=seen
    )
    with pytest.raises(services.SubmissionConflict):
        services.move_submission(
            by=city.mayors_office, submission=submission, move="accept", version=seen
        )
    submission.refresh_from_db()
    services.move_submission(
        by=city.mayors_office, submission=submission, move="accept", version=submission.version
    )
    submission.refresh_from_db()
    with pytest.raises(ValidationError):
        services.save_draft_task(by=city.economy_head, submission=submission, draft=draft)


def test_an_empty_submission_cannot_be_submitted(city, next_year):
    submission = services.start_drafting(by=city.welfare_head, plan=next_year, bureau=city.welfare)
    with pytest.raises(ValidationError):
        services.move_submission(
            by=city.welfare_head, submission=submission, move="submit", version=submission.version
        )


def test_a_closed_plan_reminds_nobody_and_leaves_my_tasks(city, next_year):
    services.adopt_plan(by=city.mayors_office, plan=next_year)
    services.close_plan(by=city.mayors_office, plan=city.plan)
    city.plan.refresh_from_db()
    assert city.plan.stage == WorkPlan.Stage.CLOSED
    assert not KeyTask.objects.tracked().filter(plan=city.plan).exists()
    with pytest.raises(ValidationError):
        services.close_plan(by=city.mayors_office, plan=city.plan)


def test_the_overview_shows_every_bureau_with_a_head_and_its_state(
    city, next_year, django_assert_num_queries
):
    draft_for(city, next_year)
    with django_assert_num_queries(2):
        overview = selectors.submissions_overview(next_year)
    assert [(row.bureau.code, row.state) for row in overview.rows] == [
        ("economy", "drafting"),
        ("welfare", "not_started"),
    ]
    assert overview.counts["drafting"] == 1 and overview.counts["not_started"] == 1


def test_submission_for_reads_drafts_milestones_and_indicators_in_fixed_queries(
    city, next_year, django_assert_num_queries
):
    for n in range(3):
        draft_for(city, next_year, title=f"과제 {n}")
    with django_assert_num_queries(5):
        submission = selectors.submission_for(city.economy, next_year)
        rows = [
            (
                d.sector.number,
                d.owner,
                [m.title_ko for m in d.milestone_list],
                len(d.indicator_list),
            )
            for d in submission.draft_tasks.all()
        ]
        events = [e.by for e in submission.events.all()]
    assert len(rows) == 3 and events
    assert [milestones for _n, _o, milestones, _i in rows] == [["공모"]] * 3
    assert [indicators for _n, _o, _m, indicators in rows] == [1] * 3


def test_a_bureaus_submission_page_shows_each_drafts_roadmap_and_indicators(
    client, city, next_year
):
    draft_for(city, next_year, title="부산형 창업 지원")
    client.force_login(city.mayors_office)
    page = client.get(f"/plans/{next_year.year}/bureaus/{city.economy.code}/").content.decode()
    assert "공모" in page
    assert "창업 기업: 100개 → 150개" in page
