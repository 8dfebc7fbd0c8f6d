"""The two steps of signing in through the city's OpenID provider: off to the provider,
and back with a code. Both answer 404 while OpenID Connect is off."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import resolve_url
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from . import openid
from .ways_in import ways_in

FAILURES = {
    openid.UNAVAILABLE: _(
        "The city's sign-in service did not answer. Try again in a few minutes; if it keeps "
        "happening, tell city IT."
    ),
    openid.REFUSED: _(
        "Signing in with the city account did not succeed. Please try again; if it keeps "
        "happening, tell city IT."
    ),
    openid.NOT_ADMITTED: _(
        "Your city account is not admitted to the work-plan tracker. If you need it for "
        "your work, ask city IT to add you."
    ),
    openid.EXPIRED: _("That sign-in link had expired or was already used. Please sign in again."),
}


class CityAccountCallback(OIDCAuthenticationCallbackView):
    def get(self, request):
        if request.GET.get("error"):
            # The person cancelled at the provider, or the provider refused the request.
            openid.note_failure(request, openid.REFUSED)
        elif "code" in request.GET and request.GET.get("state") not in request.session.get(
            "oidc_states", {}
        ):
            # A link from an old tab, a second use, or one made for another browser.
            openid.note_failure(request, openid.EXPIRED)
            return self.login_failure()
        return super().get(request)

    def login_failure(self):
        reason = getattr(self.request, "city_account_failure", openid.REFUSED)
        messages.error(self.request, FAILURES[reason])
        back = self.request.session.get("oidc_login_next")
        if back:
            return redirect_to_login(back)
        return redirect_to_login(resolve_url(settings.LOGIN_REDIRECT_URL))


def provider_only(view):
    @login_not_required
    @require_safe
    def guarded(request):
        if not ways_in().provider:
            raise Http404
        return view(request)

    return guarded


oidc_start = provider_only(OIDCAuthenticationRequestView.as_view())
oidc_callback = provider_only(CityAccountCallback.as_view())
