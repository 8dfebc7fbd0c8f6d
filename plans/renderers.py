"""The form renderer: Django's, with its plainest widgets and our field row written in
Python.

Django renders each widget through two or three templates (input, attrs), and each
option of a select through two more; a task's page has about twenty fields, which cost
it as much as all its queries. The inputs, the textarea and the single select are
written here exactly as those templates write them, and so is a field's row
(``{{ field.as_field_group }}``: label, widget, help text and errors, as
``plans/_field.html`` writes them) and an empty error list (nothing);
tests/city_it/test_form_renderer.py compares each with its template. Every other
template is Django's own."""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

_WIDGETS = "django/forms/widgets/"
INPUTS = {
    f"{_WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "time",
        "datetime",
        "search",
        "tel",
        "checkbox",
    )
}
TEXTAREA = f"{_WIDGETS}textarea.html"
SELECT = f"{_WIDGETS}select.html"
OPTION = f"{_WIDGETS}select_option.html"
FIELD = "plans/_field.html"
# An empty error list writes nothing: most fields of most forms have no error.
ERROR_LISTS = {"django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"}


def _text(value) -> str:
    """As ``{{ value|stringformat:'s' }}`` writes it: safe text stays as it is."""
    text = str(value)
    return conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text)


def attrs(attributes: dict) -> str:
    """As django/forms/widgets/attrs.html writes them: in order, True as a bare name,
    False left out."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{_text(value)}"'
        for name, value in attributes.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    kind, name = conditional_escape(widget["type"]), conditional_escape(widget["name"])
    return f'<input type="{kind}" name="{name}"{value}{attrs(widget["attrs"])}>'


def _textarea(widget: dict) -> str:
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    name = conditional_escape(widget["name"])
    return f'<textarea name="{name}"{attrs(widget["attrs"])}>\n{value}</textarea>'


def _select(widget: dict) -> str | None:
    name = conditional_escape(widget["name"])
    written = [f'<select name="{name}"{attrs(widget["attrs"])}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            written.append(f'\n  <optgroup label="{conditional_escape(group)}">')
        for option in options:
            if option["template_name"] != OPTION:
                return None
            written.append(
                f'\n  <option value="{_text(option["value"])}"{attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"
            )
        if group:
            written.append("\n  </optgroup>")
    written.append("\n</select>")
    return "".join(written)


def _field(field) -> str:
    if field.is_hidden:
        return str(field)
    errors = field.errors
    marked = " field-error" if errors else ""
    required = ' class="required"' if field.field.required else ""
    label = f'<label for="{_text(field.id_for_label)}"{required}>{_text(field.label)}</label>'
    helptext = ""
    if field.help_text:
        helptext = (
            f'<p class="helptext" id="{_text(field.auto_id)}_helptext">{_text(field.help_text)}</p>'
        )
    return f'<div class="form-row{marked}">\n  {label}\n  {field}\n  {helptext}\n  {errors}\n</div>'


class FormRenderer(DjangoTemplates):
    field_template_name = FIELD

    def render(self, template_name, context, request=None):
        written = None
        if template_name == FIELD:
            written = _field(context["field"])
        elif template_name in ERROR_LISTS and not context["errors"]:
            written = ""
        elif template_name in INPUTS:
            written = _input(context["widget"])
        elif template_name == TEXTAREA:
            written = _textarea(context["widget"])
        elif template_name == SELECT and not context["widget"]["attrs"].get("multiple"):
            written = _select(context["widget"])
        if written is None:
            return super().render(template_name, context, request)
        return mark_safe(written)
