from django.contrib import admin

from plans.admin import kept_on_record

from .models import AgendaItem, Directive, ReportSession, SessionChange


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["order", "bureau", "title_ko", "title_en", "starts_at", "ends_at"]
    autocomplete_fields = ["bureau"]


class DirectiveInline(admin.TabularInline):
    model = Directive
    extra = 0
    fields = ["text", "bureau", "due_date", "key_task", "issued_by"]
    readonly_fields = ["key_task", "issued_by"]
    show_change_link = True
    # The Mayor's decisions stay on record.
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # A directive is created with its follow-up key task from the session page.
        return False


class SessionChangeInline(admin.TabularInline):
    """The session's recorded changes, to read: they are written by the tracker only."""

    model = SessionChange
    extra = 0
    fields = ["changed_at", "changed_by", "version", "kind", "old_value", "new_value", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReportSession)
class ReportSessionAdmin(admin.ModelAdmin):
    list_display = ["sector", "starts_at", "ends_at", "venue_ko", "assumed_fields"]
    list_filter = ["sector__plan", "sector"]
    list_select_related = ["sector"]
    search_fields = ["venue_ko", "venue_en", "theme_ko", "theme_en", "minutes"]
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline, DirectiveInline, SessionChangeInline]

    def has_delete_permission(self, request, obj=None):
        # A session with minutes or directives stays on record.
        if obj is not None and (obj.is_on_record() or kept_on_record(obj)):
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        # Deleting several at once: the sessions with minutes are listed as protected.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = [*protected, *(session for session in objs if session.is_on_record())]
        return deleted, counts, perms_needed, protected


@admin.register(Directive)
class DirectiveAdmin(admin.ModelAdmin):
    list_display = ["text", "session", "bureau", "due_date", "key_task"]
    list_filter = ["session__sector", "bureau"]
    list_select_related = ["session__sector", "bureau", "key_task"]
    search_fields = ["text", "key_task__code", "bureau__name_ko"]
    autocomplete_fields = ["bureau"]
    readonly_fields = ["key_task", "issued_by", "session"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # The Mayor's decisions stay on record.
        return False
