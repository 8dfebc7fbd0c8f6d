from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/calendar/", views.session_calendar, name="session_calendar"),
    path("sessions.ics", views.sessions_ics, name="sessions_ics"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("sessions/<int:pk>/agenda/<int:item_pk>/move/", views.agenda_move, name="agenda_move"),
    path("sessions/<int:pk>/held/", views.session_held, name="session_held"),
    path("sessions/<int:pk>/briefing/", views.briefing, name="briefing"),
    path("sessions/<int:pk>/briefing.pdf", views.briefing_pdf, name="briefing_pdf"),
    path("sessions/<int:pk>/minutes/", views.minutes_edit, name="minutes_edit"),
    path("sessions/<int:pk>/directives/", views.directive_add, name="directive_add"),
    path("directives/", views.directive_list, name="directive_list"),
    path("directives.xlsx", views.directive_export, {"extension": "xlsx"}, name="directives_xlsx"),
    path("directives.csv", views.directive_export, {"extension": "csv"}, name="directives_csv"),
    path("directives/<int:pk>/edit/", views.directive_edit, name="directive_edit"),
]
