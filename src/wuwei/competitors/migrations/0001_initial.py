"""Competitor intelligence moves from `opportunities` to this app (issue #12). The tables stay
where they are (`opportunities_competitor…`, `db_table`): this migration only tells Django's
state that the models now belong here; the database is not touched and no row moves."""

import django.db.models.deletion
import simple_history.models
import wuwei.core.links
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0009_merge_custom_fields_and_plan_ahead"),
        ("opportunities", "0012_registration_expected_close"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Competitor",
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
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created"),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                        ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                        (
                            "archived_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="archived"),
                        ),
                        (
                            "name",
                            models.CharField(max_length=200, unique=True, verbose_name="name"),
                        ),
                        (
                            "website",
                            models.CharField(
                                blank=True,
                                max_length=200,
                                validators=[wuwei.core.links.validate_web_address],
                                verbose_name="website",
                            ),
                        ),
                        (
                            "headquarters",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="headquarters"
                            ),
                        ),
                        ("description", models.TextField(blank=True, verbose_name="profile")),
                        ("notes", models.TextField(blank=True, verbose_name="notes")),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="created by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "competitor",
                        "verbose_name_plural": "competitors",
                        "db_table": "opportunities_competitor",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="CompetitorEvent",
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
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created"),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                        ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                        (
                            "archived_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="archived"),
                        ),
                        ("happened_on", models.DateField(verbose_name="date")),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        (
                            "account",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="accounts.account",
                            ),
                        ),
                        (
                            "competitor",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="events",
                                to="competitors.competitor",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="created by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "competitor event",
                        "verbose_name_plural": "competitor events",
                        "db_table": "opportunities_competitorevent",
                        "ordering": ["-happened_on", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="CompetitorInsight",
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
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created"),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                        ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                        (
                            "archived_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="archived"),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("strength", "Strength"),
                                    ("weakness", "Weakness"),
                                    ("tactic", "Typical tactic"),
                                ],
                                max_length=10,
                                verbose_name="kind",
                            ),
                        ),
                        ("text", models.TextField(verbose_name="text")),
                        (
                            "competitor",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="insights",
                                to="competitors.competitor",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="created by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "competitor analysis",
                        "verbose_name_plural": "competitor analysis",
                        "db_table": "opportunities_competitorinsight",
                        "ordering": ["kind", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="CompetitorPartner",
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
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created"),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                        ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                        (
                            "archived_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="archived"),
                        ),
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                        ("role", models.CharField(blank=True, max_length=200, verbose_name="role")),
                        ("notes", models.TextField(blank=True, verbose_name="notes")),
                        (
                            "competitor",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="partners",
                                to="competitors.competitor",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="created by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "competitor partner",
                        "verbose_name_plural": "competitor partners",
                        "db_table": "opportunities_competitorpartner",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalCompetitor",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="created"
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="updated"
                            ),
                        ),
                        ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                        (
                            "archived_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="archived"),
                        ),
                        (
                            "name",
                            models.CharField(db_index=True, max_length=200, verbose_name="name"),
                        ),
                        (
                            "website",
                            models.CharField(
                                blank=True,
                                max_length=200,
                                validators=[wuwei.core.links.validate_web_address],
                                verbose_name="website",
                            ),
                        ),
                        (
                            "headquarters",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="headquarters"
                            ),
                        ),
                        ("description", models.TextField(blank=True, verbose_name="profile")),
                        ("notes", models.TextField(blank=True, verbose_name="notes")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.TextField(null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="created by",
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical competitor",
                        "verbose_name_plural": "historical competitors",
                        "db_table": "opportunities_historicalcompetitor",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalCompetitorEvent",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="created"
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="updated"
                            ),
                        ),
                        ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                        (
                            "archived_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="archived"),
                        ),
                        ("happened_on", models.DateField(verbose_name="date")),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.TextField(null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "account",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="accounts.account",
                            ),
                        ),
                        (
                            "competitor",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="competitors.competitor",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="created by",
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical competitor event",
                        "verbose_name_plural": "historical competitor events",
                        "db_table": "opportunities_historicalcompetitorevent",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalCompetitorInsight",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="created"
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="updated"
                            ),
                        ),
                        ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                        (
                            "archived_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="archived"),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("strength", "Strength"),
                                    ("weakness", "Weakness"),
                                    ("tactic", "Typical tactic"),
                                ],
                                max_length=10,
                                verbose_name="kind",
                            ),
                        ),
                        ("text", models.TextField(verbose_name="text")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.TextField(null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "competitor",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="competitors.competitor",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="created by",
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical competitor analysis",
                        "verbose_name_plural": "historical competitor analysis",
                        "db_table": "opportunities_historicalcompetitorinsight",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalCompetitorPartner",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="created"
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="updated"
                            ),
                        ),
                        ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                        (
                            "archived_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="archived"),
                        ),
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                        ("role", models.CharField(blank=True, max_length=200, verbose_name="role")),
                        ("notes", models.TextField(blank=True, verbose_name="notes")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.TextField(null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "competitor",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="competitors.competitor",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="created by",
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical competitor partner",
                        "verbose_name_plural": "historical competitor partners",
                        "db_table": "opportunities_historicalcompetitorpartner",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalCompetitorPrice",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="created"
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="updated"
                            ),
                        ),
                        ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                        (
                            "archived_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="archived"),
                        ),
                        (
                            "price",
                            models.DecimalField(
                                decimal_places=2, max_digits=16, verbose_name="price"
                            ),
                        ),
                        (
                            "currency",
                            models.CharField(default="CNY", max_length=3, verbose_name="currency"),
                        ),
                        ("quoted_on", models.DateField(verbose_name="quoted on")),
                        ("notes", models.TextField(blank=True, verbose_name="notes")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.TextField(null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "competitor",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="competitors.competitor",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="created by",
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "opportunity",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="opportunities.opportunity",
                            ),
                        ),
                        (
                            "product",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="opportunities.productline",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical competitor price",
                        "verbose_name_plural": "historical competitor prices",
                        "db_table": "opportunities_historicalcompetitorprice",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalCompetitorRelation",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="created"
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="updated"
                            ),
                        ),
                        ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                        (
                            "archived_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="archived"),
                        ),
                        (
                            "is_incumbent",
                            models.BooleanField(default=False, verbose_name="incumbent"),
                        ),
                        (
                            "relationship_status",
                            models.CharField(
                                choices=[
                                    ("strong_positive", "Strong positive"),
                                    ("positive", "Positive"),
                                    ("neutral", "Neutral"),
                                    ("negative", "Negative"),
                                    ("strong_negative", "Strong negative"),
                                ],
                                default="neutral",
                                max_length=20,
                                verbose_name="relationship status",
                            ),
                        ),
                        ("notes", models.TextField(blank=True, verbose_name="notes")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.TextField(null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "account",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="accounts.account",
                            ),
                        ),
                        (
                            "competitor",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="competitors.competitor",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="created by",
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical competitor relation",
                        "verbose_name_plural": "historical competitor relations",
                        "db_table": "opportunities_historicalcompetitorrelation",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="CompetitorPrice",
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
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created"),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                        ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                        (
                            "archived_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="archived"),
                        ),
                        (
                            "price",
                            models.DecimalField(
                                decimal_places=2, max_digits=16, verbose_name="price"
                            ),
                        ),
                        (
                            "currency",
                            models.CharField(default="CNY", max_length=3, verbose_name="currency"),
                        ),
                        ("quoted_on", models.DateField(verbose_name="quoted on")),
                        ("notes", models.TextField(blank=True, verbose_name="notes")),
                        (
                            "competitor",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="prices",
                                to="competitors.competitor",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="created by",
                            ),
                        ),
                        (
                            "opportunity",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="opportunities.opportunity",
                            ),
                        ),
                        (
                            "product",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="opportunities.productline",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "competitor price",
                        "verbose_name_plural": "competitor prices",
                        "db_table": "opportunities_competitorprice",
                        "indexes": [
                            models.Index(
                                fields=["competitor", "quoted_on"], name="competitor_price_date"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="CompetitorRelation",
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
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created"),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                        ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                        (
                            "archived_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="archived"),
                        ),
                        (
                            "is_incumbent",
                            models.BooleanField(default=False, verbose_name="incumbent"),
                        ),
                        (
                            "relationship_status",
                            models.CharField(
                                choices=[
                                    ("strong_positive", "Strong positive"),
                                    ("positive", "Positive"),
                                    ("neutral", "Neutral"),
                                    ("negative", "Negative"),
                                    ("strong_negative", "Strong negative"),
                                ],
                                default="neutral",
                                max_length=20,
                                verbose_name="relationship status",
                            ),
                        ),
                        ("notes", models.TextField(blank=True, verbose_name="notes")),
                        (
                            "account",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="competitor_relations",
                                to="accounts.account",
                            ),
                        ),
                        (
                            "competitor",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="relations",
                                to="competitors.competitor",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="created by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "competitor relation",
                        "verbose_name_plural": "competitor relations",
                        "db_table": "opportunities_competitorrelation",
                        "unique_together": {("competitor", "account")},
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
