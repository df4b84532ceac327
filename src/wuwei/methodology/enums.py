"""Enumerations of the Wuwei method. Values are the lower-case slugs of METHOD.md.

They live in one module so configuration and rules can share them without import cycles;
the rule modules re-export the ones they are about (e.g. `strategies.AccountStrategy`).
"""

from enum import StrEnum


class AccountStatus(StrEnum):
    """Account status (§2.1)."""

    PROSPECT = "prospect"
    CUSTOMER = "customer"
    DRIFTING = "drifting"
    LOST = "lost"


class Scope(StrEnum):
    """How far the company's headquarters / business reaches (§2.1, seed 003)."""

    GLOBAL = "global"
    NATIONAL = "national"
    REGIONAL = "regional"
    LOCAL = "local"


class KaProfile(StrEnum):
    """KA profile (§2.1, seed 003); no profile means SMB."""

    GLOBAL = "global"
    NATIONAL = "national"
    REGIONAL = "regional"
    HIGH_WILLINGNESS = "high_willingness"


class AccountGradeLetter(StrEnum):
    """Account grade from the composite score (§2.2)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


class Level(StrEnum):
    """Nine-box axis level for potential and contribution (§2.3)."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class AccountClass(StrEnum):
    """Nine-box account class (§2.3)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


class AccountStrategy(StrEnum):
    """The five account strategies (§2.4)."""

    ACQUIRE = "acquire"
    GROW = "grow"
    RETAIN = "retain"
    WIN_BACK = "win_back"
    WAIT_AND_WATCH = "wait_and_watch"


class BehaviourOrientation(StrEnum):
    """Behaviour orientation of a contact (§3.2)."""

    TECHNICAL = "technical"
    PRAGMATIC = "pragmatic"
    TECHNICAL_PRAGMATIC = "technical_pragmatic"
    PRAGMATIC_TECHNICAL = "pragmatic_technical"
    BALANCED = "balanced"


class RelationshipStatus(StrEnum):
    """Relationship status towards us (§3.2); `.score` is the value +2 to -2."""

    STRONG_POSITIVE = "strong_positive"
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"
    STRONG_NEGATIVE = "strong_negative"

    @property
    def score(self) -> int:
        return _RELATIONSHIP_SCORES[self]


_RELATIONSHIP_SCORES: dict[RelationshipStatus, int] = {
    RelationshipStatus.STRONG_POSITIVE: 2,
    RelationshipStatus.POSITIVE: 1,
    RelationshipStatus.NEUTRAL: 0,
    RelationshipStatus.NEGATIVE: -1,
    RelationshipStatus.STRONG_NEGATIVE: -2,
}


class InteractionLevel(StrEnum):
    """Interaction level, derived from activities (§3.2)."""

    NONE = "none"
    OCCASIONAL = "occasional"
    MULTIPLE = "multiple"
    DEEP = "deep"


class DecisionRole(StrEnum):
    """Decision role of a contact in one opportunity (§3.1)."""

    APPROVER = "approver"
    DECISION_MAKER = "decision_maker"
    EVALUATOR = "evaluator"
    USER = "user"


class RelationshipStrategy(StrEnum):
    """The five relationship strategies (§3.3)."""

    ENCOURAGE = "encourage"
    HARMONIZE = "harmonize"
    ATTACK = "attack"
    DEFEND = "defend"
    SUPPRESS = "suppress"


class CompetitiveStrategy(StrEnum):
    """The five competitive strategies of TAS (§4.7)."""

    FRONTAL = "frontal"
    FLANKING = "flanking"
    FRAGMENT = "fragment"
    DEFEND = "defend"
    DEVELOP = "develop"


class Stage(StrEnum):
    """Opportunity stages in order (§4.1); `won` and `lost` are closed."""

    VALIDATE = "validate"
    INITIATE = "initiate"
    NEEDS_ANALYSIS = "needs_analysis"
    VALUE_PRESENTATION = "value_presentation"
    TENDER_PREPARATION = "tender_preparation"
    BIDDING = "bidding"
    NEGOTIATION = "negotiation"
    WON = "won"
    LOST = "lost"

    @property
    def number(self) -> int | None:
        """1 to 7 for the open stages, None for won and lost."""
        return _STAGE_NUMBERS.get(self)

    @property
    def is_open(self) -> bool:
        return self not in (Stage.WON, Stage.LOST)


_STAGE_NUMBERS: dict[Stage, int] = {
    Stage.VALIDATE: 1,
    Stage.INITIATE: 2,
    Stage.NEEDS_ANALYSIS: 3,
    Stage.VALUE_PRESENTATION: 4,
    Stage.TENDER_PREPARATION: 5,
    Stage.BIDDING: 6,
    Stage.NEGOTIATION: 7,
}


class OpportunityGrade(StrEnum):
    """Opportunity grade (§4.2): A to D by amount, E for partner-led."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"


class Track(StrEnum):
    """Process track of an opportunity (§4.2)."""

    BIG_PROJECT = "big_project"
    FAST_TRACK = "fast_track"
    PARTNER = "partner"


class Queue(StrEnum):
    """Where a presales request goes (§5.1). `delivery_center` is the team-kind slug of §1."""

    DELIVERY_CENTER = "delivery_center"
    LOCAL_OFFICE = "local_office"
    HOTLINE = "hotline"


class ForecastBucket(StrEnum):
    """Forecast category by win rate (§8)."""

    COMMIT = "commit"
    BEST_CASE = "best_case"
    PIPELINE = "pipeline"
    UNRATED = "unrated"
