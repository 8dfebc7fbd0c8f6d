"""Forms of the bureau head's pages. They check input shape; the plan's rules live in
``plans.services`` and come back through ``add_service_errors``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from . import cache, dates
from .models import Bureau, Indicator, KeyTask, KeyTaskQuerySet, Sector, pick
from .selectors import MyTasksFilters
from .services import EditConflict
from .widgets import LongSelect


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the form: beside the field it names
    when the form has that field, above the form otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    # A form may call a service's field by its own name (the service's "actual" is the
    # measurement form's "value").
    aliases = getattr(form, "SERVICE_FIELDS", {})
    for field, errors in error.message_dict.items():
        field = aliases.get(field, field)
        target = field if field in form.fields and field != NON_FIELD_ERRORS else None
        form.add_error(target, errors)


@dataclass
class SubmitResult:
    """What became of a submitted edit: saved, refused because someone else changed the
    task first, or refused with errors shown on the form."""

    saved: Any = None
    conflict: EditConflict | None = None


def submit(form: forms.Form, write: Callable[[forms.Form], Any]) -> SubmitResult:
    """Run ``write(form)`` (a service call) for a valid form; a service's refusal is
    shown on the form, beside the field it names."""
    if not form.is_valid():
        return SubmitResult()
    try:
        return SubmitResult(saved=write(form))
    except EditConflict as conflict:
        return SubmitResult(conflict=conflict)
    except ValidationError as error:
        add_service_errors(form, error)
        return SubmitResult()


class _NamedChoices(forms.models.ModelChoiceIterator):
    """The choices as (id, name in the reader's language), read as plain values: 400
    bureaus as model instances cost a page more than its queries. The list is kept in
    the cache for a minute (``cache.FIGURES_SECONDS``: bureaus are renamed only in the
    admin), so a page with two bureau selects reads it once, not twice a request."""

    @cached_property
    def cache_key(self) -> str:
        """Names the list for ``LongSelect``, which keeps its rendered options too: by
        the field's ``list_name`` when its form gives one (cheaper than writing out the
        query's SQL), else by that SQL."""
        name = getattr(self.field, "list_name", None) or str(self.queryset.query)
        return cache.list_key("bureaus", f"{self.field.empty_label}|{name}")

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from cache.cached_list(
            self.cache_key + ":values",
            lambda: [
                (pk, pick(name_ko, name_en))
                for pk, name_ko, name_en in self.queryset.values_list("pk", "name_ko", "name_en")
            ],
        )


class _ReadWhole(forms.models.ModelChoiceIterator):
    """The choices read in one query. Django reads them through ``iterator()``, which on
    PostgreSQL is a server-side cursor: four round trips (declare, fetch, fetch, close)
    for a plan's five sectors."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for choice in self.queryset:
            yield self.choice(choice)


class ListChoiceField(forms.ModelChoiceField):
    """A record chosen from a list short enough to read whole (a plan's sectors)."""

    iterator = _ReadWhole


class ListMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Records ticked in a list short enough to read whole (a bureau's people)."""

    iterator = _ReadWhole


class BureauChoiceField(forms.ModelChoiceField):
    """A bureau chosen from a long list, shown as a ``LongSelect``."""

    iterator = _NamedChoices
    widget = LongSelect


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def indicator_choices(indicators: dict[int, Indicator]) -> list[tuple[int, str]]:
    return [(pk, f"{indicator.name} ({indicator.unit})") for pk, indicator in indicators.items()]


class VersionedForm(forms.Form):
    """Every edit carries the task version its author saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, task: KeyTask, **kwargs):
        kwargs.setdefault("auto_id", f"task-{task.pk}-%s")
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("version", task.version)
        super().__init__(*args, **kwargs)
        self.task = task

    def with_version(self, version: int) -> VersionedForm:
        """The same typed values, bound to a newer version (the one-click re-apply)."""
        data = self.data.copy()
        data["version"] = str(version)
        return type(self)(data, task=self.task, **self._extra_kwargs())

    def _extra_kwargs(self) -> dict:
        return {}


class ProgressForm(VersionedForm):
    """Status and progress, as both the in-row update and the task page edit them."""

    status = forms.ChoiceField(label=_("Status"), choices=KeyTask.Status.choices)
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class QuickUpdateForm(ProgressForm):
    """The in-row update of My tasks: status, progress, a new actual and a note."""

    indicator = forms.TypedChoiceField(label=_("Indicator"), required=False, coerce=int)
    actual = forms.DecimalField(
        label=_("New actual value"),
        required=False,
        max_digits=18,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, task: KeyTask, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("status", task.status)
        initial.setdefault("progress", task.progress)
        super().__init__(*args, task=task, **kwargs)
        self.fields["progress"].widget.attrs["size"] = 4  # narrow in a table row
        # The task's indicators come with the row (``selectors.ROW_INDICATORS``).
        self.indicators = {indicator.pk: indicator for indicator in task.row_indicators}
        if not self.indicators:
            del self.fields["indicator"]
            del self.fields["actual"]
            return
        self.fields["indicator"].choices = [
            (pk, f"{indicator.name} ({indicator.unit})")
            for pk, indicator in self.indicators.items()
        ]
        self.fields["indicator"].initial = next(iter(self.indicators))
        if len(self.indicators) == 1:
            self.fields["indicator"].widget = forms.HiddenInput()
            only = next(iter(self.indicators.values()))
            self.fields["actual"].label = _("New actual value (%(unit)s)") % {"unit": only.unit}

    def clean(self):
        data = super().clean()
        wants_actual = data.get("actual") is not None and "indicator" in self.fields
        if wants_actual and data.get("indicator") not in self.indicators:
            self.add_error("indicator", _("Choose one of this task's indicators."))
        return data

    def changes(self) -> dict:
        data = self.cleaned_data
        changes = {
            "status": data["status"],
            "progress": data["progress"],
            "note": data.get("note", ""),
        }
        if data.get("actual") is not None:
            changes["indicator"] = self.indicators[data["indicator"]]
            changes["actual"] = data["actual"]
        return changes


class TaskEditForm(ProgressForm):
    """The task page's full edit form for the fields a bureau head keeps current."""

    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=KeyTask.Priority.choices, coerce=int
    )
    start_date = forms.DateField(label=_("Start date"), widget=DateInput)
    # The due date moves only through a deadline change (``DeadlineChangeForm``).
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why it changed, for the history and the next report session."),
    )

    FIELDS = ("status", "progress", "priority", "start_date")

    def __init__(self, *args, task: KeyTask, **kwargs):
        initial = kwargs.setdefault("initial", {})
        for name in self.FIELDS:
            initial.setdefault(name, getattr(task, name))
        super().__init__(*args, task=task, **kwargs)

    def clean(self):
        data = super().clean()
        start = data.get("start_date")
        if start and start > self.task.due_date:
            self.add_error(
                "start_date",
                _("The start date cannot be after the due date (%(date)s).")
                % {"date": self.task.due_date.isoformat()},
            )
        return data

    def changes(self) -> dict:
        changes = {name: self.cleaned_data[name] for name in self.FIELDS}
        changes["note"] = self.cleaned_data["note"]
        return changes


class MeasurementForm(VersionedForm):
    """A new actual value of one of the task's indicators, on the task page."""

    SERVICE_FIELDS = {"actual": "value"}

    indicator = forms.TypedChoiceField(label=_("Indicator"), coerce=int)
    as_of = forms.DateField(label=_("As of"), widget=DateInput)
    value = forms.DecimalField(
        label=_("Actual value"),
        max_digits=18,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, task: KeyTask, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("as_of", dates.today())
        super().__init__(*args, task=task, **kwargs)
        self.auto_id = f"task-{task.pk}-measurement-%s"
        # Read with the task for its page (``selectors.task_for_detail``), else here.
        indicators = getattr(task, "indicator_list", None)
        if indicators is None:
            indicators = task.indicators.all()
        self.indicators = {indicator.pk: indicator for indicator in indicators}
        self.fields["indicator"].choices = [
            (pk, f"{indicator.name} ({indicator.unit})")
            for pk, indicator in self.indicators.items()
        ]

    def clean_indicator(self) -> Indicator:
        pk = self.cleaned_data["indicator"]
        if pk not in self.indicators:
            raise ValidationError(_("Choose one of this task's indicators."))
        return pk

    def changes(self) -> dict:
        data = self.cleaned_data
        return {
            "indicator": self.indicators[data["indicator"]],
            "as_of": data["as_of"],
            "value": data["value"],
            "note": data["note"],
        }


class DeadlineChangeForm(VersionedForm):
    """Move the task's deadline or one milestone's, with the reason. Whether it takes
    effect at once or waits for approval is ``plans.deadlines``'s to say."""

    target = forms.TypedChoiceField(label=_("Deadline"), coerce=int, empty_value=0, required=False)
    new_due_date = forms.DateField(label=_("New due date"), widget=DateInput)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the deadline moves: the approver, the history and the public see it."),
    )

    def __init__(self, *args, task: KeyTask, **kwargs):
        super().__init__(*args, task=task, **kwargs)
        self.auto_id = f"task-{task.pk}-deadline-%s"
        self.milestones = {m.pk: m for m in task.milestones.all() if not m.is_done}
        self.fields["target"].choices = [(0, _("The key task"))] + [
            (pk, _("Milestone “%(title)s”") % {"title": m.title})
            for pk, m in self.milestones.items()
        ]

    def clean_target(self):
        target = self.cleaned_data.get("target") or 0
        if target and target not in self.milestones:
            raise ValidationError(_("Choose one of this task's milestones."))
        return target

    def changes(self) -> dict:
        data = self.cleaned_data
        return {
            "milestone": self.milestones.get(data["target"]),
            "new_due_date": data["new_due_date"],
            "reason": data["reason"],
        }


class DeadlineDecisionForm(forms.Form):
    """Approve or decline a deadline change, with an optional note."""

    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("decline", _("Decline"))], widget=forms.HiddenInput
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    @property
    def approves(self) -> bool:
        return self.cleaned_data.get("decision") == "approve"


