"""Every open deal that exists before MCI gets its current stage's owner: the deal owner
(METHOD.md §5.3), so the single-owner stage gate does not block existing deals."""

from django.db import migrations

OPEN_STAGES = [
    "validate",
    "initiate",
    "needs_analysis",
    "value_presentation",
    "tender_preparation",
    "bidding",
    "negotiation",
]


def backfill(apps, schema_editor):
    Opportunity = apps.get_model("opportunities", "Opportunity")
    StageOwner = apps.get_model("support", "StageOwner")
    owned = set(
        StageOwner.objects.filter(left_at__isnull=True).values_list("opportunity_id", "stage")
    )
    StageOwner.objects.bulk_create(
        StageOwner(opportunity_id=pk, stage=stage, owner_id=owner_id)
        for pk, stage, owner_id in Opportunity.objects.filter(stage__in=OPEN_STAGES).values_list(
            "pk", "stage", "owner_id"
        )
        if (pk, stage) not in owned
    )


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
