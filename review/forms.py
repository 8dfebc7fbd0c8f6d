"""The review pages' filters; they live in the URL so a view can be shared."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from plans import history
from plans.forms import KeyTaskFilterForm, ListChoiceField
from plans.models import Bureau, WorkPlan
from plans.widgets import LongSelect

from . import selectors


class SinceForm(forms.Form):
    """What changed since a date, else since the default the page gives."""

    since = forms.DateField(
        label=_("Changed since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date like 2024-01-15.")},
    )

    # Pages of the change list; beyond the count's cap the feed stops counting.
    page = forms.IntegerField(
        required=False, min_value=1, max_value=history.CHANGES_COUNT_CAP, widget=forms.HiddenInput
    )

    def clean_since(self):
        since = self.cleaned_data["since"]
        if since and not 1900 <= since.year <= 2999:
            raise forms.ValidationError(_("Enter a date between 1900 and 2999."))
        return since

    def date_or(self, default: date) -> date:
        if self.is_bound and self.is_valid() and self.cleaned_data["since"]:
            return self.cleaned_data["since"]
        return default

    def page_or_first(self) -> int:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["page"] or 1
        return 1

    def typed(self, since: date) -> str:
        """What the date box shows: what the user typed, even when it was not a date."""
        return self.data.get("since", "") if self.errors else since.isoformat()


class TaskFilterForm(KeyTaskFilterForm):
    """The filters of the city-wide task list."""

    STATUS_LABEL = _("Reported status")
    ANY_STATUS = _("All statuses")
    FLAG_CHOICES = [
        (selectors.FLAG_ATTENTION, _("Needs attention (overdue or at risk)")),
        (selectors.FLAG_OVERDUE, _("Overdue")),
        (selectors.FLAG_BEHIND_SCHEDULE, _("At risk (computed)")),
        (selectors.FLAG_ALL, _("All key tasks")),
    ]
    SORT_CHOICES = [
        ("due", _("Due date, earliest first")),
        ("-due", _("Due date, latest first")),
        ("lag", _("Furthest behind schedule first")),
        ("progress", _("Progress, lowest first")),
        ("-progress", _("Progress, highest first")),
        ("bureau", _("Bureau")),
        ("code", _("Code")),
    ]

    # The page's title says which of them it lists.
    HEADINGS = {
        selectors.FLAG_ATTENTION: _("Key tasks: overdue and at risk"),
        selectors.FLAG_OVERDUE: _("Key tasks: overdue"),
        selectors.FLAG_BEHIND_SCHEDULE: _("Key tasks: at risk (computed)"),
        selectors.FLAG_ALL: _("All key tasks"),
    }

    sector = ListChoiceField(label=_("Sector"), queryset=None, required=False)
    bureau = ListChoiceField(label=_("Bureau"), queryset=None, required=False, widget=LongSelect)
    pillar = forms.ChoiceField(label=_("Pillar"), required=False)
    flag = forms.ChoiceField(label=_("Show"), required=False, choices=FLAG_CHOICES)

    field_order = ["sector", "bureau", "pillar", "status", "flag", "sort"]

    def __init__(self, data, *, plan: WorkPlan):
        super().__init__(data)
        self.fields["sector"].queryset = plan.sectors.order_by("number")
        self.fields["sector"].empty_label = _("All sectors")
        self.fields["bureau"].queryset = Bureau.objects.order_by("path")
        self.fields["bureau"].empty_label = _("All bureaus")
        self.fields["pillar"].choices = [("", _("All pillars")), *selectors.pillars(plan)]

    @classmethod
    def heading(cls, filters: dict) -> str:
        return str(cls.HEADINGS[filters["flag"]])

    def filters(self) -> dict:
        """The valid filters as ``selectors.city_tasks`` takes them."""
        data = self.readable()
        return {
            "sector": data.get("sector"),
            "bureau": data.get("bureau"),
            "pillar": data.get("pillar") or "",
            "status": data.get("status") or "",
            "flag": data.get("flag") or selectors.FLAG_ATTENTION,
            "sort": self.chosen_sort(),
        }
