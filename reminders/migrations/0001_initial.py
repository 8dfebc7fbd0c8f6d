# The reminder log moves from plans to reminders with its table, data, constraints and
# indexes: a state-only CreateModel here (the table plans_reminderlog stays as it is),
# a state-only DeleteModel in plans/migrations/0005_move_reminderlog_to_reminders.py.
# The content type row moves with it, so the permissions and admin history that hang
# off it keep working.

import django.db.models.deletion
from django.conf import settings
from django.db import IntegrityError, migrations, models, transaction


def _move_content_type(apps, schema_editor, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    try:
        content_type = ContentType.objects.db_manager(db).get_by_natural_key(source, "reminderlog")
    except ContentType.DoesNotExist:
        return  # a fresh database: post_migrate creates the row under its new app
    content_type.app_label = target
    try:
        with transaction.atomic(using=db):
            content_type.save(using=db, update_fields={"app_label"})
    except IntegrityError:
        # A stale row for the target exists: left for remove_stale_contenttypes, as
        # Django's own RenameModel does.
        return
    ContentType.objects.clear_cache()


def content_type_to_reminders(apps, schema_editor):
    _move_content_type(apps, schema_editor, "plans", "reminders")


def content_type_to_plans(apps, schema_editor):
    _move_content_type(apps, schema_editor, "reminders", "plans")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("plans", "0004_remove_statusupdate_field"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReminderLog",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("subject_type", models.CharField(max_length=20, verbose_name="subject type")),
                        ("subject_id", models.PositiveBigIntegerField(verbose_name="subject id")),
                        ("deadline", models.DateField(verbose_name="deadline")),
                        ("kind", models.CharField(max_length=40, verbose_name="kind")),
                        ("send_on", models.DateField(verbose_name="due to go out on")),
                        ("reason", models.CharField(blank=True, max_length=300, verbose_name="why")),
                        ("state", models.CharField(choices=[("pending", "pending"), ("claimed", "being sent"), ("sent", "sent"), ("failed", "failed"), ("cancelled", "no longer due")], default="pending", max_length=12, verbose_name="state")),
                        ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                        ("last_error", models.TextField(blank=True, verbose_name="last error")),
                        ("next_attempt_at", models.DateTimeField(blank=True, null=True, verbose_name="next attempt")),
                        ("claim_token", models.UUIDField(blank=True, editable=False, null=True)),
                        ("claimed_at", models.DateTimeField(blank=True, null=True, verbose_name="claimed at")),
                        ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                        ("acknowledged_at", models.DateTimeField(blank=True, null=True, verbose_name="acknowledged at")),
                        ("acknowledged_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="acknowledged by")),
                        ("recipient", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="reminders", to=settings.AUTH_USER_MODEL, verbose_name="recipient")),
                    ],
                    options={
                        "verbose_name": "reminder",
                        "verbose_name_plural": "reminder log",
                        "db_table": "plans_reminderlog",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [
                            models.Index(fields=["state", "next_attempt_at"], name="plans_remin_state_a9db64_idx"),
                            models.Index(fields=["subject_type", "subject_id", "deadline"], name="plans_remin_subject_4f470e_idx"),
                        ],
                        "constraints": [
                            models.UniqueConstraint(fields=("subject_type", "subject_id", "deadline", "kind", "recipient"), name="one_reminder_per_subject_deadline_kind_recipient"),
                            models.CheckConstraint(condition=models.Q(models.Q(("state", "sent"), _negated=True), ("sent_at__isnull", False), _connector="OR"), name="reminder_sent_has_sent_at"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_reminders, content_type_to_plans),
    ]
