from django.urls import path

from . import views

app_name = "discussion"

urlpatterns = [
    path("tasks/<int:pk>/discussion/", views.thread, name="thread"),
    path("tasks/<int:pk>/discussion/comments/", views.comment, name="comment"),
    path(
        "tasks/<int:pk>/discussion/comments/<int:comment_pk>/withdraw/",
        views.withdraw_comment,
        name="withdraw_comment",
    ),
    path(
        "tasks/<int:pk>/discussion/files/<int:file_pk>/withdraw/",
        views.withdraw_file,
        name="withdraw_file",
    ),
    path("files/<int:pk>/", views.download, name="file"),
]
