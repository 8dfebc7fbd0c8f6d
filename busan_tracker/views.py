"""The site's own endpoints (the pages belong to the apps): sign-in landing each person
on their own work, the icon, and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import health
from .navigation import start_page


class SignInView(LoginView):
    def get_default_redirect_url(self) -> str:
        return start_page(self.request.user)


@login_not_required
def favicon(request):
    return redirect(static("favicon.ico"), permanent=True)


@login_not_required
@never_cache
@require_safe
def healthz(request):
    """For the load balancer and city IT's monitoring: 200 when this server can serve
    pages, 503 when not; every check's state in the body, as text lines
    (``database: ok (1.2 ms)``) or, with ``?format=json`` or ``Accept: application/json``,
    as JSON."""
    outcomes = health.run_checks()
    status = 200 if health.healthy(outcomes) else 503
    if request.GET.get("format") == "json" or "application/json" in request.headers.get(
        "Accept", ""
    ):
        body = {
            "status": "ok" if status == 200 else "failing",
            "checks": {
                o.name: {"state": o.state, "detail": o.detail, "ms": o.milliseconds}
                for o in outcomes
            },
        }
        return JsonResponse(body, status=status)
    lines = [
        f"{o.name}: {o.state}" + (f", {o.detail}" if o.detail else "") + f" ({o.milliseconds} ms)"
        for o in outcomes
    ]
    return HttpResponse(
        "\n".join(lines) + "\n", status=status, content_type="text/plain; charset=utf-8"
    )
