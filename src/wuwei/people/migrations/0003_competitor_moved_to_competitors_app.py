"""Competitor references now point to `competitors.Competitor` (same table: state only)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("competitors", "0001_initial"),
        ("people", "0002_relationship_map"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="closenesssnapshot",
                    name="competitor",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="competitors.competitor",
                    ),
                ),
                migrations.AlterField(
                    model_name="competitorrelation",
                    name="competitor",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="contact_relations",
                        to="competitors.competitor",
                        verbose_name="competitor",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalcompetitorrelation",
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
            ],
            database_operations=[],
        ),
    ]
