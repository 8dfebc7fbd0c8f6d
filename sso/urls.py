from django.urls import path

from . import views

app_name = "sso"

urlpatterns = [
    # The address city IT registers with the provider is the callback's:
    # https://<the tracker>/accounts/city/callback/
    path("accounts/city/", views.oidc_start, name="oidc_start"),
    path("accounts/city/callback/", views.oidc_callback, name="oidc_callback"),
]
