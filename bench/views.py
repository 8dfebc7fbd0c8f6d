"""The benchmark's yardstick: the least a Django view can do behind the same middleware
(session, authentication, language, CSRF, messages) the real pages run through."""

from django.http import HttpResponse


def baseline(request):
    return HttpResponse(b"ok", content_type="text/plain")
