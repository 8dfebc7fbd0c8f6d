"""Form widgets for the city's long lists.

Django renders every ``<option>`` of a select through a template: for the city's 400
bureaus that was most of a session page's time (0.3 s of 0.6 s on the benchmark's
machine). ``LongSelect`` writes the same markup in Python."""

from __future__ import annotations

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html writes them: in order, True as a bare name."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class LongSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = []
        for group, choices, _index in widget["optgroups"]:
            rendered = "".join(
                f'<option value="{conditional_escape(str(option["value"]))}"'
                f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>"
                for option in choices
            )
            options.append(
                f'<optgroup label="{conditional_escape(group)}">{rendered}</optgroup>'
                if group
                else rendered
            )
        name_attr = f' name="{conditional_escape(widget["name"])}"'
        return mark_safe(f"<select{name_attr}{_attrs(widget['attrs'])}>{''.join(options)}</select>")
