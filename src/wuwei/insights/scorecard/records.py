"""The records behind each scorecard KPI (the drill-down): the same filters the aggregates use,
as a list of deals or accounts, so every number can be checked one record at a time."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from wuwei.accounts.models import Account
from wuwei.insights.scorecard.models import DealUse, Payment
from wuwei.insights.scorecard.scope import Period
from wuwei.insights.scorecard.selectors import (
    DECIDER_ROLES,
    POSITIVE,
    ahead_of_top_competitors,
    annotate_accounts,
    closed_in,
    deciders_in_play,
    during,
    has_connection,
    won_in,
)
from wuwei.methodology.scorecard import CLASS_ORDER
from wuwei.opportunities.models import OPEN_STAGES, Opportunity, Source, Stage
from wuwei.org.models import Segment
from wuwei.people.models import DecisionParticipant
from wuwei.playbook.models import RiskFinding, RiskOverride
from wuwei.support.models import LedgerEntry

DealFilter = Callable[[QuerySet[Opportunity], Period], QuerySet[Opportunity]]
AccountFilter = Callable[[QuerySet[Account], Period], QuerySet[Account]]


@dataclass(frozen=True)
class Kpi:
    key: str
    label: Any
    kind: str  # "deals" or "accounts"
    select: Any


def _use(name: str) -> DealFilter:
    def select(deals: QuerySet[Opportunity], period: Period) -> QuerySet[Opportunity]:
        used = DealUse.objects.filter(opportunity_id=OuterRef("pk"), **{f"{name}_used": True})
        return deals.filter(closed_in(period)).filter(Exists(used))

    return select


def _movement(direction: int) -> AccountFilter:
    """Accounts whose nine-box class improved (1) or declined (-1): compared in SQL by the
    class letters' order A < B < C < D."""

    def select(accounts: QuerySet[Account], period: Period) -> QuerySet[Account]:
        annotated = annotate_accounts(accounts, period).filter(
            Q(class_start__in=CLASS_ORDER, class_end__in=CLASS_ORDER)
        )
        # the class letters compare like their order: a smaller letter is a better class
        if direction > 0:
            return annotated.filter(Q(class_end__lt=F("class_start")))
        return annotated.filter(Q(class_end__gt=F("class_start")))

    return select


def _deciders(deals: QuerySet[Opportunity], period: Period, **extra: Any) -> QuerySet[Any]:
    chosen = deciders_in_play(deals, period).filter(**extra)
    return deals.filter(pk__in=chosen.values("opportunity_id"))


def _connected(deals: QuerySet[Opportunity], period: Period) -> QuerySet[Opportunity]:
    chosen = deciders_in_play(deals, period).filter(has_connection())
    return deals.filter(pk__in=chosen.values("opportunity_id"))


def _ka_positive(deals: QuerySet[Opportunity], period: Period) -> QuerySet[Opportunity]:
    chosen = DecisionParticipant.objects.filter(
        opportunity__in=deals.values("pk"),
        archived_at__isnull=True,
        decision_role__in=DECIDER_ROLES,
        relationship_status__in=POSITIVE,
        opportunity__account__segment=Segment.KA,
    )
    in_play = deciders_in_play(deals, period).values("opportunity_id")
    return deals.filter(pk__in=chosen.values("opportunity_id")).filter(pk__in=in_play)


KPIS: dict[str, Kpi] = {
    k.key: k
    for k in (
        Kpi("accounts", _("Accounts"), "accounts", lambda a, p: a),
        Kpi(
            "accounts_ab",
            _("Accounts graded A/B"),
            "accounts",
            lambda a, p: a.filter(grade__in=("A", "B")),
        ),
        Kpi("improved", _("Nine-box class improved"), "accounts", _movement(1)),
        Kpi("declined", _("Nine-box class declined"), "accounts", _movement(-1)),
        Kpi(
            "ka_accounts", _("Key accounts"), "accounts", lambda a, p: a.filter(segment=Segment.KA)
        ),
        Kpi(
            "ka_ahead",
            _("Key accounts ahead of both top competitors"),
            "accounts",
            lambda a, p: a.filter(segment=Segment.KA).filter(
                ahead_of_top_competitors(p.date_to.year)
            ),
        ),
        Kpi("open", _("Open deals"), "deals", lambda d, p: d.filter(stage__in=OPEN_STAGES)),
        Kpi(
            "unrated",
            _("Open deals not rated"),
            "deals",
            lambda d, p: d.filter(stage__in=OPEN_STAGES, win_rate__isnull=True),
        ),
        Kpi("won", _("Deals won"), "deals", lambda d, p: d.filter(won_in(p))),
        Kpi(
            "lost", _("Deals lost"), "deals", lambda d, p: d.filter(closed_in(p), stage=Stage.LOST)
        ),
        Kpi("closed", _("Deals closed"), "deals", lambda d, p: d.filter(closed_in(p))),
        Kpi(
            "incubated",
            _("Deals incubated from plans or visits"),
            "deals",
            lambda d, p: d.filter(during("created_at", p), source__in=(Source.PLAN, Source.VISIT)),
        ),
        Kpi("deciders", _("Deals with approvers or decision makers mapped"), "deals", _deciders),
        Kpi(
            "connected", _("Deals whose deciders we reach through connections"), "deals", _connected
        ),
        Kpi("ka_positive", _("Key-account deals with a positive decider"), "deals", _ka_positive),
        Kpi(
            "connections_used",
            _("Closed deals that used connections"),
            "deals",
            _use("connections"),
        ),
        Kpi("solution_used", _("Closed deals that used the solution"), "deals", _use("solution")),
        Kpi("rules_used", _("Closed deals that kept the rules"), "deals", _use("rules")),
        Kpi(
            "presales",
            _("Deals with presales cost in the period"),
            "deals",
            lambda d, p: d.filter(
                Exists(
                    LedgerEntry.objects.filter(
                        during("created_at", p), opportunity_id=OuterRef("pk")
                    )
                )
            ),
        ),
        Kpi(
            "rules_fired",
            _("Deals where rules started firing"),
            "deals",
            lambda d, p: d.filter(
                Exists(
                    RiskFinding.objects.filter(
                        during("first_seen_at", p), opportunity_id=OuterRef("pk")
                    )
                )
            ),
        ),
        Kpi(
            "rules_overridden",
            _("Deals where rules were overridden"),
            "deals",
            lambda d, p: d.filter(
                Exists(
                    RiskOverride.objects.filter(
                        during("created_at", p), opportunity_id=OuterRef("pk")
                    )
                )
            ),
        ),
        Kpi(
            "collections",
            _("Won deals and their collections"),
            "deals",
            lambda d, p: d.filter(won_in(p)).filter(
                Q(contract__isnull=False)
                | Q(Exists(Payment.objects.filter(opportunity_id=OuterRef("pk"))))
            ),
        ),
    )
}
