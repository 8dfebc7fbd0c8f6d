import os

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from api.urls import api_v1
from review.views import home

from .views import SignInView, favicon, healthz

urlpatterns = [
    path("", home, name="home"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin, files).
    path("favicon.ico", favicon, name="favicon"),
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("", include("sso.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("", include("plans.urls")),
    path("", include("review.urls")),
    path("", include("reminders.urls")),
    path("", include("meetings.urls")),
    path("", include("planning.urls")),
    path("", include("discussion.urls")),
    path("", include("inbox.urls")),
    path("", include("api.urls")),
    path("api/v1/", api_v1),
    path("", include("bulk.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]

# The benchmark's baseline view (bench/run.py), only when the benchmark asks for it.
if os.environ.get("BUSAN_BENCH") == "1":
    urlpatterns.append(path("bench/", include("bench.urls")))
