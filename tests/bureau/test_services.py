"""The services behind the bureau head's pages: one accepted change is one version, every
change lands in the history, and nonsense is refused with a message."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from plans import history, selectors, services
from plans.models import KeyTask


def fields_of(task, version):
    """What a version changed: a task field's name, or what an actual or milestone names."""
    return {
        {"actual": f"actual:{code}", "milestone": f"milestone:{milestone}"}.get(kind, kind)
        for kind, code, milestone in task.history.filter(version=version).values_list(
            "kind", "indicator__code", "milestone"
        )
    }


def test_a_quick_update_is_one_version_with_a_row_per_change(city, kpi_task):
    task = services.report_progress(
        kpi_task,
        by=city.economy_head,
        expected_version=1,
        status="at_risk",
        progress=45,
        indicator=kpi_task.indicator,
        actual=Decimal("1700"),
        note="rain",
    )
    assert task.version == 2
    assert fields_of(task, 2) == {"status", "progress", "actual:KPI-JOBS"}
    assert set(task.history.filter(version=2).values_list("note", flat=True)) == {"rain"}


def test_a_note_alone_is_recorded_and_nothing_at_all_changes_nothing(city):
    task = city.economy_task
    same = services.report_progress(
        task, by=city.economy_head, expected_version=1, status="on_track", progress=40
    )
    assert same.version == 1
    assert not task.history.exists()
    noted = services.report_progress(
        task, by=city.economy_head, expected_version=1, progress=40, note="checked with the team"
    )
    assert noted.version == 2
    assert list(noted.history.values_list("kind", "note")) == [("note", "checked with the team")]


@pytest.mark.parametrize(
    ("start", "changes", "field", "message"),
    [
        ({}, {"status": "not_started", "progress": 100}, "progress", "has not started"),
        ({}, {"status": "done", "progress": 90}, "status", "100% progress"),
        (
            {"status": "dropped", "progress": 0},
            {"status": "not_started", "progress": 0},
            "status",
            "cannot go back",
        ),
    ],
)
def test_transitions_that_make_no_sense_are_refused(city, start, changes, field, message):
    task = city.economy_task
    if start:
        # The state the task was left in, as the editor then read it.
        KeyTask.objects.filter(pk=task.pk).update(**start)
        task.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.update_key_task(task, by=city.economy_head, expected_version=1, **changes)
    assert message in " ".join(refused.value.message_dict[field])
    task.refresh_from_db()
    assert task.version == 1
    assert not task.history.exists()


def test_a_second_actual_for_the_same_date_replaces_the_first_with_history(city, kpi_task):
    as_of = dt.date(2024, 9, 30)
    task = services.record_measurement(
        kpi_task.indicator,
        by=city.economy_head,
        expected_version=1,
        value=Decimal("1600"),
        as_of=as_of,
    )
    entry = task.history.get(version=2)
    assert (entry.old_value, entry.new_value, entry.as_of) == ("1500", "1600", as_of)
    assert kpi_task.indicator.measurements.get(as_of=as_of).value == 1600
    again = services.record_measurement(
        kpi_task.indicator,
        by=city.economy_head,
        expected_version=2,
        value=Decimal("1600.00"),
        as_of=as_of,
    )
    assert again.version == 2


def test_a_bureau_cannot_overwrite_a_published_figure(city, kpi_task):
    published = kpi_task.indicator.measurements.get(as_of=dt.date(2024, 9, 30))
    published.state = "verified"
    published.save()
    with pytest.raises(ValidationError) as excinfo:
        services.record_measurement(
            kpi_task.indicator,
            by=city.economy_head,
            expected_version=1,
            value=Decimal("1700"),
            as_of=published.as_of,
        )
    assert "actual" in excinfo.value.message_dict
    published.refresh_from_db()
    assert published.value == 1500
    assert not kpi_task.history.exists()


