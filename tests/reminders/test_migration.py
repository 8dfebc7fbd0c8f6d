"""The reminder log moved from plans to the reminders app: same table, and the content
type moves with it, so the admin permissions City IT was given keep working."""

import importlib
from types import SimpleNamespace

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from reminders.models import ReminderLog
from tests.factories import UserFactory

MOVE = importlib.import_module("reminders.migrations.0001_initial")


def test_the_log_keeps_its_table_from_plans(db):
    assert ReminderLog._meta.db_table == "plans_reminderlog"
    assert ReminderLog._meta.app_label == "reminders"


def test_the_content_type_moves_with_its_permissions(db):
    editor = SimpleNamespace(connection=connection)
    content_type = ContentType.objects.get(app_label="reminders", model="reminderlog")
    view = Permission.objects.get(content_type=content_type, codename="view_reminderlog")
    city_it = Group.objects.create(name="City IT")
    city_it.permissions.add(view)
    user = UserFactory(username="it", is_staff=True)
    user.groups.add(city_it)

    MOVE.content_type_to_plans(apps, editor)  # the database as it was before the move
    content_type.refresh_from_db()
    assert content_type.app_label == "plans"

    MOVE.content_type_to_reminders(apps, editor)
    content_type.refresh_from_db()
    assert (content_type.app_label, content_type.model) == ("reminders", "reminderlog")
    assert list(city_it.permissions.all()) == [view]
    assert UserFactory._meta.model.objects.get(pk=user.pk).has_perm("reminders.view_reminderlog")

    # A fresh database has no row under plans: nothing to move, nothing made.
    MOVE.content_type_to_reminders(apps, editor)
    assert not ContentType.objects.filter(app_label="plans", model="reminderlog").exists()
    assert ContentType.objects.filter(model="reminderlog").count() == 1
