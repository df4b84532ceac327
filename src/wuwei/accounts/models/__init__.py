"""ESP+ key-account management (METHOD.md §2, §7.3). One module per group of records."""

from wuwei.accounts.models.archive import (
    Account,
    AccountStatus,
    ConflictKind,
    ConflictStatus,
    Grade,
    HeadquartersScope,
    Industry,
    KaProfile,
    OwnershipConflict,
    Strategy,
    SupportTier,
)
from wuwei.accounts.models.esp import (
    AccountGrading,
    AccountPlan,
    ActionStatus,
    Level,
    PlanAction,
    PlanCompetitor,
    Tactic,
)
from wuwei.accounts.models.fields import AccountFieldDefinition, FieldKind
from wuwei.accounts.models.tracking import (
    AnnualEvaluation,
    ClosenessSource,
    MonitoringRecord,
    Visit,
    VisitStatus,
)

__all__ = [
    "Account",
    "AccountFieldDefinition",
    "AccountGrading",
    "AccountPlan",
    "AccountStatus",
    "ActionStatus",
    "AnnualEvaluation",
    "ClosenessSource",
    "ConflictKind",
    "ConflictStatus",
    "FieldKind",
    "Grade",
    "HeadquartersScope",
    "Industry",
    "KaProfile",
    "Level",
    "MonitoringRecord",
    "OwnershipConflict",
    "PlanAction",
    "PlanCompetitor",
    "Strategy",
    "SupportTier",
    "Tactic",
    "Visit",
    "VisitStatus",
]
