from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import views
from .endpoints import api

app_name = "api"

# Each API call signs in with its token (endpoints.TokenAuth), not the session: the
# site's sign-in requirement (plans.middleware) leaves them to it.
# busan_tracker/urls.py mounts them at /api/v1/ in their own namespace, ``api_v1``.
api_v1 = api.urls
for pattern in api_v1[0]:
    login_not_required(pattern.callback)

urlpatterns = [
    path("api/tokens/", views.tokens, name="tokens"),
    path("api/tokens/<int:pk>/revoke/", views.revoke_token, name="token_revoke"),
    path(
        "open-data/indicators.csv",
        views.open_indicators,
        {"fmt": "csv"},
        name="open_indicators_csv",
    ),
    path(
        "open-data/indicators.json",
        views.open_indicators,
        {"fmt": "json"},
        name="open_indicators_json",
    ),
    path(
        "open-data/revisions.csv", views.open_revisions, {"fmt": "csv"}, name="open_revisions_csv"
    ),
    path(
        "open-data/revisions.json",
        views.open_revisions,
        {"fmt": "json"},
        name="open_revisions_json",
    ),
]
