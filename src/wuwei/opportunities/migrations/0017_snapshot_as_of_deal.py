import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def backfill(apps, schema_editor):
    """The snapshots taken before the deal was kept in them get the deal as it stands now (the
    nearest known): one UPDATE … FROM on PostgreSQL, correlated subqueries on SQLite."""
    snapshots = apps.get_model("opportunities", "WinRateSnapshot")._meta.db_table
    deals = apps.get_model("opportunities", "Opportunity")._meta.db_table
    columns = ("owner_id", "team_id", "amount", "expected_close")
    if schema_editor.connection.vendor == "postgresql":
        assignments = ", ".join(f"{c} = d.{c}" for c in columns)
        schema_editor.execute(
            f"UPDATE {snapshots} AS s SET {assignments} FROM {deals} d"
            " WHERE d.id = s.opportunity_id"
        )
        return
    assignments = ", ".join(
        f"{c} = (SELECT d.{c} FROM {deals} d WHERE d.id = {snapshots}.opportunity_id)"
        for c in columns
    )
    schema_editor.execute(f"UPDATE {snapshots} SET {assignments}")


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("org", "0001_initial"),
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
        migrations.AddField(
            model_name="winratesnapshot",
            name="team",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="org.team",
                verbose_name="owning team",
            ),
        ),
        migrations.AddField(
            model_name="winratesnapshot",
            name="amount",
            field=models.DecimalField(
                decimal_places=2, default=0, max_digits=16, verbose_name="amount"
            ),
        ),
        migrations.AddField(
            model_name="winratesnapshot",
            name="expected_close",
            field=models.DateField(blank=True, null=True, verbose_name="expected close"),
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
