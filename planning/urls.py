from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/next/", views.plan_new, name="plan_new"),
    path("plans/<int:year>/carry-over/", views.carry_over, name="carry_over"),
    path("plans/<int:year>/submissions/", views.submissions, name="submissions"),
    path("plans/<int:year>/<slug:stage>/", views.plan_stage, name="plan_stage"),
    path("plans/<int:year>/bureaus/<slug:code>/", views.submission, name="submission"),
    path("plans/<int:year>/bureaus/<slug:code>/tasks/new/", views.draft, name="draft_new"),
    path("plans/<int:year>/bureaus/<slug:code>/tasks/<int:pk>/", views.draft, name="draft_edit"),
    path(
        "plans/<int:year>/bureaus/<slug:code>/tasks/<int:pk>/remove/",
        views.draft_withdraw,
        name="draft_withdraw",
    ),
    path("plans/<int:year>/bureaus/<slug:code>/delegates/", views.delegates, name="delegates"),
    path(
        "plans/<int:year>/bureaus/<slug:code>/<slug:move>/",
        views.submission_move,
        name="submission_move",
    ),
]
