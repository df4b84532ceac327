"""Seed the METHOD.md default sales process template and product lines (admin-editable)."""

from django.db import migrations


def seed(apps, schema_editor):
    from wuwei.opportunities.defaults import PRODUCT_LINES, STAGE_TEMPLATE

    StageTemplate = apps.get_model("opportunities", "StageTemplate")
    ProductLine = apps.get_model("opportunities", "ProductLine")
    for row in STAGE_TEMPLATE:
        StageTemplate.objects.get_or_create(stage=row["stage"], defaults=row)
    for row in PRODUCT_LINES:
        ProductLine.objects.get_or_create(code=row["code"], defaults=row)


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0004_lifecycle"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
