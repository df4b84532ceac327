"""One importer per kind of record; `IMPORTERS[kind]` names the class."""

from wuwei.dataio.importers.accounts import AccountImporter
from wuwei.dataio.importers.base import Context, Importer, RowPlan, may_import, register_model
from wuwei.dataio.importers.deals import CompetitorImporter, OpportunityImporter
from wuwei.dataio.importers.people import ActivityImporter, ContactImporter
from wuwei.dataio.models import ImportKind

IMPORTERS: dict[str, type[Importer]] = {
    ImportKind.ACCOUNTS: AccountImporter,
    ImportKind.CONTACTS: ContactImporter,
    ImportKind.OPPORTUNITIES: OpportunityImporter,
    ImportKind.COMPETITORS: CompetitorImporter,
    ImportKind.ACTIVITIES: ActivityImporter,
}


def register() -> None:
    """Called from DataioConfig.ready(): the model behind each kind of record."""
    for kind, importer in IMPORTERS.items():
        register_model(kind, importer.model)


__all__ = ["IMPORTERS", "Context", "Importer", "RowPlan", "may_import"]
