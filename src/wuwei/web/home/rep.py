"""The rep's panels: deals closing, events due, stale questionnaires, overdue actions, win-rate
drops, risks, this week's activities."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import (
    Case,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.urls import reverse

from wuwei.accounts.models import PlanAction
from wuwei.coaching.models import ActionStatus as CoachingActionStatus
from wuwei.coaching.models import CoachingAction
from wuwei.core.visibility import visible
from wuwei.opportunities.models import (
    CompellingEvent,
    Opportunity,
    Questionnaire,
    WinRateChange,
)
from wuwei.people.models import Activity
from wuwei.playbook.models import RiskFinding, RiskSeverity
from wuwei.playbook.selectors import open_visible_deals
from wuwei.web.home.base import (
    AB,
    DUE_AHEAD,
    OPEN_PLAN_ACTIONS,
    RECENT_WEEKS,
    STALE_QUESTIONNAIRE,
    Today,
    _deal_url,
    _list_url,
    _my_open_deals,
    quarter_of,
)

# ----------------------------------------------------------------------------------------
# rep


def deals_closing(t: Today) -> Sequence[Any]:
    first, last, _period = quarter_of(t.today)
    qs = _my_open_deals(t).filter(expected_close__range=(first, last)).select_related("account")
    return list(qs.order_by("expected_close", "pk")[: t.fetch])


def _deals_closing_list(t: Today) -> str:
    return _list_url(
        "opportunities:list", owner="me", status="open", close_period=quarter_of(t.today)[2]
    )


def events_due(t: Today) -> Sequence[Any]:
    qs = visible(CompellingEvent, t.user).filter(
        archived_at__isnull=True,
        reevaluate_on__lte=t.today + DUE_AHEAD,
        opportunity__in=_my_open_deals(t).values("pk"),
    )
    return list(qs.select_related("opportunity").order_by("reevaluate_on", "pk")[: t.fetch])


def stale_questionnaires(t: Today) -> Sequence[Any]:
    """The user's open AB deals whose newest questionnaire is over a week old, or missing."""
    newest = (
        Questionnaire.objects.filter(opportunity_id=OuterRef("pk"), archived_at__isnull=True)
        .order_by("-answered_at")
        .values("answered_at")[:1]
    )
    qs = (
        _my_open_deals(t)
        .filter(grade__in=AB)
        .annotate(last_answered=Subquery(newest))
        .filter(Q(last_answered__isnull=True) | Q(last_answered__lt=t.now - STALE_QUESTIONNAIRE))
        .select_related("account")
    )
    order = (F("last_answered").asc(nulls_first=True), "pk")
    return list(qs.order_by(*order)[: t.fetch])


@dataclass(frozen=True, slots=True)
class ActionRow:
    """An overdue action of an account plan or of a coaching review, with its record."""

    kind: str  # "plan" or "coaching"
    title: str
    due: date
    owner: Any
    record: str  # the account or the deal it belongs to
    url: str


def _plan_rows(t: Today, owners: Q) -> list[ActionRow]:
    qs = (
        visible(PlanAction, t.user)
        .filter(owners, archived_at__isnull=True, status__in=OPEN_PLAN_ACTIONS, due__lt=t.today)
        .select_related("owner", "plan__account")
        .order_by("due", "pk")[: t.fetch]
    )
    return [
        ActionRow(
            "plan",
            action.title,
            action.due,  # type: ignore[arg-type]  # due__lt excludes nulls
            action.owner,
            action.plan.account.name,
            reverse("accounts:tab", args=[action.plan.account_id, "plan"]),
        )
        for action in qs
    ]


def _coaching_rows(t: Today, owners: Q) -> list[ActionRow]:
    qs = (
        visible(CoachingAction, t.user)
        .filter(
            owners,
            archived_at__isnull=True,
            status=CoachingActionStatus.OPEN,
            due__lt=t.today,
        )
        .select_related("owner", "opportunity")
        .order_by("due", "pk")[: t.fetch]
    )
    return [
        ActionRow(
            "coaching",
            action.title,
            action.due,
            action.owner,
            action.opportunity.name,
            _deal_url(action.opportunity_id, "coaching"),
        )
        for action in qs
    ]


def _overdue(t: Today, owners: Q) -> list[ActionRow]:
    rows = _plan_rows(t, owners) + _coaching_rows(t, owners)
    return sorted(rows, key=lambda row: (row.due, row.kind))[: t.fetch]


def my_overdue_actions(t: Today) -> Sequence[Any]:
    return _overdue(t, Q(owner_id=t.user.pk))


def win_rate_drops(t: Today) -> Sequence[Any]:
    qs = visible(WinRateChange, t.user).filter(
        opportunity__in=_my_open_deals(t).values("pk"),
        current__lt=F("previous"),
        week__gte=t.monday - timedelta(weeks=RECENT_WEEKS),
    )
    return list(qs.select_related("opportunity").order_by("-week", "-pk")[: t.fetch])


_SEVERITY_ORDER = Case(
    When(rule__severity=RiskSeverity.HIGH, then=0),
    When(rule__severity=RiskSeverity.MEDIUM, then=1),
    default=2,
    output_field=IntegerField(),
)


def _fired(deals: QuerySet[Opportunity]) -> QuerySet[RiskFinding]:
    return RiskFinding.objects.filter(
        opportunity__in=deals.values("pk"), rule__enabled=True, rule__archived_at__isnull=True
    )


def my_risks(t: Today) -> Sequence[Any]:
    """Rules firing on the user's deals (the nightly evaluation's findings), worst first."""
    deals = open_visible_deals(user=t.user).filter(owner_id=t.user.pk)
    qs = _fired(deals).select_related("rule", "opportunity")
    return list(qs.order_by(_SEVERITY_ORDER, "-first_seen_at", "pk")[: t.fetch])


def week_activities(t: Today) -> Sequence[Any]:
    qs = visible(Activity, t.user).filter(
        owner_id=t.user.pk,
        archived_at__isnull=True,
        occurred_on__range=(t.monday, t.monday + timedelta(days=6)),
    )
    return list(
        qs.select_related("account", "opportunity").order_by("occurred_on", "pk")[: t.fetch]
    )
