from django.contrib import admin

from .models import AgendaItem, Directive, ReportSession


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

    def has_add_permission(self, request, obj=None):
        # A directive is created with its follow-up key task from the session page.
        return False


@admin.register(ReportSession)
class ReportSessionAdmin(admin.ModelAdmin):
    list_display = ["sector", "starts_at", "ends_at", "venue_ko", "assumed_fields"]
    list_filter = ["sector__plan", "sector"]
    list_select_related = ["sector"]
    search_fields = ["venue_ko", "venue_en", "theme_ko", "theme_en", "minutes"]
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline, DirectiveInline]


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
