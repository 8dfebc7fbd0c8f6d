# The string discriminator, replaced by the kind and references of 0003. In a migration
# of its own: PostgreSQL refuses to alter a table with the rows' deferred checks pending.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0003_statusupdate_kind"),
    ]

    operations = [
        migrations.RemoveField(model_name="statusupdate", name="field"),
    ]
