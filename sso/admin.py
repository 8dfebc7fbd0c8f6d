from django.contrib import admin

from plans.admin import RecordAdmin

from .models import DirectoryChange


@admin.register(DirectoryChange)
class DirectoryChangeAdmin(RecordAdmin):
    """What single sign-on changed in people's bureaus and roles, and why."""

    list_display = [
        "changed_at",
        "username",
        "field",
        "old_value",
        "new_value",
        "source",
        "directory_value",
    ]
    list_filter = ["field", "source", "changed_at"]
    search_fields = ["username", "old_value", "new_value", "directory_value"]
    date_hierarchy = "changed_at"
