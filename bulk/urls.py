from django.urls import path

from . import views

app_name = "bulk"

urlpatterns = [
    path("bulk/", views.home, name="home"),
    path("bulk/key-tasks.xlsx", views.download, name="download"),
    path("bulk/uploads/<int:pk>/", views.upload, name="upload"),
    path("bulk/uploads/<int:pk>/apply/", views.apply, name="apply"),
]
