"""Winning-engine reads (METHOD.md §4.3, §4.5, §4.6). Callers pass a deal they already got
through `opportunities.selectors.opportunity_get` (visibility checked); rows hanging off it
are read through it, so an id from another deal is "not found"."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from wuwei.core.config import method_config
from wuwei.core.errors import NotFound
from wuwei.core.visibility import scope_for, visible
from wuwei.methodology.config import WinRateConfig
from wuwei.methodology.winrate import CompetitorScore, PartyScore, calculate_win_rate
from wuwei.opportunities.models import (
    OPEN_STAGES,
    AnswerRole,
    CompellingEvent,
    Opportunity,
    Questionnaire,
    QuestionnaireAnswer,
    StageHistory,
    WinRateSnapshot,
)
from wuwei.opportunities.winning.explain import reasons_to_json

# ----------------------------------------------------------------------------------------
# compelling events (§4.3)


def event_list(*, opportunity: Opportunity, archived: bool = False) -> QuerySet[CompellingEvent]:
    """The deal's compelling events, confirmed first (model ordering); archived on request."""
    qs = CompellingEvent.objects.filter(opportunity=opportunity).select_related("confirmed_by")
    return qs.filter(archived_at__isnull=not archived)


def event_get(*, opportunity: Opportunity, id: int) -> CompellingEvent:
    try:
        event: CompellingEvent = CompellingEvent.objects.select_related("confirmed_by").get(
            opportunity=opportunity, pk=id
        )
    except (CompellingEvent.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found.")) from None
    event.opportunity = opportunity
    return event


def has_confirmed_event(opportunity: Opportunity | int) -> bool:
    """§4.6 rule 1: any confirmed compelling event that is not archived."""
    return CompellingEvent.objects.filter(
        opportunity=opportunity, is_confirmed=True, archived_at__isnull=True
    ).exists()


# ----------------------------------------------------------------------------------------
# questionnaires (§4.5)

_ANSWERS = Prefetch(
    "competitor_answers",
    queryset=QuestionnaireAnswer.objects.select_related("competitor").order_by("id"),
)


def questionnaire_list(*, user: Any, opportunity: Opportunity) -> QuerySet[Questionnaire]:
    """Every version, rep and manager, newest first when paged by `-answered_at`."""
    return (
        visible(Questionnaire, user)
        .filter(opportunity=opportunity, archived_at__isnull=True)
        .select_related("answered_by")
        .prefetch_related(_ANSWERS)
    )


def questionnaire_get(*, user: Any, opportunity: Opportunity, id: int) -> Questionnaire:
    try:
        found: Questionnaire = questionnaire_list(user=user, opportunity=opportunity).get(pk=id)
    except (Questionnaire.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found.")) from None
    found.opportunity = opportunity
    return found


def _newest_rep(opportunity: Opportunity | int) -> QuerySet[Any, Any]:
    return (
        Questionnaire.objects.filter(
            opportunity=opportunity, role=AnswerRole.REP, archived_at__isnull=True
        )
        .order_by("-answered_at", "-id")
        .values("pk")[:1]
    )


def newest_rep_questionnaire_id(opportunity: Opportunity | int) -> int | None:
    return _newest_rep(opportunity).values_list("pk", flat=True).first()


def _effective(opportunity: Opportunity | int) -> QuerySet[Questionnaire]:
    newest = Subquery(_newest_rep(opportunity))
    return (
        Questionnaire.objects.filter(archived_at__isnull=True)
        .filter(Q(pk=newest) | Q(adjusts=newest, role=AnswerRole.MANAGER))
        .alias(
            is_adjustment=Case(
                When(role=AnswerRole.MANAGER, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-is_adjustment", "-answered_at", "-id")
    )


def effective_questionnaire(opportunity: Opportunity | int) -> Questionnaire | None:
    """The answers the deal's win rate comes from: the newest rep questionnaire, replaced by
    its newest manager adjustment if it has one (§4.5 "reviewed/adjusted by the manager").
    A newer rep questionnaire supersedes an older adjustment: it carries newer facts."""
    found: Questionnaire | None = _effective(opportunity).prefetch_related(_ANSWERS).first()
    return found


@dataclass(frozen=True, slots=True)
class Answers:
    """The effective questionnaire's answers as the win rate reads them."""

    has_inside_source: bool
    us_fit: int
    us_closeness: int
    competitors: list[tuple[int, int, int]]  # (competitor id, fit, closeness), as answered


def effective_answers(opportunity: Opportunity | int) -> Answers | None:
    """`effective_questionnaire`'s answers as plain values (two small queries, no rows built,
    no competitor joined): what a refresh of the win rate reads."""
    row = (
        _effective(opportunity)
        .values_list("pk", "has_inside_source", "us_fit", "us_closeness")
        .first()
    )
    if row is None:
        return None
    pk, has_inside_source, us_fit, us_closeness = row
    competitors = (
        QuestionnaireAnswer.objects.filter(questionnaire_id=pk)
        .order_by("id")
        .values_list("competitor_id", "fit", "closeness")
    )
    return Answers(has_inside_source, us_fit, us_closeness, list(competitors))


@dataclass
class QuestionnairePair:
    """One rep questionnaire and the manager's adjustments of it (newest first)."""

    rep: Questionnaire
    adjustments: list[Questionnaire] = field(default_factory=list)

    @property
    def adjustment(self) -> Questionnaire | None:
        return self.adjustments[0] if self.adjustments else None


def questionnaire_pairs(
    *, user: Any, opportunity: Opportunity, limit: int = 12
) -> list[QuestionnairePair]:
    """The newest `limit` rep questionnaires with their adjustments, for side-by-side display.
    Four queries whatever the number of rows."""
    adjustments = Prefetch(
        "adjustments",
        queryset=Questionnaire.objects.filter(archived_at__isnull=True)
        .select_related("answered_by")
        .prefetch_related(_ANSWERS)
        .order_by("-answered_at", "-id"),
    )
    reps = (
        questionnaire_list(user=user, opportunity=opportunity)
        .filter(role=AnswerRole.REP)
        .prefetch_related(adjustments)
        .order_by("-answered_at", "-id")[:limit]
    )
    return [QuestionnairePair(rep, list(rep.adjustments.all())) for rep in reps]


# ----------------------------------------------------------------------------------------
# win rate (§4.6)


@dataclass(frozen=True, slots=True)
class WinRateEvaluation:
    """What the deal's win rate is now and why (`reasons` in their stored JSON form)."""

    win_rate: int | None
    reasons: list[dict[str, Any]]
    questionnaire: Questionnaire | None
    has_confirmed_event: bool


def win_rate_for_answers(
    *,
    has_confirmed_event: bool,
    has_inside_source: bool,
    us_fit: int,
    us_closeness: int,
    competitors: list[tuple[int, int, int]],
    config: WinRateConfig,
) -> tuple[int | None, list[dict[str, Any]]]:
    """The methodology's calculation for one set of answers: (win rate, stored reasons)."""
    result = calculate_win_rate(
        has_confirmed_compelling_event=has_confirmed_event,
        has_inside_source=has_inside_source,
        us=PartyScore(fit=us_fit, closeness=us_closeness),
        competitors=[CompetitorScore(c, fit, closeness) for c, fit, closeness in competitors],
        config=config,
    )
    return result.win_rate, reasons_to_json(result.reasons)


def win_rate_evaluate(
    *, opportunity: Opportunity, config: WinRateConfig | None = None
) -> WinRateEvaluation:
    """Facts (confirmed event, effective questionnaire) → calculate_win_rate. No
    questionnaire: not rated, because of the missing event if there is none (rule 1 comes
    first), else `no_questionnaire`. Four queries."""
    config = config or method_config().win_rate
    has_event = has_confirmed_event(opportunity)
    questionnaire = effective_questionnaire(opportunity)
    if questionnaire is None:
        code = "no_questionnaire" if has_event else "no_compelling_event"
        return WinRateEvaluation(None, [{"code": code, "params": {}}], None, has_event)
    win_rate, reasons = win_rate_for_answers(
        has_confirmed_event=has_event,
        has_inside_source=questionnaire.has_inside_source,
        us_fit=questionnaire.us_fit,
        us_closeness=questionnaire.us_closeness,
        competitors=[
            (a.competitor_id, a.fit, a.closeness) for a in questionnaire.competitor_answers.all()
        ],
        config=config,
    )
    return WinRateEvaluation(win_rate, reasons, questionnaire, has_event)


def win_rate_of(*, opportunity: Opportunity, config: WinRateConfig) -> int | None:
    """The win rate `win_rate_evaluate` gives, without the questionnaire and reasons shown
    beside it: three queries of plain values (what a refresh stores)."""
    answers = effective_answers(opportunity)
    if answers is None:
        return None
    win_rate, _reasons = win_rate_for_answers(
        has_confirmed_event=has_confirmed_event(opportunity),
        has_inside_source=answers.has_inside_source,
        us_fit=answers.us_fit,
        us_closeness=answers.us_closeness,
        competitors=answers.competitors,
        config=config,
    )
    return win_rate


def competitor_names(user: Any, questionnaires: list[Questionnaire | None]) -> dict[int, str]:
    """Names for explanations, from the prefetched answers; none for partners, who do not
    see competitor intelligence (the sentence then says "a competitor")."""
    if scope_for(user).is_partner:
        return {}
    return {
        answer.competitor_id: answer.competitor.name
        for questionnaire in questionnaires
        if questionnaire is not None
        for answer in questionnaire.competitor_answers.all()
    }


def win_rate_history(*, opportunity: Opportunity) -> list[WinRateSnapshot]:
    """The weekly curve, oldest week first."""
    return list(WinRateSnapshot.objects.filter(opportunity=opportunity).order_by("week"))


def stage_changes(*, opportunity: Opportunity) -> list[dict[str, Any]]:
    """Each stage the deal entered and when: the markers on the curve."""
    rows = StageHistory.objects.filter(opportunity=opportunity).order_by("entered_at", "id")
    return [
        {"stage": r["stage"], "entered_at": r["entered_at"]}
        for r in rows.values("stage", "entered_at")
    ]


def week_monday(at: datetime | date) -> date:
    """The Monday of the ISO week `at` falls in (local time): a snapshot's `week`."""
    day = timezone.localdate(at) if isinstance(at, datetime) else at
    return date.fromordinal(day.toordinal() - day.weekday())


def open_deals() -> QuerySet[Opportunity]:
    """The deals the engine follows week by week (snapshots, change events): open stages,
    not archived."""
    return Opportunity.objects.filter(stage__in=OPEN_STAGES, archived_at__isnull=True)
