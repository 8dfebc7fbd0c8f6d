"""City IT's side of signing in: the sign-in audit (read, never edited or deleted) and
the sign-in locks (seen, and lifted when a colleague cannot wait for the lock to end)."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from plans.admin import RecordAdmin

from . import audit
from .models import SignInEvent


@admin.register(SignInEvent)
class SignInEventAdmin(RecordAdmin):
    list_display = ["at", "kind", "username", "user", "address", "by"]
    list_filter = ["kind", "at"]
    list_select_related = ["user", "by"]
    search_fields = ["username", "user__last_name", "=address"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in SignInEvent._meta.fields]


# The sign-in audit above is the record; axes' own logs stay off (AXES_DISABLE_ACCESS_LOG).
for model in (AccessLog, AccessFailureLog):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class SignInLockAdmin(AccessAttemptAdmin):
    """Failed sign-ins counted per account and address; at the limit they lock. Lifting
    a lock deletes its counter, and the audit records who lifted it."""

    actions = ["lift_locks", *AccessAttemptAdmin.actions]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Lift the selected sign-in locks"), permissions=["delete"])
    def lift_locks(self, request, queryset):
        count = len(queryset)
        self.delete_queryset(request, queryset)
        self.message_user(
            request,
            ngettext("%(count)d lock lifted.", "%(count)d locks lifted.", count) % {"count": count},
            messages.SUCCESS,
        )

    def delete_model(self, request, obj):
        self._record_lifted(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self._record_lifted(request, list(queryset))
        super().delete_queryset(request, queryset)

    @staticmethod
    def _record_lifted(request, attempts):
        for attempt in attempts:
            audit.record(
                SignInEvent.Kind.LOCK_LIFTED,
                username=attempt.username or "",
                by=request.user,
                address=attempt.ip_address,
            )
