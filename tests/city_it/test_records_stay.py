"""What must stay on record cannot be deleted by any route (issue 13): not through the
ORM (an object's delete(), a QuerySet's delete(), a cascade from something above it)
and not through the admin (its delete page, the bulk action, an inline's delete box).
Each test reproduces a finding of the 2026-12-01 review."""

import datetime as dt

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from meetings.models import Directive, ReportSession
from meetings.services import add_directive
from plans import services
from plans.measurements import revise_measurement
from plans.models import Indicator, KeyTask, Measurement, MeasurementRevision, StatusUpdate
from tests.conftest import client_for
from tests.factories import (
    IndicatorFactory,
    MeasurementFactory,
    ReportSessionFactory,
    UserFactory,
)


@pytest.fixture
def it_client(db):
    return client_for(UserFactory(username="city_it", is_staff=True, is_superuser=True))


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def bulk_delete(client, model, *objects):
    return client.post(
        admin_url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [o.pk for o in objects], "post": "yes"},
    )


@pytest.fixture
def task_with_history(city):
    return services.update_key_task(
        city.economy_task, by=city.economy_head, expected_version=1, progress=55, note="진행"
    )


def test_a_task_with_history_cannot_be_deleted_so_its_history_stays(task_with_history, it_client):
    task = task_with_history
    with pytest.raises(ProtectedError):
        task.delete()
    with pytest.raises(ProtectedError):
        KeyTask.objects.filter(pk=task.pk).delete()
    assert it_client.post(admin_url(KeyTask, "delete", task.pk), {"post": "yes"}).status_code == 403
    assert bulk_delete(it_client, KeyTask, task).status_code in (200, 302, 403)
    assert KeyTask.objects.filter(pk=task.pk).exists()
    assert StatusUpdate.objects.filter(task=task).count() == 1


def test_history_rows_cannot_be_deleted_one_by_one_or_in_bulk(task_with_history):
    entry = StatusUpdate.objects.get()
    with pytest.raises(ProtectedError):
        entry.delete()
    with pytest.raises(ProtectedError):
        StatusUpdate.objects.all().delete()
    assert StatusUpdate.objects.count() == 1


@pytest.fixture
def published(city):
    indicator = IndicatorFactory(sector=city.sectors[0], code="JOB-FIN", is_public=True)
    final = MeasurementFactory(indicator=indicator, value=209000, state="final")
    revise_measurement(final, by=city.mayors_office, value=208959, reason="중복 집계 정정")
    return indicator


def test_an_indicator_with_published_figures_cannot_be_deleted(published, it_client):
    with pytest.raises(ProtectedError):
        published.delete()
    with pytest.raises(ProtectedError):
        Indicator.objects.filter(pk=published.pk).delete()
    page = it_client.get(admin_url(Indicator, "change", published.pk)).content.decode()
    assert admin_url(Indicator, "delete", published.pk) not in page
    assert (
        it_client.post(admin_url(Indicator, "delete", published.pk), {"post": "yes"}).status_code
        == 403
    )
    bulk = bulk_delete(it_client, Indicator, published)
    assert bulk.status_code == 200  # the admin lists what protects it
    assert Measurement.objects.get(indicator=published).value == 208959
    assert MeasurementRevision.objects.count() == 1


def test_published_figures_and_their_revisions_cannot_be_deleted(published):
    figure = Measurement.objects.get()
    with pytest.raises(ProtectedError):
        figure.delete()
    with pytest.raises(ProtectedError):
        Measurement.objects.all().delete()
    with pytest.raises(ProtectedError):
        MeasurementRevision.objects.get().delete()
    with pytest.raises(ProtectedError):
        MeasurementRevision.objects.all().delete()


def test_an_indicator_with_only_provisional_figures_can_still_go(city, it_client):
    indicator = IndicatorFactory(sector=city.sectors[0])
    MeasurementFactory(indicator=indicator, state="provisional")
    indicator.delete()
    assert not Measurement.objects.exists()


@pytest.fixture
def directive(city):
    session = ReportSessionFactory(sector=city.sectors[0])
    return add_directive(
        session,
        by=city.mayors_office,
        text="청년 일자리 사업 추진상황을 다음 보고회에서 보고할 것",
        bureau=city.economy,
        due_date=dt.date(2024, 3, 29),
    )


def test_a_directive_cannot_be_deleted_nor_its_session_nor_its_key_task(directive, it_client):
    with pytest.raises(ProtectedError):
        directive.delete()
    with pytest.raises(ProtectedError):
        Directive.objects.all().delete()
    with pytest.raises(ProtectedError):
        directive.session.delete()
    with pytest.raises(ProtectedError):
        directive.key_task.delete()
    assert (
        it_client.post(admin_url(Directive, "delete", directive.pk), {"post": "yes"}).status_code
        == 403
    )
    session_page = it_client.get(admin_url(ReportSession, "change", directive.session.pk))
    assert (
        admin_url(ReportSession, "delete", directive.session.pk)
        not in session_page.content.decode()
    )
    bulk_delete(it_client, ReportSession, directive.session)
    assert Directive.objects.filter(pk=directive.pk).exists()


def test_a_session_with_minutes_cannot_be_deleted(city, it_client):
    session = ReportSessionFactory(sector=city.sectors[0], minutes="시장 당부사항: 민생 우선")
    with pytest.raises(ProtectedError):
        session.delete()
    with pytest.raises(ProtectedError):
        ReportSession.objects.all().delete()
    assert (
        it_client.post(admin_url(ReportSession, "delete", session.pk), {"post": "yes"}).status_code
        == 403
    )
    response = bulk_delete(it_client, ReportSession, session)
    assert response.status_code == 200  # listed as protected, nothing deleted
    assert ReportSession.objects.filter(pk=session.pk).exists()


def test_a_session_without_minutes_or_directives_can_still_be_deleted(city):
    session = ReportSessionFactory(sector=city.sectors[0])
    session.delete()
    assert not ReportSession.objects.exists()


def test_a_person_with_history_is_deactivated_not_deleted(task_with_history, city, it_client):
    head = city.economy_head
    with pytest.raises(ProtectedError):
        head.delete()
    page = it_client.get(admin_url(type(head), "change", head.pk)).content.decode()
    assert admin_url(type(head), "delete", head.pk) not in page
    assert "cannot be deleted" in page or "삭제할 수 없습니다" in page
    assert (
        it_client.post(admin_url(type(head), "delete", head.pk), {"post": "yes"}).status_code == 403
    )
    bulk_delete(it_client, type(head), head)
    assert StatusUpdate.objects.get().changed_by == head
    response = it_client.post(
        admin_url(type(head), "changelist"),
        {"action": "deactivate", "_selected_action": [head.pk]},
    )
    assert response.status_code == 302
    head.refresh_from_db()
    assert not head.is_active


def test_someone_who_never_worked_in_the_tracker_can_still_be_deleted(db, it_client):
    mistake = UserFactory(username="typo")
    response = it_client.post(admin_url(type(mistake), "delete", mistake.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not type(mistake).objects.filter(pk=mistake.pk).exists()
