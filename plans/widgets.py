"""Form widgets for the city's long lists.

Django renders every ``<option>`` of a select through a template: for the city's 400
bureaus that was most of a session page's time (0.3 s of 0.6 s on the benchmark's
machine). ``LongSelect`` writes the same markup in Python."""

from __future__ import annotations

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from . import cache
from .renderers import attrs as written


class LongSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final["multiple"] = True
        key = getattr(self.choices, "cache_key", None)
        if key and not self.allow_multiple_selected:
            # Choices kept in the cache (the city's bureaus) are rendered once, and the
            # one selected option marked in the copy.
            options = cache.cached_list(key + ":html", lambda: self._options(set()))
            chosen = next(iter(self.format_value(value)), None)
            if chosen is not None:
                plain = f'<option value="{conditional_escape(chosen)}">'
                options = options.replace(plain, plain[:-1] + " selected>", 1)
        else:
            options = self._options({str(v) for v in self.format_value(value)})
        name_attr = f' name="{conditional_escape(name)}"'
        return mark_safe(f"<select{name_attr}{written(final)}>{options}</select>")

    def _options(self, selected: set[str]) -> str:
        # Django's optgroups() builds a dict per option (0.3 ms a hundred); the
        # selection rule is its own: the value(s) compared as strings.
        chosen = False

        def option(option_value, label) -> str:
            nonlocal chosen
            text = "" if option_value is None else str(option_value)
            is_selected = text in selected and (self.allow_multiple_selected or not chosen)
            chosen = chosen or is_selected
            label = "" if label is None else str(label)
            return (
                f'<option value="{conditional_escape(text)}"{" selected" if is_selected else ""}>'
                f"{conditional_escape(label)}</option>"
            )

        options = []
        for group_value, group_label in self.choices:
            if isinstance(group_label, (list, tuple)):
                rendered = "".join(option(v, label) for v, label in group_label)
                options.append(
                    f'<optgroup label="{conditional_escape(group_value)}">{rendered}</optgroup>'
                )
            else:
                options.append(option(group_value, group_label))
        return "".join(options)
