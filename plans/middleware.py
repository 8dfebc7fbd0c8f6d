from django.conf import settings
from django.contrib import messages
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.utils import translation
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh

from .languages import language_of
from .permissions import PlanClosed
from .redirects import same_site_path


class UserLanguageMiddleware:
    """Which language a page is in, most specific choice first:

    1. the language cookie — the switch in the header was used in this browser
       (Django's LocaleMiddleware, which runs before this, has already applied it);
    2. the signed-in user's saved language (``Profile.language``; the switch saves it
       too, so it follows them to every device);
    3. Korean (``LANGUAGE_CODE``), whatever the browser's Accept-Language says.

    Why not Accept-Language: this is the City of Busan's own tool and its working
    language is Korean. Office PCs and phones often run an English OS or browser, so
    Accept-Language says more about who installed the machine than about the reader;
    a Busan official must not land on an English page because of it. Anyone who wants
    English picks it once and the cookie (and their profile) remembers it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = self.chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        return self.get_response(request)

    @staticmethod
    def chosen_language(request) -> str:
        languages = dict(settings.LANGUAGES)
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if cookie in languages:
            return cookie
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return language_of(user)
        return settings.LANGUAGE_CODE


class SignInRequiredMiddleware(LoginRequiredMiddleware):
    """Every page needs a signed-in city user unless its view is marked
    ``login_not_required`` (the home page, the public disclosure page, sign-in, the
    language switch). One mechanism for every app, and it knows HTMX: a fragment asked
    for by a page whose session expired is answered with ``HX-Redirect``, so the browser
    loads the sign-in page in the window instead of swapping it into a table row, and
    comes back to the page the visitor was on."""

    def handle_no_permission(self, request, view_func):
        if not getattr(request, "htmx", False):
            return super().handle_no_permission(request, view_func)
        back = same_site_path(request.headers.get("HX-Current-URL"), request.get_host())
        login = redirect_to_login(back or request.get_full_path(), self.get_login_url(view_func))
        return HttpResponseClientRedirect(login.url)


class PlanClosedMiddleware:
    """A change refused because its plan is closed (``permissions.PlanClosed``): the 403
    page says why; an HTMX request (a form left open on a page read before the plan was
    closed) reloads the page instead, which shows the plan read-only, with the reason
    as a message. htmx does not swap a 403, so without this nothing would be seen."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PlanClosed) and getattr(request, "htmx", False):
            messages.error(request, str(exception))
            return HttpResponseClientRefresh()
        return None
