from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/sectors/<int:number>/", views.sector_detail, name="sector_detail"),
    path("dashboard/tasks/", views.task_list, name="task_list"),
    path("dashboard/tasks/export.xlsx", views.task_export_xlsx, name="task_export_xlsx"),
    path("dashboard/tasks/export.csv", views.task_export_csv, name="task_export_csv"),
    path("dashboard/tasks/export/", views.task_export_request, name="task_export_request"),
    path("dashboard/exports/<uuid:token>/", views.export_download, name="export_download"),
    path("public/", views.public, name="public"),
    path("public/tasks/<int:pk>/", views.public_task, name="public_task"),
]
