import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def backfill(apps, schema_editor):
    """The snapshots taken before they kept the owner get the deal's owner now (the nearest
    known): one UPDATE … FROM on PostgreSQL, a correlated subquery on SQLite."""
    snapshots = apps.get_model("opportunities", "WinRateSnapshot")._meta.db_table
    deals = apps.get_model("opportunities", "Opportunity")._meta.db_table
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"UPDATE {snapshots} AS s SET owner_id = d.owner_id FROM {deals} d"
            " WHERE d.id = s.opportunity_id"
        )
    else:
        schema_editor.execute(
            f"UPDATE {snapshots} SET owner_id ="
            f" (SELECT d.owner_id FROM {deals} d WHERE d.id = {snapshots}.opportunity_id)"
        )


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("opportunities", "0016_stage_history_previous_entered_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="winratesnapshot",
            name="owner",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="owner",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="winratesnapshot",
            name="owner",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="owner",
            ),
        ),
    ]
