from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("tasks/mine/", views.my_tasks, name="my_tasks"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/history/", views.task_history, name="task_history"),
    path("tasks/<int:pk>/update/", views.task_update, name="task_update"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/actuals/", views.task_measurement, name="task_measurement"),
    path(
        "tasks/<int:pk>/milestones/<int:milestone_pk>/toggle/",
        views.milestone_toggle,
        name="milestone_toggle",
    ),
    path("tasks/new/", views.task_create, name="task_create"),
    path("tasks/<int:pk>/manage/", views.task_manage, name="task_manage"),
    path("tasks/<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path(
        "tasks/<int:pk>/milestones/<int:milestone_pk>/edit/",
        views.milestone_edit,
        name="milestone_edit",
    ),
    path(
        "tasks/<int:pk>/milestones/<int:milestone_pk>/move/",
        views.milestone_move,
        name="milestone_move",
    ),
    path("tasks/<int:pk>/drop/", views.task_drop, name="task_drop"),
    path("tasks/<int:pk>/deadline/", views.task_deadline, name="task_deadline"),
    path(
        "tasks/<int:pk>/deadline/<int:change_pk>/decide/",
        views.deadline_decide,
        name="deadline_decide",
    ),
    path(
        "tasks/<int:pk>/deadline/<int:change_pk>/withdraw/",
        views.deadline_withdraw,
        name="deadline_withdraw",
    ),
    path(
        "tasks/<int:pk>/figures/<int:measurement_pk>/verify/",
        views.figure_verify,
        name="figure_verify",
    ),
    path("language/", views.set_language, name="set_language"),
]
