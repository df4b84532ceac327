"""Deal search from an index on PostgreSQL (issue #17): a trigram GIN index on the deal name,
which the deal list's `q` and the global search compare with `icontains`. Nothing on SQLite."""

from django.db import migrations

from wuwei.core.search_index import trigram_index


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0014_stage_history_advanced")]

    operations = [trigram_index("opportunities_opportunity", "opp_search_trgm", upper=("name",))]