class DeadlineWithdrawalForm(forms.Form):
    """Withdraw a deadline change before it is decided, saying why."""

    reason = forms.CharField(
        label=_("Why withdraw it"),
        max_length=500,
        error_messages={"required": _("Say why the request is withdrawn.")},
    )


class MilestoneForm(VersionedForm):
    done = forms.BooleanField(required=False)


# --- managing key tasks (the mayor's office and bureau heads) --------------------------


class OwnerChoiceField(ListChoiceField):
    """A bureau's person, by name."""

    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.username


def _owner_field() -> OwnerChoiceField:
    return OwnerChoiceField(
        label=_("Owner"),
        widget=LongSelect,
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("— no owner yet —"),
        error_messages={"invalid_choice": _("Choose the owner among the bureau's people.")},
    )


class TaskCreateForm(forms.Form):
    """A new key task, in a bureau the creator may manage."""

    sector = ListChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.none(),
        error_messages={
            "required": _("Choose the sector."),
            "invalid_choice": _("Choose a sector from the list."),
        },
    )
    bureau = BureauChoiceField(
        label=_("Owning bureau"),
        queryset=Bureau.objects.none(),
        error_messages={
            "required": _("Choose the bureau that will carry it out."),
            "invalid_choice": _("Choose a bureau from the list."),
        },
    )
    code = forms.CharField(
        label=_("Code"),
        max_length=30,
        help_text=_("As the plan numbers it, e.g. 1-12."),
        error_messages={"required": _("Give the task a code.")},
    )
    title_ko = forms.CharField(
        label=_("Title (Korean)"),
        max_length=300,
        error_messages={"required": _("Give the task a title.")},
    )
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    description_ko = forms.CharField(
        label=_("Description (Korean)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    pillar_ko = forms.CharField(label=_("Pillar (Korean)"), max_length=100, required=False)
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=KeyTask.Priority.choices,
        coerce=int,
        initial=KeyTask.Priority.MEDIUM,
    )
    start_date = forms.DateField(
        label=_("Start date"),
        widget=DateInput,
        error_messages={"invalid": _("Enter a date like 2025-01-15.")},
    )
    due_date = forms.DateField(
        label=_("Due date"),
        widget=DateInput,
        error_messages={"invalid": _("Enter a date like 2025-01-15.")},
    )
    owner = _owner_field()
    is_public = forms.BooleanField(label=_("Disclose to residents"), required=False)

    def __init__(self, *args, sectors, bureaus, owners, can_publish: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = sectors
        self.fields["bureau"].queryset = bureaus
        self.fields["owner"].queryset = owners
        if not can_publish:
            del self.fields["is_public"]

    def clean(self):
        data = super().clean()
        start, due = data.get("start_date"), data.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", _("The due date cannot be before the start date."))
        return data


class TaskDetailsForm(VersionedForm):
    """What the managers of a task decide: its title, description, pillar, owner and
    (the mayor's office) whether residents see it."""

    title_ko = TaskCreateForm.base_fields["title_ko"]
    title_en = TaskCreateForm.base_fields["title_en"]
    description_ko = TaskCreateForm.base_fields["description_ko"]
    pillar_ko = TaskCreateForm.base_fields["pillar_ko"]
    owner = _owner_field()
    is_public = TaskCreateForm.base_fields["is_public"]
    note = forms.CharField(label=_("Reason for the change"), required=False, max_length=500)

    FIELDS = ("title_ko", "title_en", "description_ko", "pillar_ko", "owner", "is_public")

    def __init__(self, *args, task: KeyTask, can_publish: bool, **kwargs):
        initial = kwargs.setdefault("initial", {})
        for name in self.FIELDS:
            initial.setdefault(name, getattr(task, name))
        super().__init__(*args, task=task, **kwargs)
        self.fields["owner"].queryset = task.bureau.people()
        self.can_publish = can_publish
        if not can_publish:
            del self.fields["is_public"]

    def with_version(self, version: int) -> TaskDetailsForm:
        data = self.data.copy()
        data["version"] = str(version)
        return TaskDetailsForm(data, task=self.task, can_publish=self.can_publish)

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS if name in self.fields}


class MilestoneAddForm(VersionedForm):
    title_ko = forms.CharField(
        label=_("Milestone (Korean)"),
        max_length=300,
        error_messages={"required": _("Give the milestone a title.")},
    )
    title_en = forms.CharField(label=_("Milestone (English)"), max_length=300, required=False)
    due_date = forms.DateField(
        label=_("Due date"),
        widget=DateInput,
        error_messages={
            "required": _("Give a due date."),
            "invalid": _("Enter a date like 2025-01-15."),
        },
    )

    def __init__(self, *args, task: KeyTask, prefix_id: str = "milestone-new", **kwargs):
        kwargs.setdefault("auto_id", f"{prefix_id}-%s")
        super().__init__(*args, task=task, **kwargs)

    def with_version(self, version: int):
        data = self.data.copy()
        data["version"] = str(version)
        return type(self)(data, task=self.task, auto_id=self.auto_id)


class MilestoneEditForm(MilestoneAddForm):
    note = forms.CharField(label=_("Reason for the change"), required=False, max_length=500)


class MilestoneMoveForm(VersionedForm):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class DropForm(VersionedForm):
    reason = forms.CharField(
        label=_("Why it is dropped"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the task is dropped.")},
    )


class KeyTaskFilterForm(forms.Form):
    """What every list of key tasks filters by, read from the query string so a view of
    the list can be shared. A value that cannot be read is dropped (the form says so),
    never an error page."""

    STATUS_LABEL = _("Status")
    ANY_STATUS = _("Any status")
    SORT_CHOICES: list[tuple[str, str]] = []

    status = forms.ChoiceField(required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].label = self.STATUS_LABEL
        self.fields["status"].choices = [("", self.ANY_STATUS), *KeyTask.Status.choices]
        self.fields["sort"].choices = self.SORT_CHOICES

    def readable(self) -> dict:
        """The values that could be read; those that could not are left out."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if name not in self.errors}

    def chosen_sort(self) -> str:
        return self.readable().get("sort") or KeyTaskQuerySet.DEFAULT_SORT


class MyTasksFilterForm(KeyTaskFilterForm):
    """The filters of My tasks."""

    SORT_CHOICES = [
        ("due", _("Due date, soonest first")),
        ("-due", _("Due date, latest first")),
        ("progress", _("Progress, lowest first")),
        ("-progress", _("Progress, highest first")),
        ("updated", _("Last update, newest first")),
        ("code", _("Task code")),
    ]

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Code, title or bureau")}),
    )
    sector = forms.TypedChoiceField(label=_("Sector"), required=False, coerce=int, empty_value=None)
    overdue = forms.BooleanField(label=_("Overdue"), required=False)
    due_soon = forms.BooleanField(label=_("Due within 14 days"), required=False)
    # "at_risk" in the URL: the bureau's own report, at risk or delayed.
    at_risk = forms.BooleanField(label=_("At risk or delayed"), required=False)

    field_order = ["q", "sector", "status", "sort", "overdue", "due_soon", "at_risk"]

    def __init__(self, *args, sectors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("All sectors"))] + [
            (sector.number, str(sector)) for sector in sectors
        ]

    def choice_fields(self):
        return [self[name] for name in ("sector", "status", "sort")]

    def flag_fields(self):
        return [self[name] for name in ("overdue", "due_soon", "at_risk")]

    def filters(self) -> MyTasksFilters:
        data = self.readable()
        return MyTasksFilters(
            q=(data.get("q") or "").strip(),
            overdue=bool(data.get("overdue")),
            due_soon=bool(data.get("due_soon")),
            reported_trouble=bool(data.get("at_risk")),
            sector=data.get("sector"),
            status=data.get("status") or "",
            sort=self.chosen_sort(),
        )
