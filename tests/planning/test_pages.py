"""Next year's plan in the browser's terms: every URL against every role, the forms'
answers to good and bad input, and the pages' query counts."""

import datetime as dt

import pytest
from django.urls import reverse

from planning import services
from planning.models import DraftTask, Submission
from plans.models import KeyTask, WorkPlan
from tests.planning.conftest import draft_for

ROLES = (
    "anonymous",
    "finance_staff",
    "other_staff",
    "economy_head",
    "welfare_head",
    "mayors_office",
)


@pytest.fixture
def submitted(city, next_year):
    """The economy office has drafted one key task and submitted it."""
    submission, draft = draft_for(city, next_year, owner=city.finance_staff)
    services.move_submission(
        by=city.economy_head, submission=submission, move="submit", version=submission.version
    )
    submission.refresh_from_db()
    return submission, draft


def sign_in(client, city, role):
    client.logout()
    if role != "anonymous":
        client.force_login(getattr(city, role))


def expect(only, ok=200):
    """The status each role gets: ``ok`` for the roles named, 403 for the other city
    users, a redirect to sign in for anonymous visitors."""
    return {role: ok if role in only else (302 if role == "anonymous" else 403) for role in ROLES}


def urls(city, draft):
    year, code = 2025, city.economy.code
    return {
        reverse("planning:plan_list"): expect(ROLES[1:]),
        reverse("planning:plan_new"): expect({"mayors_office"}),
        reverse("planning:carry_over", args=[year]): expect({"mayors_office"}),
        reverse("planning:submissions", args=[year]): expect({"mayors_office"}),
        reverse("planning:submission", args=[year, code]): expect(
            {"economy_head", "mayors_office"}
        ),
        reverse("planning:draft_new", args=[year, code]): expect({"economy_head"}),
        reverse("planning:draft_edit", args=[year, code, draft.pk]): expect({"economy_head"}),
        # Removing a draft asks first; nobody may once the submission is submitted, but
        # only the bureau may even ask (the service says why it refuses).
        reverse("planning:draft_withdraw", args=[year, code, draft.pk]): expect({"economy_head"}),
    }


def test_every_page_answers_each_role_as_the_rules_say(client, city, submitted):
    _submission, draft = submitted
    for url, statuses in urls(city, draft).items():
        for role, status in statuses.items():
            sign_in(client, city, role)
            assert client.get(url).status_code == status, (url, role)


@pytest.mark.parametrize(
    ("name", "args", "allowed"),
    [
        ("planning:submission_move", ["submit"], {"economy_head"}),
        ("planning:submission_move", ["return"], {"mayors_office"}),
        ("planning:submission_move", ["accept"], {"mayors_office"}),
        ("planning:delegates", [], {"economy_head"}),
    ],
)
def test_only_the_right_role_may_post_a_decision(client, city, submitted, name, args, allowed):
    submission, _draft = submitted
    url = reverse(name, args=[2025, city.economy.code, *args])
    assert client.get(url).status_code == 302  # anonymous: sign in first
    for role in ROLES[1:]:
        sign_in(client, city, role)
        if role in allowed:
            continue
        response = client.post(url, {"version": submission.version, "comment": "x"})
        assert response.status_code == 403, (url, role)
    submission.refresh_from_db()
    assert submission.state == Submission.State.SUBMITTED


@pytest.mark.parametrize("stage", ["adopt", "close"])
def test_only_the_mayors_office_adopts_or_closes_a_plan(client, city, next_year, stage):
    url = reverse("planning:plan_stage", args=[2025, stage])
    for role in ROLES[1:-1]:
        sign_in(client, city, role)
        assert client.post(url).status_code == 403, role
    sign_in(client, city, "mayors_office")
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302


def test_a_delegated_staff_member_drafts_but_does_not_submit(client, city, next_year):
    submission, _draft = draft_for(city, next_year)
    client.force_login(city.economy_head)
    client.post(
        reverse("planning:delegates", args=[2025, "economy"]), {"people": [city.other_staff.pk]}
    )
    assert list(submission.delegates.all()) == [city.other_staff]
    client.force_login(city.other_staff)
    page = client.get(reverse("planning:submission", args=[2025, "economy"]))
    assert page.status_code == 200
    assert page.context["can_draft"] and not page.context["can_submit"]
    assert client.get(reverse("planning:draft_new", args=[2025, "economy"])).status_code == 200
    move = reverse("planning:submission_move", args=[2025, "economy", "submit"])
    assert client.post(move, {"version": submission.version}).status_code == 403


