"""History rows get a typed kind and real references instead of a string discriminator.

Before: ``field`` held a task field's name, "created", "note", "milestone:<pk>" or
"indicator:<code>", and an actual's ``new_value`` read "<as_of>: <value>". After: ``kind``
names what changed, ``milestone`` and ``indicator`` point at it, an actual's date is in
``as_of`` and its ``new_value`` is the value alone. Every row is kept; a reference to a
milestone or indicator deleted since stays empty (the old values are still there).
"""

import datetime

import django.db.models.deletion
from django.db import migrations, models

TASK_FIELDS = {
    "created", "note", "status", "progress", "completed_on", "start_date", "due_date",
    "owner", "bureau", "sector", "priority", "is_public", "code", "pillar_ko", "pillar_en",
    "title_ko", "title_en", "description_ko", "description_en",
}  # fmt: skip


def split_actual(value: str) -> tuple[datetime.date | None, str]:
    as_of, sep, number = value.partition(": ")
    if not sep:
        return None, value
    try:
        return datetime.date.fromisoformat(as_of), number
    except ValueError:
        return None, value


def forwards(apps, schema_editor):
    StatusUpdate = apps.get_model("plans", "StatusUpdate")
    Milestone = apps.get_model("plans", "Milestone")
    Indicator = apps.get_model("plans", "Indicator")
    for name in TASK_FIELDS:
        StatusUpdate.objects.filter(field=name).update(kind=name)
    milestones = set(Milestone.objects.values_list("pk", flat=True))
    indicators = dict(Indicator.objects.values_list("code", "pk"))
    changed = []
    rows = StatusUpdate.objects.filter(
        models.Q(field__startswith="milestone:") | models.Q(field__startswith="indicator:")
    )
    for row in rows.iterator(chunk_size=2000):
        prefix, _sep, key = row.field.partition(":")
        if prefix == "milestone":
            row.kind = "milestone"
            row.milestone_id = int(key) if key.isdigit() and int(key) in milestones else None
        else:
            row.kind = "actual"
            row.indicator_id = indicators.get(key)
            row.as_of, row.new_value = split_actual(row.new_value)
        changed.append(row)
        if len(changed) >= 2000:
            StatusUpdate.objects.bulk_update(
                changed, ["kind", "milestone", "indicator", "as_of", "new_value"]
            )
            changed = []
    if changed:
        StatusUpdate.objects.bulk_update(
            changed, ["kind", "milestone", "indicator", "as_of", "new_value"]
        )
    # Anything else (never written by the product) keeps its text as a note.
    StatusUpdate.objects.filter(kind="").update(kind="note")


def backwards(apps, schema_editor):
    StatusUpdate = apps.get_model("plans", "StatusUpdate")
    for name in TASK_FIELDS:
        StatusUpdate.objects.filter(kind=name).update(field=name)
    rows = StatusUpdate.objects.filter(kind__in=["milestone", "actual"]).select_related(
        "indicator"
    )
    for row in rows.iterator(chunk_size=2000):
        if row.kind == "milestone":
            row.field = f"milestone:{row.milestone_id or ''}"
        else:
            row.field = f"indicator:{row.indicator.code if row.indicator else ''}"[:40]
            if row.as_of:
                row.new_value = f"{row.as_of.isoformat()}: {row.new_value}"
        row.save(update_fields=["field", "new_value"])


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_measurement_revision_and_reminder_log"),
    ]

    operations = [
        migrations.AddField(
            model_name="statusupdate",
            name="kind",
            field=models.CharField(
                default="",
                max_length=30,
                verbose_name="kind",
                choices=[
                    ("created", "created"),
                    ("note", "note"),
                    ("status", "status"),
                    ("progress", "progress (%)"),
                    ("completed_on", "completed on"),
                    ("start_date", "start date"),
                    ("due_date", "due date"),
                    ("owner", "owner"),
                    ("bureau", "owning bureau"),
                    ("sector", "sector"),
                    ("priority", "priority"),
                    ("is_public", "publicly disclosed"),
                    ("code", "code"),
                    ("pillar_ko", "pillar (Korean)"),
                    ("pillar_en", "pillar (English)"),
                    ("title_ko", "title (Korean)"),
                    ("title_en", "title (English)"),
                    ("description_ko", "description (Korean)"),
                    ("description_en", "description (English)"),
                    ("milestone", "milestone"),
                    ("actual", "actual value"),
                ],
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="statusupdate",
            name="milestone",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="plans.milestone",
                verbose_name="milestone",
            ),
        ),
        migrations.AddField(
            model_name="statusupdate",
            name="indicator",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="plans.indicator",
                verbose_name="indicator",
            ),
        ),
        migrations.AddField(
            model_name="statusupdate",
            name="as_of",
            field=models.DateField(blank=True, null=True, verbose_name="as of"),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
