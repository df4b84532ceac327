"""The seeded rule descriptions lose their developer notes ("(§4.3)"): users read them. Only
rows still holding the seeded text change; a description an administrator edited stays."""

from django.db import migrations

OLD_NEW = [
    (
        "no_compelling_event",
        "Past stage 1 the customer must have a confirmed reason to buy (§4.3); without one the "
        "deal is not rated and presales effort is at risk.",
        "Past stage 1 the customer must have a confirmed reason to buy; without one the deal "
        "is not rated and presales effort is at risk.",
    ),
    (
        "questionnaire_stale",
        "AB deals answer the questionnaire weekly (§4.5); the newest is more than 14 days old "
        "or missing.",
        "AB deals answer the questionnaire weekly; the newest is more than 14 days old or missing.",
    ),
]


def forwards(apps, schema_editor):
    Rule = apps.get_model("playbook", "RiskRule")
    for code, old, new in OLD_NEW:
        Rule.objects.filter(code=code, description_en=old).update(description_en=new)


def backwards(apps, schema_editor):
    pass  # the notes are not worth restoring


class Migration(migrations.Migration):
    dependencies = [("playbook", "0002_risk_rules")]

    operations = [migrations.RunPython(forwards, backwards)]
