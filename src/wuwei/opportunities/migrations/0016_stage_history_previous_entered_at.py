from django.db import migrations, models


def backfill(apps, schema_editor):
    """A stay's previous entry: the latest earlier stay of the deal in the same stage (by
    entry time, then id), one UPDATE; only deals that came back to a stage get one."""
    table = apps.get_model("opportunities", "StageHistory")._meta.db_table
    schema_editor.execute(
        f"UPDATE {table} AS h SET previous_entered_at = (SELECT MAX(p.entered_at) FROM {table} p"
        " WHERE p.opportunity_id = h.opportunity_id AND p.stage = h.stage"
        " AND (p.entered_at < h.entered_at OR (p.entered_at = h.entered_at AND p.id < h.id)))"
        f" WHERE EXISTS(SELECT 1 FROM {table} r WHERE r.opportunity_id = h.opportunity_id"
        " AND r.stage = h.stage AND r.id <> h.id)"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0015_opportunity_search_trigram_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="stagehistory",
            name="previous_entered_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="entered this stage before"
            ),
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(
                condition=models.Q(("archived_at__isnull", False)),
                fields=["id"],
                name="opp_archived",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
