from django import forms
from django.utils.translation import gettext_lazy as _

from plans import review
from plans.models import Bureau, KeyTask, Sector, WorkPlan


class SinceForm(forms.Form):
    since = forms.DateField(
        label=_("Changed since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date like 2024-01-15.")},
    )

    def clean_since(self):
        since = self.cleaned_data["since"]
        if since and not 1900 <= since.year <= 2999:
            raise forms.ValidationError(_("Enter a date between 1900 and 2999."))
        return since


class TaskFilterForm(forms.Form):
    """The filters of the city-wide task list; they live in the URL so a view can be
    shared. Unknown values fall back to "all" with a message rather than an error page."""

    FLAG_CHOICES = [
        (review.FLAG_ATTENTION, _("Needs attention (overdue or at risk)")),
        (review.FLAG_OVERDUE, _("Overdue")),
        (review.FLAG_COMPUTED, _("At risk (computed)")),
        (review.FLAG_ALL, _("All key tasks")),
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

    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.none(),
        required=False,
        empty_label=_("All sectors"),
    )
    bureau = forms.ModelChoiceField(
        label=_("Bureau"),
        queryset=Bureau.objects.none(),
        required=False,
        empty_label=_("All bureaus"),
    )
    pillar = forms.ChoiceField(label=_("Pillar"), required=False)
    status = forms.ChoiceField(
        label=_("Reported status"),
        required=False,
        choices=[("", _("All statuses")), *KeyTask.Status.choices],
    )
    flag = forms.ChoiceField(label=_("Show"), required=False, choices=FLAG_CHOICES)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, data, *, plan: WorkPlan, pillars: list[str]):
        super().__init__(data)
        self.fields["sector"].queryset = plan.sectors.order_by("number")
        self.fields["bureau"].queryset = Bureau.objects.order_by("path")
        self.fields["pillar"].choices = [("", _("All pillars"))] + [(p, p) for p in pillars]

    def filters(self) -> dict:
        """The valid filters; an invalid one is dropped (and reported by the form)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "sector": data.get("sector"),
            "bureau": data.get("bureau"),
            "pillar": data.get("pillar") or "",
            "status": data.get("status") or "",
            "flag": data.get("flag") or review.FLAG_ATTENTION,
            "sort": data.get("sort") or "due",
        }


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


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=50000,
    )
    # The save time the editor saw: a later save by someone else is a conflict.
    seen = forms.CharField(required=False, widget=forms.HiddenInput)
