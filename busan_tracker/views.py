"""The sign-in view (Django's, landing each person on their own work) and the icon."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect
from django.templatetags.static import static

from .navigation import start_page


class SignInView(LoginView):
    def get_default_redirect_url(self) -> str:
        return start_page(self.request.user)


@login_not_required
def favicon(request):
    return redirect(static("favicon.ico"), permanent=True)
