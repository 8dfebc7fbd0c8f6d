"""Forms of the report-session pages: a directive of the Mayor, the minutes."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from plans.models import Bureau
from plans.widgets import LongSelect

from .models import ReportSession


class DescribedErrorsMixin:
    """Inputs with an error say so to assistive technology and point at the message."""

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"id_{name}-error"}
                )


class DirectiveForm(DescribedErrorsMixin, forms.Form):
    text = forms.CharField(
        label=_("Directive"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Write the directive.")},
    )
    bureau = forms.ModelChoiceField(
        label=_("Owner bureau"),
        queryset=Bureau.objects.order_by("path"),
        widget=LongSelect,
        error_messages={
            "required": _("Choose the bureau that will carry it out."),
            "invalid_choice": _("Choose a bureau from the list."),
        },
    )
    due_date = forms.DateField(
        label=_("Due date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Give a due date."),
            "invalid": _("Enter a date like 2024-06-30."),
        },
    )

    @classmethod
    def next_after(cls) -> DirectiveForm:
        """An empty form for the next directive, with the focus in its text."""
        form = cls(initial={"due_date": ""})
        form.fields["text"].widget.attrs["autofocus"] = True
        return form


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=50000,
    )
    # The save time the editor saw: a later save by someone else is a conflict.
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    @classmethod
    def for_session(cls, session: ReportSession) -> MinutesForm:
        return cls(initial={"minutes": session.minutes, "seen": _stamp(session)})

    def rebased(self, session: ReportSession) -> MinutesForm:
        """What this editor typed, against the minutes someone else saved meanwhile."""
        return MinutesForm({"minutes": self.cleaned_data["minutes"], "seen": _stamp(session)})

    def seen_at(self) -> datetime | object | None:
        """The save time the editor saw. A stamp that is not one matches no save, so the
        editor is shown the current minutes instead of overwriting them."""
        raw = self.cleaned_data["seen"]
        if not raw:
            return None
        try:
            return parse_datetime(raw) or GARBLED
        except ValueError:
            return GARBLED


GARBLED = object()


def _stamp(session: ReportSession) -> str:
    return session.minutes_updated_at.isoformat() if session.minutes_updated_at else ""
