from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("reminders/acknowledge/<str:token>/", views.acknowledge, name="acknowledge"),
    path("reminders/settings/", views.notification_settings, name="notifications"),
]
