"""A removed requirement that documents were uploaded for is retired (is_active), not
deleted; a routing rule knows when it was made, so that one that cannot have routed an
application may be deleted. Rules from before this migration keep no date (null): they
count as used."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("permits", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="requirement",
            options={"default_manager_name": "objects", "ordering": ["position", "id"]},
        ),
        migrations.AddField(
            model_name="requirement",
            name="is_active",
            field=models.BooleanField(default=True),
        ),
        # Added without a default first, so that existing rules stay null (date unknown)
        # instead of taking the migration's time, which would make them look unused.
        migrations.AddField(
            model_name="routingrule",
            name="created_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="routingrule",
            name="created_at",
            field=models.DateTimeField(blank=True, default=django.utils.timezone.now, null=True),
        ),
    ]
