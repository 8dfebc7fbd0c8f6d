"""Headers every answer carries: the Content-Security-Policy (settings), and for anything
a signed-in user sees (pages, fragments, exports) ``Cache-Control: no-store``, so a shared
office PC's browser cache or back button keeps nothing of it after signing out."""

from __future__ import annotations

from django.conf import settings
from django.utils.cache import add_never_cache_headers


def policy_header(policy: dict[str, str]) -> str:
    return "; ".join(f"{directive} {sources}".strip() for directive, sources in policy.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = policy_header(settings.CONTENT_SECURITY_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Content-Security-Policy", self.policy)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