def draft_data(city, plan, **changes):
    data = {
        "sector": plan.sectors.get(number=2).pk,
        "pillar_ko": "안전",
        "title_ko": "시민 안전망 강화",
        "title_en": "",
        "description_ko": "",
        "owner": city.finance_staff.pk,
        "start_date": "2025-01-01",
        "due_date": "2025-12-31",
        "milestones-TOTAL_FORMS": "2",
        "milestones-INITIAL_FORMS": "0",
        "milestones-0-title_ko": "착수",
        "milestones-0-due_date": "2025-03-31",
        "milestones-1-title_ko": "",
        "milestones-1-due_date": "",
        "indicators-TOTAL_FORMS": "1",
        "indicators-INITIAL_FORMS": "0",
        "indicators-0-name_ko": "안전 점검",
        "indicators-0-unit_ko": "건",
        "indicators-0-baseline": "100",
        "indicators-0-target": "140",
        "indicators-0-direction": "increase",
    }
    data.update(changes)
    return data


def test_a_bureau_head_drafts_a_key_task_with_its_roadmap_and_indicator(client, city, next_year):
    client.force_login(city.economy_head)
    url = reverse("planning:draft_new", args=[2025, "economy"])
    response = client.post(url, draft_data(city, next_year))
    assert response.status_code == 302
    draft = DraftTask.objects.get(title_ko="시민 안전망 강화")
    assert draft.submission.bureau == city.economy
    assert draft.submission.state == Submission.State.DRAFTING
    assert [m.title_ko for m in draft.milestones.all()] == ["착수"]
    assert draft.indicators.get().target == 140


