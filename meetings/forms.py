"""Forms of the report-session pages: a directive of the Mayor, the minutes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from plans import dates
from plans.forms import (
    BureauChoiceField,
    DateInput,
    ListChoiceField,
    OwnerChoiceField,
    add_service_errors,
)
from plans.models import Bureau, Sector
from plans.widgets import LongSelect

from . import services
from .models import Directive, ReportSession


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
    bureau = BureauChoiceField(
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


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class SessionVersionForm(forms.Form):
    """Every change to a session or its agenda carries the version its author saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class SessionForm(DescribedErrorsMixin, forms.Form):
    """Schedule a session, or change one (then with the version the editor saw)."""

    sector = ListChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.none(),
        error_messages={
            "required": _("Choose the sector."),
            "invalid_choice": _("Choose a sector from the list."),
        },
    )
    day = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        error_messages={
            "required": _("Give the date."),
            "invalid": _("Enter a date like 2025-01-15."),
        },
    )
    starts = forms.TimeField(
        label=_("Starts"),
        widget=TimeInput(),
        error_messages={
            "required": _("Give the start time."),
            "invalid": _("Enter a time like 10:00."),
        },
    )
    ends = forms.TimeField(
        label=_("Ends"),
        widget=TimeInput(),
        error_messages={
            "required": _("Give the end time."),
            "invalid": _("Enter a time like 12:00."),
        },
    )
    venue_ko = forms.CharField(
        label=_("Venue (Korean)"),
        max_length=300,
        error_messages={"required": _("Give the venue.")},
    )
    venue_en = forms.CharField(label=_("Venue (English)"), max_length=300, required=False)
    theme_ko = forms.CharField(label=_("Theme (Korean)"), max_length=300, required=False)
    theme_en = forms.CharField(label=_("Theme (English)"), max_length=300, required=False)
    attendees = forms.CharField(
        label=_("Attendees"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, e.g. the Mayor, the deputy mayors, heads of the bureaus."),
    )
    note = forms.CharField(label=_("Reason for the change"), required=False, max_length=1000)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    SERVICE_FIELDS = {"starts_at": "starts", "ends_at": "ends"}

    def __init__(self, *args, plan, session: ReportSession | None = None, **kwargs):
        if session is not None:
            kwargs.setdefault("initial", self.initial_for(session))
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = plan.sectors.order_by("number")
        self.session = session
        if session is None:
            del self.fields["note"]
            del self.fields["version"]

    @staticmethod
    def initial_for(session: ReportSession) -> dict:
        starts, ends = dates.seoul_time(session.starts_at), dates.seoul_time(session.ends_at)
        return {
            "sector": session.sector_id,
            "day": starts.date(),
            "starts": starts.time(),
            "ends": ends.time(),
            "version": session.version,
            **{
                field: getattr(session, field)
                for field in ("venue_ko", "venue_en", "theme_ko", "theme_en", "attendees")
            },
        }

    def clean(self):
        data = super().clean()
        if self.session is not None and not data.get("version"):
            self.add_error(None, _("Reload the page and try again."))
        return data

    def values(self) -> dict:
        """The session's fields, as the services take them."""
        data = self.cleaned_data
        return {
            "sector": data["sector"],
            "starts_at": dates.at(data["day"], data["starts"]),
            "ends_at": dates.at(data["day"], data["ends"]),
            **{
                field: data[field]
                for field in ("venue_ko", "venue_en", "theme_ko", "theme_en", "attendees")
            },
        }

    def rebased(self, session: ReportSession) -> SessionForm:
        """What this editor typed, against the version someone else saved meanwhile."""
        data = self.data.copy()
        data["version"] = str(session.version)
        return SessionForm(data, plan=session.sector.plan, session=session)


class AgendaItemForm(DescribedErrorsMixin, SessionVersionForm):
    bureau = BureauChoiceField(
        label=_("Presenting bureau"),
        queryset=Bureau.objects.none(),
        error_messages={
            "required": _("Choose the presenting bureau."),
            "invalid_choice": _("Choose a bureau from the list."),
        },
    )
    title_ko = forms.CharField(
        label=_("Presentation (Korean)"),
        max_length=300,
        error_messages={"required": _("Give the presentation a title.")},
    )
    title_en = forms.CharField(label=_("Presentation (English)"), max_length=300, required=False)
    minutes = forms.IntegerField(
        label=_("Length (minutes)"),
        min_value=1,
        max_value=600,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Give the length in minutes."),
            "invalid": _("Enter a whole number of minutes."),
            "min_value": _("A presentation lasts from 1 to 600 minutes."),
            "max_value": _("A presentation lasts from 1 to 600 minutes."),
        },
    )

    def __init__(self, *args, session: ReportSession, bureaus, **kwargs):
        kwargs.setdefault("initial", {"version": session.version, "minutes": 20})
        kwargs.setdefault("auto_id", "agenda-%s")
        super().__init__(*args, **kwargs)
        self.fields["bureau"].queryset = bureaus
        # The sector's bureaus (``selectors.sector_bureaus``), named without their SQL.
        self.fields["bureau"].list_name = f"sector-bureaus:{session.sector_id}"


