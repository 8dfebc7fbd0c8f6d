# The reminder log moved to the reminders app (reminders/migrations/0001_initial.py),
# which keeps its table: plans forgets the model without touching the database.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("plans", "0004_remove_statusupdate_field"),
        ("reminders", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ReminderLog")],
            database_operations=[],
        ),
    ]
