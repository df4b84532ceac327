"""people.CompetitorRelation is renamed ContactCompetitorStance (issue #12: it was easily
confused with competitors.CompetitorRelation). The tables keep their names: state only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_competitor_moved_to_competitors_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterModelTable(
                    name="competitorrelation", table="people_competitorrelation"
                ),
                migrations.AlterModelTable(
                    name="historicalcompetitorrelation",
                    table="people_historicalcompetitorrelation",
                ),
                migrations.RenameModel(
                    old_name="CompetitorRelation", new_name="ContactCompetitorStance"
                ),
                migrations.RenameModel(
                    old_name="HistoricalCompetitorRelation",
                    new_name="HistoricalContactCompetitorStance",
                ),
            ],
            database_operations=[],
        ),
    ]
