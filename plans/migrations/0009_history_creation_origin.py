"""A task's "created" row says where the task came from as a code (``new_value``),
written in each reader's language, instead of a note frozen in one language.

Only the notes the product itself wrote are converted (the plan loader's, always in
English, and the admin's, in the language of whoever created the task); the meaning
of every row is kept and nothing is deleted. Reversible."""

from django.db import migrations

PLAN_DATA_NOTES = ["Loaded from the plan data file"]
ADMIN_NOTES = ["Created in the admin", "관리자 화면에서 생성"]


def forwards(apps, schema_editor):
    StatusUpdate = apps.get_model("plans", "StatusUpdate")
    created = StatusUpdate.objects.filter(kind="created", new_value="")
    created.filter(note__in=PLAN_DATA_NOTES).update(note="", new_value="plan_data")
    created.filter(note__in=ADMIN_NOTES).update(note="", new_value="admin")


def backwards(apps, schema_editor):
    StatusUpdate = apps.get_model("plans", "StatusUpdate")
    created = StatusUpdate.objects.filter(kind="created", note="")
    created.filter(new_value="plan_data").update(note=PLAN_DATA_NOTES[0], new_value="")
    created.filter(new_value="admin").update(note=ADMIN_NOTES[0], new_value="")


class Migration(migrations.Migration):
    dependencies = [("plans", "0008_capitalised_choice_labels")]

    operations = [migrations.RunPython(forwards, backwards)]
