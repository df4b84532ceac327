"""The deal team gets roles: the plain many-to-many becomes `OpportunityMember` on the SAME
table (Django's documented way to add a `through` model without moving data)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0002_competitor_historicalcompetitor"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="OpportunityMember",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "opportunity",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="memberships",
                                to="opportunities.opportunity",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="deal_roles",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "opportunities_opportunity_members",
                        "unique_together": {("opportunity", "user")},
                    },
                ),
                migrations.AlterField(
                    model_name="opportunity",
                    name="members",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="opportunity_memberships",
                        through="opportunities.OpportunityMember",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="deal team",
                    ),
                ),
            ],
        ),
    ]
