"""City IT sees every person's API tokens and revokes them (never deletes: the record
says who made a token, when it was last used and who revoked it)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at", "created_at"]
    list_select_related = ["user", "revoked_by"]
    search_fields = ["name", "user__username", "user__last_name", "=prefix"]
    readonly_fields = [f.name for f in ApiToken._meta.fields if f.name != "digest"]
    exclude = ["digest"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        # A token is made by its person, who sees it once (the tokens page).
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected API tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            services.revoke_token(token, by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", len(tokens))
            % {"count": len(tokens)},
            messages.SUCCESS,
        )