def test_an_actual_of_another_tasks_indicator_is_refused(city, kpi_task):
    with pytest.raises(ValidationError):
        services.report_progress(
            city.finance_task,
            by=city.economy_head,
            expected_version=1,
            progress=40,
            status="on_track",
            indicator=kpi_task.indicator,
            actual=Decimal(1),
        )


def test_milestone_ticks_are_versioned_and_idempotent(city, kpi_task):
    milestone = kpi_task.milestones.first()
    task = services.toggle_milestone(milestone, by=city.economy_head, expected_version=1, done=True)
    assert task.version == 2
    assert fields_of(task, 2) == {f"milestone:{milestone.pk}"}
    unchanged = services.toggle_milestone(
        milestone, by=city.economy_head, expected_version=2, done=True
    )
    assert unchanged.version == 2
    reopened = services.toggle_milestone(
        milestone, by=city.economy_head, expected_version=2, done=False
    )
    entry = reopened.history.get(version=3)
    assert (entry.old_value, entry.new_value) == (timezone.localdate().isoformat(), "")


@pytest.mark.parametrize("write", ["measurement", "milestone", "quick"])
def test_every_write_refuses_a_stale_version_and_names_the_other_change(city, kpi_task, write):
    services.update_key_task(kpi_task, by=city.finance_staff, expected_version=1, progress=50)
    with pytest.raises(services.EditConflict) as conflict:
        if write == "measurement":
            services.record_measurement(
                kpi_task.indicator, by=city.economy_head, expected_version=1, value=Decimal(9)
            )
        elif write == "milestone":
            services.toggle_milestone(
                kpi_task.milestones.first(), by=city.economy_head, expected_version=1, done=True
            )
        else:
            services.report_progress(kpi_task, by=city.economy_head, expected_version=1, progress=9)
    assert conflict.value.task.version == 2
    assert [(c.kind, c.changed_by) for c in conflict.value.changes] == [
        ("progress", city.finance_staff)
    ]
    assert kpi_task.indicator.measurements.count() == 2
    assert not kpi_task.milestones.filter(done_on__isnull=False).exists()


def test_the_history_reads_as_one_entry_per_change_in_the_readers_words(city, kpi_task):
    milestone = kpi_task.milestones.get(title_en="Budget secured")
    services.update_key_task(
        kpi_task, by=city.economy_head, expected_version=1, status="at_risk", progress=30
    )
    services.toggle_milestone(milestone, by=city.finance_staff, expected_version=2, done=True)
    task = selectors.task_for_detail(kpi_task.pk)
    with translation.override("en"):
        entries = history.recent_history(task)
    assert [entry.version for entry in entries] == [3, 2]
    assert entries[0].changed_by == city.finance_staff
    assert entries[0].lines[0].label == "Milestone “Budget secured”"
    assert [(line.label, line.old, line.new) for line in entries[1].lines] == [
        ("Status", "On track", "At risk"),
        ("Progress (%)", "40%", "30%"),
    ]


@pytest.mark.parametrize(
    "changes",
    [
        {"progress": 150},
        {"progress": -1},
        {"due_date": dt.date(2023, 12, 31)},
        {"status": "done", "progress": 99},
        {"status": "not_started", "progress": 1},
        {"status": "done", "progress": 100, "completed_on": None},
        {"status": "bogus"},
        {"title_ko": ""},
    ],
)
def test_every_database_rule_is_refused_with_a_message_before_the_database(city, changes):
    """The service checks the table's constraints in Python (it skips the database's
    round trips), so each must come back as a ValidationError, never an IntegrityError."""
    task = city.economy_task
    try:
        saved = services.update_key_task(task, by=city.economy_head, expected_version=1, **changes)
    except ValidationError as refused:
        assert refused.messages
        task.refresh_from_db()
        assert task.version == 1
    else:
        # Done at 100% without a date is completed today by the rules, not refused.
        assert changes.get("status") == "done" and saved.completed_on == timezone.localdate()
