"""The benchmark's yardstick: the least a Django view can do behind the same middleware
(session, authentication, language, CSRF, messages) the real pages run through."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse


# Open without signing in so the bench can tell gunicorn is up; a signed-in request (all
# the measured ones) passes the sign-in check exactly as a page does.
@login_not_required
def baseline(request):
    return HttpResponse(b"ok", content_type="text/plain")
