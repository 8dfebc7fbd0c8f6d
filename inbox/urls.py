from django.urls import path

from . import views

app_name = "inbox"

urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("queue/count/", views.count, name="count"),
    path("queue/<slug:kind>/<int:pk>/<slug:action>/", views.act, name="act"),
]
