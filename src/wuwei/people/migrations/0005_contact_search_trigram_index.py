"""Contact search from an index on PostgreSQL (issue #17): a trigram GIN index on the columns
the contact list's and the global search's `icontains` compare. Nothing on SQLite."""

from django.db import migrations

from wuwei.core.search_index import trigram_index


class Migration(migrations.Migration):
    dependencies = [("people", "0004_rename_competitorrelation_contactcompetitorstance")]

    operations = [
        trigram_index(
            "people_contact", "contact_search_trgm", upper=("name", "title", "email", "phone")
        )
    ]
