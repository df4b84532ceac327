"""Plan competitors now point to `competitors.Competitor` (same table: state only)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_merge_custom_fields_and_plan_ahead"),
        ("competitors", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="historicalplancompetitor",
                    name="competitor",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="competitors.competitor",
                        verbose_name="competitor",
                    ),
                ),
                migrations.AlterField(
                    model_name="plancompetitor",
                    name="competitor",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="competitors.competitor",
                        verbose_name="competitor",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
