"""A URL configuration with a view that fails on anything but what its form offers:
the hostile-input test's own test (test_harness.py) must catch it."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, HttpResponseServerError
from django.urls import path


@login_not_required
def fragile(request):
    value = request.GET.get("q", request.POST.get("q", "a"))
    if value != "a":
        raise ValueError("cannot read q")
    return HttpResponse("ok")


@login_not_required
def answers_500(request):
    return HttpResponseServerError("no")


urlpatterns = [
    path("fragile/", fragile, name="fragile"),
    path("answers-500/", answers_500, name="answers_500"),
]
