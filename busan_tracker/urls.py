import os

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("plans.urls")),
    path("", include("reminders.urls")),
    path("", include("meetings.urls")),
    path("admin/", admin.site.urls),
]

# The benchmark's baseline view (bench/run.py), only when the benchmark asks for it.
if os.environ.get("BUSAN_BENCH") == "1":
    urlpatterns.append(path("bench/", include("bench.urls")))
