"""During a session the mayor's office records the Mayor's directives; each becomes a
key task of the owner bureau with its history, and is followed up at the next briefing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from meetings import services
from meetings.models import Directive
from plans import dates, history
from plans.models import KeyTask, StatusUpdate
from tests.factories import ReportSessionFactory
from tests.mayors_office.conftest import KST


def add_url(session):
    return reverse("meetings:directive_add", args=[session.pk])


def test_add_directive_creates_the_key_task_with_history_in_one_go(city, sessions, monkeypatch):
    session = sessions[0]
    # Recorded during the session itself.
    monkeypatch.setattr(dates, "today", lambda now=None: dt.date(2024, 1, 15))
    directive = services.add_directive(
        session,
        by=city.mayors_office,
        text="자갈치시장 상인 지원책을 6월까지 마련할 것\n세부 계획 포함",
        bureau=city.finance,
        due_date=dt.date(2024, 6, 30),
    )
    task = directive.key_task
    assert task.bureau == city.finance and task.sector == session.sector
    assert task.title_ko == "자갈치시장 상인 지원책을 6월까지 마련할 것"
    assert task.start_date == dt.date(2024, 1, 15) and task.due_date == dt.date(2024, 6, 30)
    assert task.status == "not_started" and task.priority == KeyTask.Priority.HIGH
    history = StatusUpdate.objects.get(task=task)
    assert history.kind == "created" and history.changed_by == city.mayors_office
    created = (history.new_value, history.as_of, history.note)
    assert created == ("directive", dt.date(2024, 1, 15), "")
    second = services.add_directive(
        session,
        by=city.mayors_office,
        text="둘째",
        bureau=city.economy,
        due_date=dt.date(2024, 3, 1),
    )
    assert second.key_task.code != task.code


def test_a_directive_due_before_its_session_is_refused_and_nothing_is_written(city, sessions):
    with pytest.raises(ValidationError) as error:
        services.add_directive(
            sessions[0],
            by=city.mayors_office,
            text="x",
            bureau=city.finance,
            due_date=dt.date(2024, 1, 14),
        )
    assert "due_date" in error.value.message_dict
    assert not Directive.objects.exists()
    assert KeyTask.objects.count() == 3


def test_the_mayors_office_adds_a_directive_with_htmx(office_client, city, sessions):
    session = sessions[0]
    response = office_client.post(
        add_url(session),
        {"text": "부산형 통합돌봄 확대 검토", "bureau": city.welfare.pk, "due_date": "2024-09-30"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    directive = Directive.objects.get()
    content = response.content.decode()
    assert content.lstrip().startswith('<section class="section card" id="directives"')
    assert "부산형 통합돌봄 확대 검토" in content
    assert directive.key_task.code in content
    assert reverse("plans:task_detail", args=[directive.key_task_id]) in content
    # A fresh, empty form for the next directive.
    assert 'name="text"' in content and "부산형 통합돌봄 확대 검토</textarea>" not in content


def test_without_htmx_the_form_redirects_back_to_the_session(office_client, city, sessions):
    response = office_client.post(
        add_url(sessions[0]),
        {"text": "검토", "bureau": city.welfare.pk, "due_date": "2024-09-30"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:session_detail", args=[sessions[0].pk])


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"text": "", "bureau": "x", "due_date": "2024-09-30"}, "text"),
        ({"text": "검토할 것", "bureau": "", "due_date": "2024-09-30"}, "bureau"),
        ({"text": "검토할 것", "bureau": "999999", "due_date": "2024-09-30"}, "bureau"),
        ({"text": "검토할 것", "bureau": "BUREAU", "due_date": "2024-02-31"}, "due_date"),
        ({"text": "검토할 것", "bureau": "BUREAU", "due_date": "2024-01-01"}, "due_date"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_keeps_what_was_typed(
    office_client, city, sessions, data, field
):
    data = {
        key: str(city.welfare.pk) if value == "BUREAU" else value for key, value in data.items()
    }
    response = office_client.post(add_url(sessions[0]), data, headers={"HX-Request": "true"})
    assert response.status_code == 200  # htmx swaps 200s only
    content = response.content.decode()
    assert 'class="field-error"' in content
    assert f'id="id_{field}-error"' in content
    assert f'aria-describedby="id_{field}-error"' in content
    if data["text"]:
        assert f"{data['text']}</textarea>" in content
    assert not Directive.objects.exists()


@pytest.mark.parametrize("user", ["economy_head", "finance_staff"])
def test_only_the_mayors_office_writes_directives(city, sessions, user):
    from tests.conftest import client_for

    response = client_for(getattr(city, user)).post(
        add_url(sessions[0]),
        {"text": "x", "bureau": city.welfare.pk, "due_date": "2024-09-30"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 403
    assert not Directive.objects.exists()


def test_anonymous_posting_a_directive_is_sent_to_sign_in(client, city, sessions):
    response = client.post(add_url(sessions[0]), {"text": "x"})
    assert response.status_code == 302
    assert not Directive.objects.exists()


def test_the_directive_is_a_task_in_the_owner_bureaus_list(
    office_client, head_client, city, sessions
):
    directive = services.add_directive(
        sessions[0],
        by=city.mayors_office,
        text="금융 지원 확대",
        bureau=city.finance,
        due_date=dt.date(2024, 5, 31),
    )
    response = head_client.get(
        reverse("review:task_list"),
        {"sector": sessions[0].sector.pk, "bureau": city.finance.pk, "flag": "all"},
    )
    assert directive.key_task in list(response.context["page"].object_list)


def test_the_next_sessions_briefing_follows_up_the_directive_with_its_status(
    office_client, city, sessions
):
    """The follow-up (이행 점검) is the sector's: its open directives come back at the
    sector's next session, not at another sector's."""
    from plans import services as plan_services

    directive = services.add_directive(
        sessions[0],
        by=city.mayors_office,
        text="골목상권 활성화 방안 보고",
        bureau=city.economy,
        due_date=dt.date(2024, 3, 31),
    )
    task = directive.key_task
    plan_services.update_key_task(
        task, by=city.economy_head, expected_version=task.version, status="on_track", progress=50
    )
    next_one = ReportSessionFactory(
        sector=city.sectors[0],
        starts_at=dt.datetime(2024, 7, 15, 10, 0, tzinfo=KST),
        ends_at=dt.datetime(2024, 7, 15, 12, 0, tzinfo=KST),
    )
    response = office_client.get(reverse("meetings:briefing", args=[next_one.pk]))
    assert response.context["earlier_directives"] == [directive]
    content = response.content.decode()
    followup = content.split('class="table table-stack followup"', 1)[1]
    assert "골목상권 활성화 방안 보고" in followup
    assert "status-on_track" in followup and "50%" in followup
    # …not at another sector's session, nor as a follow-up at its own session.
    other = office_client.get(reverse("meetings:briefing", args=[sessions[1].pk]))
    assert other.context["earlier_directives"] == []
    own = office_client.get(reverse("meetings:briefing", args=[sessions[0].pk]))
    assert own.context["earlier_directives"] == []
    assert own.context["directives"] == [directive]


def test_a_directive_recorded_after_its_session_starts_the_day_it_is_recorded(
    city, sessions, monkeypatch
):
    """Typed in from the minutes three weeks later, its schedule starts that day: it is
    not already "at risk (computed)" for the weeks before anyone knew of it."""
    monkeypatch.setattr(dates, "today", lambda now=None: dt.date(2024, 2, 5))
    directive = services.add_directive(
        sessions[0],
        by=city.mayors_office,
        text="전통시장 주차장 확충 방안 마련",
        bureau=city.finance,
        due_date=dt.date(2024, 3, 15),
    )
    task = directive.key_task
    assert task.start_date == dt.date(2024, 2, 5)
    assert not task.is_behind_schedule(dt.date(2024, 2, 5))
    assert not KeyTask.objects.behind_schedule(dt.date(2024, 2, 5)).filter(pk=task.pk).exists()
    # Its history still says which session it came from, in the reader's language.
    (entry,) = history.recent_history(task)
    with translation.override("ko"):
        assert history.change_line(task.history.get()).label == (
            "2024년 1월 15일 (월) 업무보고회 시장 지시사항으로 생성"
        )
    with translation.override("en"):
        assert history.change_line(task.history.get()).label == (
            "Created from a directive of the report session on Mon 15 Jan 2024"
        )
    assert entry.note == ""


def test_a_directive_recorded_after_its_due_date_starts_and_ends_on_that_date(
    city, sessions, monkeypatch
):
    monkeypatch.setattr(dates, "today", lambda now=None: dt.date(2024, 4, 1))
    directive = services.add_directive(
        sessions[0],
        by=city.mayors_office,
        text="늦게 기록된 지시",
        bureau=city.finance,
        due_date=dt.date(2024, 3, 15),
    )
    assert directive.key_task.start_date == dt.date(2024, 3, 15)


def test_the_refusal_of_a_due_date_before_the_session_writes_the_date_in_words(city, sessions):
    with translation.override("ko"), pytest.raises(ValidationError) as error:
        services.add_directive(
            sessions[0],
            by=city.mayors_office,
            text="지시",
            bureau=city.finance,
            due_date=dt.date(2024, 1, 1),
        )
    (message,) = error.value.message_dict["due_date"]
    assert "2024년 1월 15일 (월)" in message
    assert "2024-01-15" not in message
