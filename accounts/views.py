"""Sign-in's companions: the page a locked-out sign-in gets, password change for every
signed-in person, and password reset by email. Each writes the sign-in audit."""

from __future__ import annotations

from axes.utils import reset as lift_lock
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plans.redirects import same_site_path

from . import audit
from .forms import CityPasswordResetForm, valid_minutes
from .models import SignInEvent

Kind = SignInEvent.Kind


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def locked_out(request, original_response=None, credentials=None):
    """What axes answers instead of the sign-in page once a lock is on: the same page,
    the user name kept, saying why and for how long (HTTP 429)."""
    username = request.POST.get("username", "")[:150]
    minutes = lockout_minutes()
    context = {
        "form": AuthenticationForm(request, initial={"username": username}),
        "next": same_site_path(request.POST.get("next"), request.get_host()) or "",
        "locked_out": ngettext(
            "Too many failed sign-ins for this account or from this computer. Signing in "
            "is paused for %(minutes)s minute. If you cannot wait, ask city IT to lift "
            "the lock.",
            "Too many failed sign-ins for this account or from this computer. Signing in "
            "is paused for %(minutes)s minutes. If you cannot wait, ask city IT to lift "
            "the lock.",
            minutes,
        )
        % {"minutes": minutes},
    }
    return render(request, "registration/login.html", context, status=429)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(Kind.PASSWORD_CHANGED, request=self.request, user=form.user)
        messages.success(self.request, _("Your password has been changed."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = CityPasswordResetForm
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        form.save(request=self.request, token_generator=self.token_generator)
        messages.info(
            self.request,
            _(
                "If an account has this email address, a link to set a new password is "
                "on its way. The link works for %(minutes)s minutes."
            )
            % {"minutes": valid_minutes()},
        )
        return super(auth_views.PasswordResetView, self).form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(Kind.PASSWORD_RESET, request=self.request, user=form.user)
        # Whoever reads the account's email has proved it is theirs: the account's own
        # lock (not the address's) is lifted.
        lift_lock(username=form.user.get_username())
        messages.success(self.request, _("Your new password is set. Sign in with it."))
        return response
