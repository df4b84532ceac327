"""The conflict queue's model is renamed OwnershipConflict (issue #12: it was easily confused
with the 409 error `core.errors.Conflict`). The tables keep their names: state only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0010_competitor_moved_to_competitors_app"),
        ("opportunities", "0013_competitors_moved_to_competitors_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterModelTable(name="conflict", table="accounts_conflict"),
                migrations.AlterModelTable(
                    name="historicalconflict", table="accounts_historicalconflict"
                ),
                migrations.RenameModel(old_name="Conflict", new_name="OwnershipConflict"),
                migrations.RenameModel(
                    old_name="HistoricalConflict", new_name="HistoricalOwnershipConflict"
                ),
            ],
            database_operations=[],
        ),
    ]