class MoveForm(SessionVersionForm):
    direction = forms.ChoiceField(choices=[(move, move) for move in services.MOVES])


@dataclass
class SessionResult:
    """What became of a change to a session: saved, refused because someone else
    changed the session first, or refused with errors (shown on the form)."""

    saved: Any = None
    conflict: services.SessionConflict | None = None
    errors: list[str] = field(default_factory=list)


def submit_to_session(form: forms.Form, write: Callable[[dict], Any]) -> SessionResult:
    """Run ``write(cleaned data)`` (a service call) for a valid form; a service's
    refusal is shown on the form, beside the field it names."""
    if form.is_valid():
        try:
            return SessionResult(saved=write(dict(form.cleaned_data)))
        except services.SessionConflict as conflict:
            return SessionResult(conflict=conflict)
        except ValidationError as error:
            add_service_errors(form, error)
    return SessionResult(errors=[str(e) for errors in form.errors.values() for e in errors])


class DirectiveEditForm(DescribedErrorsMixin, forms.Form):
    """A directive, its owner bureau, owner and due date, with the version of its
    follow-up key task the editor saw."""

    text = DirectiveForm.base_fields["text"]
    bureau = DirectiveForm.base_fields["bureau"]
    owner = OwnerChoiceField(
        label=_("Owner"),
        widget=LongSelect,
        queryset=Bureau.objects.none(),
        required=False,
        empty_label=_("— no owner yet —"),
        error_messages={"invalid_choice": _("Choose the owner among the bureau's people.")},
    )
    due_date = DirectiveForm.base_fields["due_date"]
    note = forms.CharField(label=_("Reason for the change"), required=False, max_length=1000)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    SERVICE_FIELDS = {
        "description_ko": "text",
        "title_ko": "text",
        "new_due_date": "due_date",
        "reason": "note",
    }

    def __init__(self, *args, directive: Directive, **kwargs):
        task = directive.key_task
        kwargs.setdefault(
            "initial",
            {
                "text": directive.text,
                "bureau": directive.bureau_id,
                "owner": task.owner_id,
                "due_date": directive.due_date,
                "version": task.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.directive = directive
        # The owner is chosen among the people of the bureau chosen (the service checks
        # it again): the bureau typed in, else the directive's.
        bureau = directive.bureau
        chosen = self.data.get("bureau") if self.is_bound else None
        if chosen and str(chosen).isdigit():
            bureau = Bureau.objects.filter(pk=int(chosen)).first() or bureau
        self.fields["owner"].queryset = bureau.people()
        self.fields["due_date"].widget = DateInput()

    def rebased(self, version: int) -> DirectiveEditForm:
        data = self.data.copy()
        data["version"] = str(version)
        return DirectiveEditForm(data, directive=self.directive)


class DirectiveFilterForm(forms.Form):
    """The directives list's filters; a value that is not one reads as no filter."""

    state = forms.ChoiceField(
        label=pgettext_lazy("directive", "State"),
        required=False,
        choices=[("", _("All states")), *Directive.State.choices],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    bureau = BureauChoiceField(
        label=_("Owner bureau"),
        required=False,
        queryset=Bureau.objects.order_by("path"),
        empty_label=_("All bureaus"),
    )
    session = ListChoiceField(
        label=_("Report session"),
        required=False,
        queryset=ReportSession.objects.select_related("sector").order_by("-starts_at"),
        widget=LongSelect,
        empty_label=_("All sessions"),
    )

    def filters(self) -> dict:
        """The filters that were read (cleaned data holds only the valid ones)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}
