"""A status, a stage or a state reads the same in Korean and in English as Django would
write it: ``ChoiceLabels`` keeps each field's choices instead of rebuilding them."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from plans.models import ChoiceLabels, KeyTask

LABELLED = [
    (model, field)
    for model in apps.get_models()
    if issubclass(model, ChoiceLabels)
    for field in model._meta.concrete_fields
    if field.choices
]


def test_the_models_shown_on_the_busiest_pages_keep_their_labels():
    names = {f"{model.__name__}.{field.name}" for model, field in LABELLED}
    assert {"KeyTask.status", "KeyTask.priority", "Measurement.state", "WorkPlan.stage"} <= names


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize(("model", "field"), LABELLED, ids=lambda x: getattr(x, "name", x))
def test_every_choice_reads_as_django_writes_it(model, field, language):
    values = [value for value, _label in field.flatchoices] + ["not-a-choice"]
    with translation.override(language):
        for value in values:
            row = model(**{field.attname: value})
            django_writes = models.Model._get_FIELD_display(row, field)
            assert getattr(row, f"get_{field.name}_display")() == django_writes


def test_a_label_kept_for_one_reader_reads_in_the_next_readers_language():
    task = KeyTask(status=KeyTask.Status.ON_TRACK)
    with translation.override("ko"):
        assert task.get_status_display() == "정상 추진"
    with translation.override("en"):
        assert task.get_status_display() == "On track"
