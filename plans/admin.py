from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import router
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import cache, measurements, permissions, services
from .models import (
    AdministrationGoal,
    Bureau,
    DeadlineChange,
    Indicator,
    KeyTask,
    Measurement,
    MeasurementRevision,
    Milestone,
    Profile,
    Sector,
    StatusUpdate,
    WorkPlan,
)

User = get_user_model()


class RecordAdmin(admin.ModelAdmin):
    """Records the product writes (history, reminders, public revisions): City IT reads
    and searches them; nobody edits or deletes one."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ClosedPlanReadOnly:
    """A closed plan is the record of its year (``permissions.accepts_changes``): its key
    tasks, milestones, indicators and figures are shown here, not changed. ``obj`` is
    the key task or indicator (for an inline, the one it sits in)."""

    @staticmethod
    def _on_record(obj) -> bool:
        return obj is not None and not permissions.accepts_changes(obj.plan)

    def has_change_permission(self, request, obj=None):
        return not self._on_record(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._on_record(obj) and super().has_delete_permission(request, obj)


class ClosedPlanReadOnlyInline(ClosedPlanReadOnly):
    def has_add_permission(self, request, obj=None):
        return not self._on_record(obj) and super().has_add_permission(request, obj)


def kept_on_record(obj) -> bool:
    """Whether deleting ``obj`` would take something on record with it (history, a
    published figure, a directive…): the admin then offers no delete."""
    collector = NestedObjects(using=router.db_for_write(type(obj)))
    collector.collect([obj])
    return bool(collector.protected)


class AdministrationGoalInline(admin.TabularInline):
    model = AdministrationGoal
    extra = 0


class SectorInline(admin.TabularInline):
    model = Sector
    extra = 0
    fields = ["number", "name_ko", "name_en", "theme_ko", "theme_en"]


@admin.register(WorkPlan)
class WorkPlanAdmin(admin.ModelAdmin):
    list_display = ["year", "core_goal_ko", "administration_ko"]
    search_fields = ["core_goal_ko", "core_goal_en", "vision_ko"]
    inlines = [AdministrationGoalInline, SectorInline]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["number", "name_ko", "name_en", "plan"]
    list_filter = ["plan"]
    search_fields = ["name_ko", "name_en", "theme_ko", "theme_en"]


class SubBureauInline(admin.TabularInline):
    model = Bureau
    fk_name = "parent"
    extra = 0
    fields = ["code", "kind", "name_ko", "name_en", "head"]
    autocomplete_fields = ["head"]
    show_change_link = True


class MemberInline(admin.TabularInline):
    model = Profile
    extra = 0
    fields = ["user", "is_mayors_office", "language", "phone"]
    autocomplete_fields = ["user"]


@admin.register(Bureau)
class BureauAdmin(admin.ModelAdmin):
    list_display = ["name_ko", "name_en", "kind", "parent", "head", "directory_code"]
    list_filter = ["kind"]
    list_select_related = ["parent", "head"]
    search_fields = [
        "code",
        "directory_code",
        "name_ko",
        "name_en",
        "head__username",
        "head__last_name",
    ]
    autocomplete_fields = ["parent", "head"]
    inlines = [SubBureauInline, MemberInline]


DEADLINE_HELP = _(
    "Set when it is created; after that it moves only through a deadline change on the "
    "key task's page (“Move a deadline”), with its reason and approval, so the adopted "
    "date and the slip stay on record."
)


class MilestoneAdminForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["order", "title_ko", "title_en", "due_date", "done_on"]
        help_texts = {"due_date": DEADLINE_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A disabled field keeps its value whatever is posted (plans.deadlines moves it).
            self.fields["due_date"].disabled = True


class MilestoneInline(ClosedPlanReadOnlyInline, admin.TabularInline):
    model = Milestone
    form = MilestoneAdminForm
    extra = 0
    fields = ["order", "title_ko", "title_en", "due_date", "baseline_due_date", "done_on"]
    readonly_fields = ["baseline_due_date"]


class IndicatorInline(ClosedPlanReadOnlyInline, admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["code", "name_ko", "unit_ko", "baseline", "target", "target_date", "is_public"]
    show_change_link = True


class StatusUpdateInline(admin.TabularInline):
    model = StatusUpdate
    extra = 0
    can_delete = False
    fields = [
        "changed_at",
        "changed_by",
        "kind",
        "milestone",
        "indicator",
        "as_of",
        "old_value",
        "new_value",
        "note",
    ]
    readonly_fields = fields
    ordering = ["-changed_at", "-id"]

    def has_add_permission(self, request, obj=None):
        return False


class KeyTaskAdminForm(forms.ModelForm):
    # The version the admin user saw; a save against a newer version is refused.
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = KeyTask
        fields = "__all__"  # noqa: DJ007 - the ModelAdmin picks the fields shown
        help_texts = {"due_date": DEADLINE_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("seen_version")
        if self.instance.pk and seen is not None and seen != self.instance.version:
            raise forms.ValidationError(
                _(
                    "Someone else changed this key task while you were editing it. "
                    "Reload the page to see their change."
                )
            )
        return cleaned


class HeadquartersFilter(admin.SimpleListFilter):
    """A headquarters (a bureau at the top of the city's tree) and every bureau under
    it: forty links, where a link for each of the 400 bureaus took the list 0.1 s."""

    title = _("bureau")
    parameter_name = "headquarters"

    def lookups(self, request, model_admin):
        top = Bureau.objects.filter(parent__isnull=True).order_by("path")
        return cache.cached_list(
            cache.list_key("bureaus", "admin: headquarters"),
            lambda: [(str(bureau.pk), bureau.name) for bureau in top.only("name_ko", "name_en")],
        )

    def queryset(self, request, queryset):
        value = self.value() or ""
        chosen = Bureau.objects.filter(pk=int(value)).first() if value.isdigit() else None
        if chosen is None:
            return queryset
        return queryset.filter(bureau__path__startswith=chosen.path)


class SectorFilter(admin.RelatedFieldListFilter):
    """Every year's sectors, the list kept in the cache until a sector changes (as the
    headquarters', until a bureau changes): the key task list's filters read nothing
    from the database."""

    def field_choices(self, field, request, model_admin):
        read = super().field_choices
        return cache.cached_list(
            cache.list_key("sectors", "admin: sectors"),
            lambda: read(field, request, model_admin),
        )


class KeyTaskChangeList(ChangeList):
    # The list reads its columns and the names of a task's sector, bureau and owner
    # (their __str__), not the descriptions and the rest: a third of loading the page.
    shown = [
        "sector__number",
        "sector__name_ko",
        "sector__name_en",
        "bureau__name_ko",
        "bureau__name_en",
        "owner__username",
    ]

    # The filters' markup (``filters`` in the list's template) is kept as long as the
    # lists it offers, and under what it is made of besides the language.
    filters_kept_seconds = cache.FIGURES_SECONDS

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        return queryset.only(*self.list_display, *self.shown)

    @property
    def filters_kept_under(self) -> tuple:
        # The list's query (each link's address, which choice is chosen; not the page)
        # and the sector and headquarters lists (SectorFilter, HeadquartersFilter).
        generations = (cache.generation("sectors"), cache.generation("bureaus"))
        return (self.get_query_string(), *generations)


@admin.register(KeyTask)
class KeyTaskAdmin(ClosedPlanReadOnly, admin.ModelAdmin):
    form = KeyTaskAdminForm
    list_display = [
        "code",
        "title_ko",
        "sector",
        "bureau",
        "owner",
        "status",
        "progress",
        "due_date",
        "is_public",
    ]
    list_filter = [
        "status",
        ("sector", SectorFilter),
        "priority",
        "is_public",
        HeadquartersFilter,
    ]
    list_select_related = ["sector", "bureau", "owner"]
    # "N of 20,000" needs a second count of the whole table on every page.
    show_full_result_count = False
    search_fields = ["code", "title_ko", "title_en", "pillar_ko", "pillar_en", "owner__username"]
    autocomplete_fields = ["bureau", "owner"]
    # A plan's tasks by code: the (plan, code) index gives a page of 20,000 tasks
    # without sorting them all (by sector number it took 28 ms). No date hierarchy:
    # its two scans of the whole table cost more than the page; due dates sort instead.
    ordering = ["plan_id", "code"]
    list_per_page = 50
    readonly_fields = [
        "version",
        "updated_at",
        "updated_by",
        "baseline_due_date",
        "deadline_moves",
    ]
    inlines = [MilestoneInline, IndicatorInline, StatusUpdateInline]

    def get_changelist(self, request, **kwargs):
        return KeyTaskChangeList

    def has_delete_permission(self, request, obj=None):
        # A key task stays on record with its history: drop it (status "dropped") instead.
        return False

    def get_readonly_fields(self, request, obj=None):
        # A key task's deadline is set when it is created; after that it moves only
        # through plans.deadlines, with its reason and approval, never here.
        fields = list(super().get_readonly_fields(request, obj))
        return fields if obj is None else ["due_date", "deadline_changes", *fields]

    @admin.display(description=_("deadline changes"))
    def deadline_changes(self, task):
        return format_html(
            '<a href="{}#deadline-title">{}</a>',
            reverse("plans:task_detail", args=[task.pk]),
            _("Move a deadline on the key task's page"),
        )

    def save_model(self, request, obj, form, change):
        # Admin edits go through the same services as every other edit, so they are
        # recorded in the history and cannot overwrite a concurrent change.
        if not change:
            obj.updated_by = request.user
            super().save_model(request, obj, form, change)
            services.record_creation(obj, by=request.user, origin=StatusUpdate.Origin.ADMIN)
            return
        editable = set(services.TRACKED_FIELDS)
        changes = {f: form.cleaned_data[f] for f in form.changed_data if f in editable}
        services.update_key_task(
            KeyTask.objects.get(pk=obj.pk),
            by=request.user,
            expected_version=form.cleaned_data.get("seen_version") or obj.version,
            note=str(_("Edited in the admin")),
            **changes,
        )


class MeasurementAdminForm(forms.ModelForm):
    # Residents see why a published figure moved: the admin must say so too.
    public_reason = forms.CharField(
        label=_("public reason for a revision"), required=False, max_length=500
    )

    class Meta:
        model = Measurement
        fields = ["as_of", "value", "state", "is_assumed", "note"]

    def clean(self):
        cleaned = super().clean()
        original = self.instance
        published = original.pk and original.is_published
        if published and self.has_changed():
            if cleaned.get("state") not in Measurement.PUBLISHED_STATES:
                raise forms.ValidationError(
                    _("A published figure cannot go back to provisional; revise it instead.")
                )
            if cleaned.get("value") != original.value and not cleaned.get("public_reason"):
                raise forms.ValidationError(
                    _("Say why a published figure is revised: residents will see it.")
                )
        return cleaned


class MeasurementFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        # Django skips the checks of rows marked for deletion, so this one lives here.
        for row in self.deleted_forms:
            if row.instance.pk and row.instance.is_published:
                raise forms.ValidationError(
                    _("A published figure stays on record; revise it instead of deleting it.")
                )


class MeasurementInline(ClosedPlanReadOnlyInline, admin.TabularInline):
    model = Measurement
    form = MeasurementAdminForm
    formset = MeasurementFormSet
    extra = 0
    fields = ["as_of", "value", "state", "is_assumed", "note", "public_reason"]


@admin.register(Indicator)
class IndicatorAdmin(ClosedPlanReadOnly, admin.ModelAdmin):
    list_display = ["code", "name_ko", "sector", "unit_ko", "target", "target_date", "is_public"]
    list_filter = ["sector", "is_public", "direction"]
    list_select_related = ["sector"]
    search_fields = ["code", "name_ko", "name_en", "definition_ko", "source_ko"]
    autocomplete_fields = ["task"]
    inlines = [MeasurementInline]

    def has_delete_permission(self, request, obj=None):
        # Published figures (and the history naming the indicator) keep it on record.
        if obj is not None and kept_on_record(obj):
            return False
        return super().has_delete_permission(request, obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Measurement:
            return super().save_formset(request, form, formset, change)
        # Changed figures go through the measurement service, which keeps the public
        # revision log of published figures.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            if not row.has_changed() or row in formset.deleted_forms:
                continue
            data = row.cleaned_data
            if row.instance.pk:
                measurements.revise_measurement(
                    row.instance,
                    by=request.user,
                    value=data["value"],
                    state=data["state"],
                    reason=data.get("public_reason", ""),
                )
                Measurement.objects.filter(pk=row.instance.pk).update(
                    as_of=data["as_of"], is_assumed=data["is_assumed"], note=data["note"]
                )
                formset.changed_objects.append((row.instance, row.changed_data))
            else:
                created = measurements.record_measurement(
                    form.instance,
                    by=request.user,
                    as_of=data["as_of"],
                    value=data["value"],
                    state=data["state"],
                    note=data["note"],
                )
                formset.new_objects.append(created)
        for row in formset.deleted_forms:
            if row.instance.pk:
                row.instance.delete()
                formset.deleted_objects.append(row.instance)


@admin.register(DeadlineChange)
class DeadlineChangeAdmin(RecordAdmin):
    """Deadline changes are asked and decided on the task page and in the queue
    (``plans.deadlines``); here City IT reads them."""

    list_display = [
        "requested_at",
        "task",
        "milestone",
        "old_due_date",
        "new_due_date",
        "state",
        "awaiting",
        "requested_by",
        "decided_by",
    ]
    list_filter = ["state", "awaiting", "needs"]
    list_select_related = ["task", "milestone", "requested_by", "decided_by"]
    search_fields = ["task__code", "task__title_ko", "reason", "requested_by__username"]
    date_hierarchy = "requested_at"


@admin.register(StatusUpdate)
class StatusUpdateAdmin(RecordAdmin):
    list_display = ["changed_at", "task", "kind", "old_value", "new_value", "changed_by"]
    list_filter = ["kind", "changed_at"]
    list_select_related = ["task", "changed_by"]
    search_fields = ["task__code", "task__title_ko", "note", "changed_by__username"]
    date_hierarchy = "changed_at"


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    autocomplete_fields = ["bureau"]


admin.site.unregister(User)


def _people_fieldsets():
    fieldsets = []
    for title, options in BaseUserAdmin.fieldsets:
        if "is_active" in options["fields"]:
            options = {
                **options,
                "description": _(
                    "People who have worked in the tracker cannot be deleted: their history, "
                    "figures, directives and sign-ins stay on record under their name. To end "
                    "someone's access, untick “Active” (or use the action “Deactivate”)."
                ),
            }
        fieldsets.append((title, options))
    return fieldsets


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "bureau"]
    list_select_related = ["profile__bureau"]
    list_filter = [*BaseUserAdmin.list_filter, "profile__is_mayors_office", "profile__bureau"]
    fieldsets = _people_fieldsets()
    actions = ["deactivate"]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and kept_on_record(obj):
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=_("Deactivate the selected people (they can no longer sign in)"))
    def deactivate(self, request, queryset):
        count = queryset.filter(is_active=True).update(is_active=False)
        self.message_user(
            request,
            ngettext("%(count)d person deactivated.", "%(count)d people deactivated.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.display(description=_("bureau"))
    def bureau(self, user):
        profile = getattr(user, "profile", None)
        return profile.bureau if profile else None


@admin.register(MeasurementRevision)
class MeasurementRevisionAdmin(RecordAdmin):
    """The public log of revised published figures: read here, written only by
    ``plans.measurements.revise_measurement``."""

    list_display = ["revised_at", "measurement", "old_value", "new_value", "reason", "revised_by"]
    list_select_related = ["measurement__indicator", "revised_by"]
    search_fields = ["measurement__indicator__code", "reason"]
