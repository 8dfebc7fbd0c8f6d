"""Forms of next year's plan. Every message says what to do, in the reader's language;
a refused form keeps what was typed."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from plans.forms import BureauChoiceField, ListChoiceField, ListMultipleChoiceField
from plans.models import Bureau, Indicator, KeyTask, WorkPlan

from .models import DraftIndicator, DraftMilestone, DraftTask
from .services import SectorText

DATE = {"type": "date"}
DATE_ERRORS = {"invalid": _("Enter a date like 2025-06-30."), "required": _("Give a date.")}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class NextYearForm(forms.Form):
    """Next year's plan: the year, the bureaus' deadline, the goals and the five sectors,
    filled in from this year's plan and edited here."""

    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        error_messages={"invalid": _("Enter a year like 2027.")},
    )
    deadline = forms.DateField(
        label=_("Bureaus' submission deadline"),
        widget=forms.DateInput(DATE),
        error_messages=DATE_ERRORS,
    )
    core_goal_ko = forms.CharField(label=_("Core goal (Korean)"), max_length=300)
    core_goal_en = forms.CharField(label=_("Core goal (English)"), max_length=300, required=False)
    vision_ko = forms.CharField(label=_("Vision (Korean)"), max_length=300, required=False)
    vision_en = forms.CharField(label=_("Vision (English)"), max_length=300, required=False)
    goals_ko = forms.CharField(
        label=_("Administration goals (Korean), one per line"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=3000,
    )
    goals_en = forms.CharField(
        label=_("Administration goals (English), one per line"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=3000,
    )

    SECTOR_FIELDS = (
        ("name_ko", _("Sector %(n)s name (Korean)"), True),
        ("name_en", _("Sector %(n)s name (English)"), False),
        ("theme_ko", _("Sector %(n)s theme (Korean)"), False),
        ("theme_en", _("Sector %(n)s theme (English)"), False),
    )

    def __init__(self, *args, previous: WorkPlan | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, 6):
            for name, label, required in self.SECTOR_FIELDS:
                self.fields[f"sector_{number}_{name}"] = forms.CharField(
                    label=label % {"n": number}, max_length=300, required=required
                )
        if previous is not None and not self.is_bound:
            self.initial.update(self.copied_from(previous))

    @staticmethod
    def copied_from(previous: WorkPlan) -> dict:
        goals = list(previous.goals.all())
        initial = {
            "year": previous.year + 1,
            "deadline": "",
            "core_goal_ko": previous.core_goal_ko,
            "core_goal_en": previous.core_goal_en,
            "vision_ko": previous.vision_ko,
            "vision_en": previous.vision_en,
            "goals_ko": "\n".join(g.text_ko for g in goals),
            "goals_en": "\n".join(g.text_en for g in goals),
        }
        for sector in previous.sectors.all():
            for name, _label, _required in NextYearForm.SECTOR_FIELDS:
                initial[f"sector_{sector.number}_{name}"] = getattr(sector, name)
        return initial

    def sector_rows(self):
        """The five sectors' fields, grouped for the page."""
        return [
            (n, [self[f"sector_{n}_{name}"] for name, _l, _r in self.SECTOR_FIELDS])
            for n in range(1, 6)
        ]

    def plan_fields(self) -> dict:
        data = self.cleaned_data
        ko, en = _lines(data["goals_ko"]), _lines(data["goals_en"])
        en += [""] * (len(ko) - len(en))
        return {
            "year": data["year"],
            "deadline": data["deadline"],
            "core_goal_ko": data["core_goal_ko"],
            "core_goal_en": data["core_goal_en"],
            "vision_ko": data["vision_ko"],
            "vision_en": data["vision_en"],
            "goals": list(zip(ko, en, strict=False)),
            "sectors": [
                SectorText(n, *(data[f"sector_{n}_{name}"] for name, _l, _r in self.SECTOR_FIELDS))
                for n in range(1, 6)
            ],
        }


class DeadlineForm(forms.Form):
    deadline = forms.DateField(
        label=_("Bureaus' submission deadline"),
        widget=forms.DateInput(DATE),
        error_messages=DATE_ERRORS,
    )


class TaskChoice(ListMultipleChoiceField):
    def label_from_instance(self, task: KeyTask) -> str:
        return f"{task.code} {task.title} · {task.bureau.name}"


class IndicatorChoice(ListMultipleChoiceField):
    def label_from_instance(self, indicator: Indicator) -> str:
        return f"{indicator.code} {indicator.name}"


class CarryOverFilterForm(forms.Form):
    """Which of the previous plan's unfinished key tasks the carry-over page lists: a
    sector, a bureau (and those under it). A value that cannot be read is dropped."""

    sector = ListChoiceField(
        label=_("Sector"), queryset=None, required=False, empty_label=_("All sectors")
    )
    bureau = BureauChoiceField(
        label=_("Bureau"),
        queryset=Bureau.objects.order_by("path"),
        required=False,
        empty_label=_("All bureaus"),
    )

    def __init__(self, *args, previous: WorkPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = previous.sectors.order_by("number")
        # Names the kept list of bureaus without writing out its SQL (plans.forms).
        self.fields["bureau"].list_name = "bureaus-by-path"

    def filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value and name not in self.errors
        }


class CarryOverForm(forms.Form):
    tasks = TaskChoice(
        label=_("Unfinished key tasks to carry over"),
        queryset=KeyTask.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    indicators = IndicatorChoice(
        label=_("Their indicators to carry over"),
        queryset=Indicator.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, unfinished, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tasks"].queryset = unfinished
        # What was ticked, as the page's checkboxes are written (kept after a refusal).
        self.chosen = set(self.data.getlist("tasks")) if self.is_bound else set()
        self.chosen_indicators = set(self.data.getlist("indicators")) if self.is_bound else set()
        self.fields["indicators"].queryset = Indicator.objects.filter(
            task__in=unfinished.values("pk")
        ).order_by("code")


class DraftTaskForm(forms.ModelForm):
    class Meta:
        model = DraftTask
        fields = [
            "sector",
            "pillar_ko",
            "title_ko",
            "title_en",
            "description_ko",
            "owner",
            "start_date",
            "due_date",
        ]
        # Read whole: Django reads a model's choices through a server-side cursor on
        # PostgreSQL (declare, fetch, fetch, close: four round trips a select).
        field_classes = {"sector": ListChoiceField, "owner": ListChoiceField}
        widgets = {
            "start_date": forms.DateInput(DATE),
            "due_date": forms.DateInput(DATE),
            "description_ko": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "title_ko": {"required": _("Give the key task a title in Korean.")},
            "start_date": DATE_ERRORS,
            "due_date": DATE_ERRORS,
            "sector": {"invalid_choice": _("Choose a sector from the list.")},
            "owner": {"invalid_choice": _("Choose an owner from the list.")},
        }

    def __init__(self, *args, plan: WorkPlan, bureau: Bureau, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = plan.sectors.order_by("number")
        self.fields["owner"].queryset = (
            get_user_model()
            .objects.filter(profile__bureau__path__startswith=bureau.path, is_active=True)
            .order_by("last_name", "username")
        )
        if not self.instance.pk and not self.is_bound:
            self.initial.update(
                start_date=dt.date(plan.year, 1, 1), due_date=dt.date(plan.year, 12, 31)
            )


MilestoneFormSet = inlineformset_factory(
    DraftTask,
    DraftMilestone,
    fields=["title_ko", "due_date"],
    widgets={"due_date": forms.DateInput(DATE)},
    extra=2,
    can_delete=False,
)

IndicatorFormSet = inlineformset_factory(
    DraftTask,
    DraftIndicator,
    fields=["name_ko", "unit_ko", "baseline", "target", "direction"],
    extra=1,
    can_delete=False,
)


class DecisionForm(forms.Form):
    """Submit, return (with a comment) or accept: the version read travels with it."""

    comment = forms.CharField(
        label=_("Comment for the bureau"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class DelegatesForm(forms.Form):
    people = ListMultipleChoiceField(
        label=_("Staff who draft with you"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, bureau: Bureau, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = (
            get_user_model()
            .objects.filter(profile__bureau__path__startswith=bureau.path, is_active=True)
            .exclude(pk=bureau.head_id)
            .order_by("last_name", "username")
        )
