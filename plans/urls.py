from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("language/", views.set_language, name="set_language"),
    path(
        "reminders/acknowledge/<str:token>/",
        views.acknowledge_reminder,
        name="acknowledge_reminder",
    ),
]

# Review and public disclosure (issue 4), in their own module to keep merges simple.
from . import views_review  # noqa: E402

urlpatterns += [
    path("public/", views_review.public, name="public"),
]
