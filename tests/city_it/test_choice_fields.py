"""Every list of records a form offers (a sector, an owner, a bureau) is read in one
query: Django's own model choice fields read it through a server-side cursor on
PostgreSQL, four round trips a select (the draft key task page had two of them)."""

import importlib
import inspect

from django import forms
from django.apps import apps

PROJECT_APPS = [
    app for app in apps.get_app_configs() if not app.name.startswith(("django", "axes"))
]


def project_forms():
    for app in PROJECT_APPS:
        try:
            module = importlib.import_module(f"{app.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, form in inspect.getmembers(module, inspect.isclass):
            if issubclass(form, forms.BaseForm) and form.__module__ == module.__name__:
                yield form


def test_no_form_reads_its_choices_through_djangos_server_side_cursor():
    assert len(list(project_forms())) > 20  # the walk finds the project's forms
    plain = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in project_forms()
        for name, field in form.base_fields.items()
        if getattr(field, "iterator", None) is forms.models.ModelChoiceIterator
    ]
    assert plain == []
