"""A directive's follow-up task says it came from the directive through its "created"
row's origin code and the session's day (``as_of``), written in each reader's language,
instead of the note "Directive of the report session on 2024-01-15" frozen in the
language of whoever recorded it. Only that generated note is cleared. Reversible."""

from zoneinfo import ZoneInfo

from django.db import migrations

SEOUL = ZoneInfo("Asia/Seoul")


def forwards(apps, schema_editor):
    Directive = apps.get_model("meetings", "Directive")
    StatusUpdate = apps.get_model("plans", "StatusUpdate")
    for directive in Directive.objects.select_related("session"):
        day = directive.session.starts_at.astimezone(SEOUL).date()
        rows = StatusUpdate.objects.filter(
            task_id=directive.key_task_id, kind="created", new_value=""
        )
        rows.filter(note__contains=day.isoformat()).update(note="")
        rows.update(new_value="directive", as_of=day)


def backwards(apps, schema_editor):
    StatusUpdate = apps.get_model("plans", "StatusUpdate")
    for row in StatusUpdate.objects.filter(kind="created", new_value="directive"):
        note = row.note or f"Directive of the report session on {row.as_of.isoformat()}"
        StatusUpdate.objects.filter(pk=row.pk).update(new_value="", as_of=None, note=note)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_records_keep_their_authors"),
        ("plans", "0009_history_creation_origin"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
