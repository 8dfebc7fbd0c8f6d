from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from plans.admin import RecordAdmin

from . import health, subjects
from .models import NotificationPreference, NotificationSettingChange, ReminderLog


@admin.register(ReminderLog)
class ReminderLogAdmin(RecordAdmin):
    """The reminder log is written by the sweep; the admin reads it to answer "was it
    sent, and if not, why?" — editing a row could send a reminder twice, so none can."""

    list_display = [
        "created_at",
        "subject",
        "kind_label",
        "deadline",
        "recipient",
        "state",
        "attempts",
        "sent_at",
        "short_error",
        "acknowledged_by",
    ]
    list_filter = ["state", "kind", "subject_type", "deadline", "send_on"]
    list_select_related = ["recipient", "acknowledged_by"]
    search_fields = [
        "recipient__username",
        "recipient__email",
        "recipient__last_name",
        "reason",
        "last_error",
        "=subject_id",
    ]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in ReminderLog._meta.fields]

    def changelist_view(self, request, extra_context=None):
        # The heartbeat heads the log: whether reminders are going out at all is the
        # first question city IT brings here.
        extra_context = {**(extra_context or {}), "reminder_health": health.reminder_health()}
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("subject"))
    def subject(self, row):
        return row.subject_key

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, row):
        return subjects.kind_label(row.kind)

    @admin.display(description=_("error"))
    def short_error(self, row):
        return row.last_error[:80]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(RecordAdmin):
    """Each person chooses on their own email settings page; city IT reads the choice
    when someone asks why their reminders came as one email."""

    list_display = ["user", "delivery", "changed_at"]
    list_filter = ["delivery"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email"]


@admin.register(NotificationSettingChange)
class NotificationSettingChangeAdmin(RecordAdmin):
    """Every change of a person's notification setting (who, when, from what to what),
    written by ``reminders.daily.set_delivery``: read here, never edited or deleted."""

    list_display = ["changed_at", "person", "old_delivery", "new_delivery", "changed_by"]
    list_filter = ["new_delivery", "changed_at"]
    list_select_related = ["person", "changed_by"]
    search_fields = ["person__username", "person__last_name", "person__email"]
    date_hierarchy = "changed_at"
    readonly_fields = [f.name for f in NotificationSettingChange._meta.fields]
