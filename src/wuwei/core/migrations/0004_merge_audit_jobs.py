# The audit trail and the job runs were added side by side; this joins the two branches.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_audit_events"),
        ("core", "0003_jobs"),
    ]

    operations = []
