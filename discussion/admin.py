"""Comments and evidence files in the admin: read-only and never deleted (they stay on
record; withdrawing is the author's, on the task page)."""

from django.contrib import admin

from plans.admin import RecordAdmin

from .models import Attachment, Comment


@admin.register(Comment)
class CommentAdmin(RecordAdmin):
    list_display = ["task", "author", "created_at", "withdrawn_at"]
    list_select_related = ["task", "author"]
    search_fields = ["body", "task__code"]


@admin.register(Attachment)
class AttachmentAdmin(RecordAdmin):
    list_display = ["name", "task", "uploaded_by", "uploaded_at", "size", "withdrawn_at"]
    list_select_related = ["task", "uploaded_by"]
    search_fields = ["name", "task__code", "sha256"]
