"""Account search from an index on PostgreSQL (issue #17): a trigram GIN index on what
`accounts.selectors.account_search` and the global search compare — the name and the
registration number case-insensitively, the normalised name as it is. Nothing on SQLite."""

from django.db import migrations

from wuwei.core.search_index import trigram_index


class Migration(migrations.Migration):
    dependencies = [("accounts", "0011_rename_conflict_ownershipconflict")]

    operations = [
        trigram_index(
            "accounts_account",
            "account_search_trgm",
            upper=("name", "registration_number"),
            exact=("name_normalized",),
        )
    ]
