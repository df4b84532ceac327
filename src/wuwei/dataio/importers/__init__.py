"""One importer per kind of record; `IMPORTERS[kind]` names the class."""

from wuwei.dataio.importers.accounts import AccountImporter
from wuwei.dataio.importers.base import MODELS, Context, Importer, RowPlan, may_import
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
MODELS.update({kind: importer.model for kind, importer in IMPORTERS.items()})

__all__ = ["IMPORTERS", "Context", "Importer", "RowPlan", "may_import"]
