from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/sectors/<int:number>/", views.sector_detail, name="sector_detail"),
    path("dashboard/tasks/", views.task_list, name="task_list"),
    path("dashboard/tasks/export.xlsx", views.task_export_xlsx, name="task_export_xlsx"),
    path("dashboard/tasks/export.csv", views.task_export_csv, name="task_export_csv"),
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/calendar/", views.session_calendar, name="session_calendar"),
    path("sessions.ics", views.sessions_ics, name="sessions_ics"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/briefing/", views.briefing, name="briefing"),
    path("sessions/<int:pk>/minutes/", views.minutes_edit, name="minutes_edit"),
    path("sessions/<int:pk>/directives/", views.directive_add, name="directive_add"),
]