def test_bad_input_is_refused_with_a_message_in_korean_keeping_what_was_typed(
    client, city, next_year
):
    client.force_login(city.economy_head)
    url = reverse("planning:draft_new", args=[2025, "economy"])
    data = draft_data(city, next_year, due_date="2024-12-31", **{"indicators-0-target": "100"})
    response = client.post(url, data, headers={"Accept-Language": "ko"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "기한은 시작일보다 앞설 수 없습니다." in body
    assert "목표값은 기준값과 달라야 합니다." in body
    assert "시민 안전망 강화" in body
    assert not DraftTask.objects.exists()


def test_returning_without_a_comment_is_refused_and_the_state_kept(client, city, submitted):
    submission, _draft = submitted
    client.force_login(city.mayors_office)
    url = reverse("planning:submission_move", args=[2025, "economy", "return"])
    response = client.post(url, {"version": submission.version, "comment": " "})
    assert response.status_code == 200
    assert "실국이 보완할 점을 적어 주세요." in response.content.decode()
    submission.refresh_from_db()
    assert submission.state == Submission.State.SUBMITTED


def test_a_stale_decision_is_refused_and_the_reader_told(client, city, submitted):
    submission, _draft = submitted
    client.force_login(city.mayors_office)
    url = reverse("planning:submission_move", args=[2025, "economy", "accept"])
    response = client.post(url, {"version": submission.version - 1}, follow=True)
    assert "그사이 다른 사람이 이 제출안을 바꾸었습니다" in response.content.decode()
    submission.refresh_from_db()
    assert submission.state == Submission.State.SUBMITTED


def test_the_mayors_office_opens_next_year_from_the_current_plan(client, city):
    client.force_login(city.mayors_office)
    form = client.get(reverse("planning:plan_new")).context["form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update(year=2025, deadline=(dt.date.today() + dt.timedelta(days=20)).isoformat())
    data["sector_3_theme_ko"] = "가덕신공항 조기 개항"
    response = client.post(reverse("planning:plan_new"), data)
    assert response.status_code == 302
    plan = WorkPlan.objects.get(year=2025)
    assert plan.stage == WorkPlan.Stage.PREPARATION
    assert plan.sectors.get(number=3).theme_ko == "가덕신공항 조기 개항"
    assert plan.sectors.get(number=1).name_ko == city.sectors[0].name_ko
    again = client.post(reverse("planning:plan_new"), data)
    assert again.status_code == 200
    assert "2025년 업무계획이 이미 있습니다." in again.content.decode()


def test_carried_over_tasks_appear_in_their_bureaus_submission(client, city, next_year):
    client.force_login(city.mayors_office)
    url = reverse("planning:carry_over", args=[2025])
    page = client.get(url)
    assert city.finance_task in page.context["form"].fields["tasks"].queryset
    client.post(url, {"tasks": [city.finance_task.pk]})
    draft = DraftTask.objects.get(predecessor=city.finance_task)
    assert draft.submission.bureau == city.finance
    assert city.finance_task not in client.get(url).context["form"].fields["tasks"].queryset


def test_a_carried_over_draft_names_the_task_it_carries_over_wherever_it_is_read(
    client, city, next_year
):
    client.force_login(city.mayors_office)
    client.post(reverse("planning:carry_over", args=[2025]), {"tasks": [city.finance_task.pk]})
    draft = DraftTask.objects.get(predecessor=city.finance_task)
    _submission, new = draft_for(city, next_year, city.finance, title="새 과제")
    carried = f"{city.finance_task.code}에서 이월"
    client.force_login(city.economy_head)
    pages = {
        "submission": reverse("planning:submission", args=[2025, city.finance.code]),
        "withdraw": reverse("planning:draft_withdraw", args=[2025, city.finance.code, draft.pk]),
    }
    for name, url in pages.items():
        assert carried in client.get(url).content.decode(), name
    submission = client.get(pages["submission"]).content.decode()
    assert submission.count("에서 이월") == 1  # the new draft carries nothing over
    assert new.title_ko in submission


def test_the_carry_over_list_is_filtered_paged_and_keeps_its_filters_after_carrying(
    client, city, next_year
):
    from planning.selectors import CARRY_OVER_PER_PAGE
    from tests.factories import KeyTaskFactory

    many = [
        KeyTaskFactory(sector=city.sectors[1], bureau=city.welfare, code=f"2-{n:03}")
        for n in range(CARRY_OVER_PER_PAGE + 5)
    ]
    client.force_login(city.mayors_office)
    url = reverse("planning:carry_over", args=[2025])
    welfare = client.get(url, {"bureau": city.welfare.pk})
    listed = list(welfare.context["page"].object_list)
    assert len(listed) == CARRY_OVER_PER_PAGE
    assert {task.bureau for task in listed} == {city.welfare}
    unfinished = KeyTask.objects.filter(plan=city.plan, bureau=city.welfare).open().count()
    assert unfinished > len(many) - 1
    assert welfare.context["page"].paginator.count == unfinished
    second = client.get(url, {"bureau": city.welfare.pk, "page": 2})
    assert len(second.context["page"].object_list) == unfinished - CARRY_OVER_PER_PAGE
    assert "page=2" in welfare.content.decode()

    # Carrying over from a filtered page comes back to the same list, without them.
    answer = client.post(f"{url}?bureau={city.welfare.pk}", {"tasks": [many[0].pk, many[1].pk]})
    assert answer.status_code == 302
    assert answer["Location"] == f"{url}?bureau={city.welfare.pk}"
    assert client.get(url, {"bureau": city.welfare.pk}).context["page"].paginator.count == (
        unfinished - 2
    )
    # A filter that cannot be read is dropped, not an error page.
    assert client.get(url, {"bureau": "x", "sector": "<b>"}).status_code == 200


def test_the_carry_over_page_reads_the_same_queries_for_a_larger_plan(
    client, city, next_year, django_assert_max_num_queries
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import IndicatorFactory, KeyTaskFactory

    client.force_login(city.mayors_office)
    url = reverse("planning:carry_over", args=[2025])
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(60):
        task = KeyTaskFactory(sector=city.sectors[n % 5], bureau=city.finance, code=f"9-{n:03}")
        IndicatorFactory(sector=task.sector, task=task)
    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_adopting_the_plan_puts_its_tasks_in_my_tasks(client, city, submitted):
    submission, _draft = submitted
    services.move_submission(
        by=city.mayors_office, submission=submission, move="accept", version=submission.version
    )
    client.force_login(city.mayors_office)
    client.post(reverse("planning:plan_stage", args=[2025, "adopt"]))
    task = KeyTask.objects.get(plan__year=2025)
    client.force_login(city.finance_staff)
    codes = [
        row.task.pk
        for _s, rows in client.get(reverse("plans:my_tasks")).context["groups"]
        for row in rows
    ]
    assert task.pk in codes


def test_pages_read_any_year_the_current_one_by_default(client, city, next_year):
    client.force_login(city.mayors_office)
    assert client.get(reverse("review:dashboard")).context["plan"] == city.plan
    assert client.get(reverse("review:dashboard"), {"year": 2025}).context["plan"] == next_year
    assert client.get(reverse("review:task_list"), {"year": 2024}).context["plan"] == city.plan
    assert client.get(reverse("meetings:session_list"), {"year": 2025}).status_code == 200
    assert client.get("/", {"year": 2025}).context["plan"] == next_year
    for year in ("abc", "1999", "99999999999999999999", "2024.5"):
        assert client.get(reverse("review:dashboard"), {"year": year}).status_code == 404


@pytest.mark.parametrize("bureaus", [1, 6])
def test_the_submissions_overview_costs_the_same_for_any_number_of_bureaus(
    client, city, next_year, django_assert_num_queries, bureaus
):
    from tests.factories import BureauFactory, UserFactory

    for n in range(bureaus):
        head = UserFactory(username=f"head{n}")
        bureau = BureauFactory(head=head)
        draft_for(city, next_year, bureau, by=head)
    from django.core.cache import cache

    client.force_login(city.mayors_office)
    url = reverse("planning:submissions", args=[2025])
    client.get(url)
    cache.clear()
    # The plan with its preparation and previous plan (one query); the table read anew
    # (its stamp, the submissions with their drafts counted, the bureaus), then from the
    # cache until a submission or a bureau changes.
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200


def test_the_submissions_overview_shows_a_change_at_once(client, city, next_year):
    """The table is kept in the cache, and read anew as soon as a submission changes."""
    from django.utils.translation import gettext, override

    client.force_login(city.mayors_office)
    url = reverse("planning:submissions", args=[2025])
    with override("ko"):
        drafting, submitted = f"{gettext('Drafting')}: ", f"{gettext('Submitted')}: "
    assert drafting + "0" in client.get(url).content.decode()
    submission, _draft = draft_for(city, next_year, title="첫 과제")
    assert drafting + "1" in client.get(url).content.decode()
    submission.refresh_from_db()
    services.move_submission(
        by=city.economy_head, submission=submission, move="submit", version=submission.version
    )
    body = client.get(url).content.decode()
    assert submitted + "1" in body and drafting + "0" in body


@pytest.mark.parametrize("drafts", [1, 5])
def test_a_submission_page_costs_the_same_for_any_number_of_drafts(
    client, city, next_year, django_assert_num_queries, drafts
):
    for n in range(drafts):
        draft_for(city, next_year, title=f"과제 {n}")
    client.force_login(city.mayors_office)
    url = reverse("planning:submission", args=[2025, "economy"])
    client.get(url)
    with django_assert_num_queries(12):
        assert client.get(url).status_code == 200


def test_links_and_filters_of_an_earlier_or_later_year_stay_on_that_year(client, city, next_year):
    client.force_login(city.mayors_office)
    dashboard = client.get(reverse("review:dashboard"), {"year": 2025}).content.decode()
    assert f'href="{reverse("review:task_list")}?year=2025"' in dashboard
    assert f'href="{reverse("review:sector_detail", args=[1])}?year=2025"' in dashboard
    assert '<input type="hidden" name="year" value="2025">' in dashboard
    assert "2025년 업무계획(수립 중)을 보고 있습니다." in dashboard
    tracked = client.get(reverse("review:dashboard")).content.decode()
    assert "year=" not in tracked and "을 보고 있습니다" not in tracked
    task_list = client.get(reverse("review:task_list"), {"year": 2025}).content.decode()
    assert '<input type="hidden" name="year" value="2025">' in task_list
    sector = client.get(reverse("review:sector_detail", args=[1]), {"year": 2025})
    assert sector.context["sector"].plan == next_year


def test_a_task_carried_over_with_the_indicator_chosen_on_the_list_brings_it_along(
    client, city, next_year
):
    from planning.models import DraftIndicator
    from tests.factories import IndicatorFactory

    indicator = IndicatorFactory(sector=city.finance_task.sector, task=city.finance_task)
    client.force_login(city.mayors_office)
    url = reverse("planning:carry_over", args=[2025])
    page = client.get(url, {"bureau": city.finance.pk}).content.decode()
    assert f'name="indicators" value="{indicator.pk}" id="id_indicators_{indicator.pk}"' in page
    assert f"{indicator.code} {indicator.name_ko}" in page
    client.post(url, {"tasks": [city.finance_task.pk], "indicators": [indicator.pk]})
    carried = DraftIndicator.objects.get(task__predecessor=city.finance_task)
    assert carried.name_ko == indicator.name_ko
