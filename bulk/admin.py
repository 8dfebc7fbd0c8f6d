"""City IT reads the uploads of the Excel round trip (who, when, what the check found,
what was applied); nobody edits or deletes one."""

from django.contrib import admin

from plans.admin import RecordAdmin

from .models import BulkUpload


@admin.register(BulkUpload)
class BulkUploadAdmin(RecordAdmin):
    list_display = ["file_name", "uploaded_by", "uploaded_at", "state", "rows", "applied_tasks"]
    list_filter = ["state", "uploaded_at"]
    list_select_related = ["uploaded_by"]
    search_fields = ["file_name", "uploaded_by__username", "uploaded_by__last_name"]
    exclude = ["content"]
    readonly_fields = [f.name for f in BulkUpload._meta.fields if f.name != "content"]
