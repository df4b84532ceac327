"""Winning-engine writes (METHOD.md §4.3, §4.5, §4.6): compelling events, questionnaires and
the manager's adjustments, and `win_rate_refresh`, which every one of them ends with.

Who writes: whoever may edit the deal (its visibility is checked by the caller, as for every
deal write; the role check is `Action.DEAL_WRITE` of org.permissions). Questionnaires score
named competitors, so partner users (who do not see competitor intelligence) do not answer
them. Adjusting needs a manager above the deal owner, an executive or an administrator.
"""

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wuwei.competitors.models import Competitor
from wuwei.core import services as core_services
from wuwei.core.config import method_config
from wuwei.core.errors import Conflict, NotAllowed, ValidationFailed
from wuwei.methodology.compelling_events import reevaluate_on_default
from wuwei.methodology.config import WinRateConfig
from wuwei.methodology.winrate import win_rate_change_event
from wuwei.opportunities.models import (
    OPEN_STAGES,
    AnswerRole,
    CompellingEvent,
    Opportunity,
    OpportunityCompetitor,
    Questionnaire,
    QuestionnaireAnswer,
    WinRateSnapshot,
)
from wuwei.opportunities.services import require_writer
from wuwei.opportunities.visibility import manages_deal
from wuwei.opportunities.winning.changes import change_events_for
from wuwei.opportunities.winning.selectors import (
    has_confirmed_event,
    newest_rep_questionnaire_id,
    week_monday,
    win_rate_for_answers,
    win_rate_of,
)
from wuwei.org.models import User
from wuwei.org.permissions import Action, require

EVENT_FIELDS = ("description", "evidence", "event_date", "confidence", "reevaluate_on")

# (competitor or its id, need fit, closeness): questions 3 and 4 of §4.5 for one competitor
CompetitorAnswers = Sequence[tuple[Competitor | int, Any, Any]]


def _require_open(opportunity: Opportunity) -> None:
    if opportunity.archived_at is not None:
        raise Conflict(_("This record is archived. Restore it before editing."))
    if not opportunity.is_open:
        raise Conflict(_("The opportunity is closed."))


# ----------------------------------------------------------------------------------------
# compelling events (§4.3)


def _reevaluate_on(event_date: Any, at: datetime) -> Any:
    days = method_config().win_rate.reevaluate_days
    return reevaluate_on_default(event_date=event_date, today=timezone.localdate(at), days=days)


@transaction.atomic
def compelling_event_create(
    *,
    user: User,
    opportunity: Opportunity,
    description: str,
    evidence: str = "",
    event_date: Any = None,
    confidence: str = "medium",
    reevaluate_on: Any = None,
    is_confirmed: bool = False,
    at: datetime | None = None,
) -> CompellingEvent:
    """A new compelling event; `reevaluate_on` defaults to the §4.3 rule
    (methodology.compelling_events). Confirming it now records who and when."""
    require_writer(user)
    _require_open(opportunity)
    now = at or timezone.now()
    event = CompellingEvent(
        opportunity=opportunity,
        description=description.strip(),
        evidence=evidence.strip(),
        event_date=event_date,
        confidence=confidence,
        reevaluate_on=reevaluate_on or _reevaluate_on(event_date, now),
        is_confirmed=bool(is_confirmed),
        confirmed_by=user if is_confirmed else None,
        confirmed_at=now if is_confirmed else None,
    )
    core_services.save_new(event, user=user)
    win_rate_refresh(opportunity=opportunity, as_of=now)
    return event


@transaction.atomic
def compelling_event_update(
    *,
    user: User,
    event: CompellingEvent,
    changes: Mapping[str, Any],
    expected_version: int | None,
    at: datetime | None = None,
) -> CompellingEvent:
    """Edit fields and/or confirm (`is_confirmed`); a stale version is 409. Editing is
    re-evaluating: unless `reevaluate_on` is given, it moves to the default from today."""
    require_writer(user)
    unknown = set(changes) - {*EVENT_FIELDS, "is_confirmed"}
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    opportunity = event.opportunity
    _require_open(opportunity)
    now = at or timezone.now()
    changes = dict(changes)
    for name in ("description", "evidence"):
        if isinstance(changes.get(name), str):
            changes[name] = changes[name].strip()
    if "is_confirmed" in changes:
        confirmed = bool(changes["is_confirmed"])
        changes["is_confirmed"] = confirmed
        if confirmed != event.is_confirmed:
            changes["confirmed_by"] = user if confirmed else None
            changes["confirmed_at"] = now if confirmed else None
    if changes.get("reevaluate_on") is None:
        changes["reevaluate_on"] = _reevaluate_on(changes.get("event_date", event.event_date), now)
    updated: CompellingEvent = core_services.update_fields(
        event, user=user, changes=changes, expected_version=expected_version
    )
    win_rate_refresh(opportunity=opportunity, as_of=now)
    return updated


def compelling_event_confirm(
    *,
    user: User,
    event: CompellingEvent,
    confirmed: bool,
    expected_version: int | None,
    at: datetime | None = None,
) -> CompellingEvent:
    """Confirm (records who and when) or withdraw the confirmation (§4.3, §4.6 rule 1)."""
    return compelling_event_update(
        user=user,
        event=event,
        changes={"is_confirmed": confirmed},
        expected_version=expected_version,
        at=at,
    )


@transaction.atomic
def compelling_event_archive(
    *, user: User, event: CompellingEvent, at: datetime | None = None
) -> CompellingEvent:
    """Soft delete; an archived event no longer counts as confirmed."""
    require_writer(user)
    opportunity = event.opportunity
    _require_open(opportunity)
    archived: CompellingEvent = core_services.archive(event, user=user)
    win_rate_refresh(opportunity=opportunity, as_of=at or timezone.now())
    return archived


# ----------------------------------------------------------------------------------------
# questionnaires (§4.5)


def _is_score(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10


def _competitor_id(value: Competitor | int) -> int | None:
    if isinstance(value, Competitor):
        return value.pk
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _check_answers(
    opportunity: Opportunity,
    has_inside_source: Any,
    us: tuple[Any, Any],
    competitors: CompetitorAnswers,
    config: WinRateConfig,
) -> list[tuple[Competitor, int, int]]:
    """A yes/no coach answer, scores 0-10, each competitor on the deal and scored once, the
    most threatening scored (`_threat_errors`). Every problem at once, by API field name."""
    score_error = _("must be a whole number from 0 to 10")
    errors = (
        []
        if isinstance(has_inside_source, bool)
        else [("has_inside_source", _("answer yes or no"))]
    )
    errors += [
        (field, score_error)
        for field, value in zip(("us.fit", "us.closeness"), us, strict=True)
        if not _is_score(value)
    ]
    links = {
        link.competitor_id: link
        for link in OpportunityCompetitor.objects.filter(
            opportunity=opportunity, archived_at__isnull=True
        ).select_related("competitor")
    }
    answers: list[tuple[Competitor, int, int]] = []
    for index, (competitor, fit, closeness) in enumerate(competitors):
        prefix = f"competitors.{index}"
        competitor_id = _competitor_id(competitor)
        if competitor_id is None or competitor_id not in links:
            errors.append((f"{prefix}.competitor", _("not a competitor on this deal")))
            continue
        if any(answer[0].pk == competitor_id for answer in answers):
            errors.append((f"{prefix}.competitor", _("scored more than once")))
            continue
        errors += [
            (f"{prefix}.{name}", score_error)
            for name, value in (("fit", fit), ("closeness", closeness))
            if not _is_score(value)
        ]
        answers.append((links[competitor_id].competitor, fit, closeness))
    errors += _threat_errors(links, {answer[0].pk for answer in answers}, config)
    if errors:
        raise ValidationFailed(_("Please correct the answers."), errors)
    return answers


def _threat_errors(
    links: dict[int, OpportunityCompetitor], scored: set[int], config: WinRateConfig
) -> list[tuple[str, str]]:
    """§4.5 "at least the two most threatening": with n competitors on the deal, at least
    min(n, competitors_in_formula = 2) must be scored, and every one marked "main threat"
    must be among them (the threat the team named cannot be left out)."""
    errors = []
    needed = min(len(links), config.competitors_in_formula)
    if len(scored) < needed:
        message = ngettext(
            "score at least %(count)s competitor: the most threatening",
            "score at least %(count)s competitors: the most threatening",
            needed,
        ) % {"count": needed}
        errors.append(("competitors", message))
    missing = [
        link.competitor.name for cid, link in links.items() if link.is_primary and cid not in scored
    ]
    if missing:
        errors.append(
            ("competitors", _("score the main threat: %(names)s") % {"names": ", ".join(missing)})
        )
    return errors


def may_adjust(user: User, opportunity: Opportunity) -> bool:
    """An executive or administrator, or a manager above the deal (`manages_deal`) — never
    a manager adjusting the answers of a deal they own."""
    if user.sees_everything:
        return True
    return user.pk != opportunity.owner_id and manages_deal(user, opportunity)


def _store(
    *,
    user: User,
    opportunity: Opportunity,
    role: str,
    adjusts: Questionnaire | None,
    has_inside_source: Any,
    us: tuple[Any, Any],
    competitors: CompetitorAnswers,
    comment: str,
    at: datetime | None,
) -> Questionnaire:
    config = method_config().win_rate
    answers = _check_answers(opportunity, has_inside_source, us, competitors, config)
    now = at or timezone.now()
    win_rate, reasons = win_rate_for_answers(
        has_confirmed_event=has_confirmed_event(opportunity),
        has_inside_source=has_inside_source,
        us_fit=us[0],
        us_closeness=us[1],
        competitors=[(competitor.pk, fit, closeness) for competitor, fit, closeness in answers],
        config=config,
    )
    questionnaire = Questionnaire(
        opportunity=opportunity,
        role=role,
        adjusts=adjusts,
        answered_by=user,
        answered_at=now,
        has_inside_source=has_inside_source,
        us_fit=us[0],
        us_closeness=us[1],
        win_rate=win_rate,
        explanation=reasons,
        comment=(comment or "").strip(),
    )
    core_services.save_new(questionnaire, user=user)
    QuestionnaireAnswer.objects.bulk_create(
        QuestionnaireAnswer(questionnaire=questionnaire, competitor=c, fit=f, closeness=k)
        for c, f, k in answers
    )
    win_rate_refresh(opportunity=opportunity, as_of=now, config=config)
    return questionnaire


@transaction.atomic
def questionnaire_submit(
    *,
    user: User,
    opportunity: Opportunity,
    has_inside_source: bool,
    us_fit: int,
    us_closeness: int,
    competitors: CompetitorAnswers,
    comment: str = "",
    at: datetime | None = None,
) -> Questionnaire:
    """The rep's weekly answers (§4.5), with the win rate they give stored alongside; the
    deal's win rate is refreshed."""
    require(user, Action.DEAL_QUESTIONNAIRE)
    _require_open(opportunity)
    return _store(
        user=user,
        opportunity=opportunity,
        role=AnswerRole.REP,
        adjusts=None,
        has_inside_source=has_inside_source,
        us=(us_fit, us_closeness),
        competitors=competitors,
        comment=comment,
        at=at,
    )


@transaction.atomic
def questionnaire_adjust(
    *,
    user: User,
    questionnaire: Questionnaire,
    has_inside_source: bool,
    us_fit: int,
    us_closeness: int,
    competitors: CompetitorAnswers,
    comment: str = "",
    at: datetime | None = None,
) -> Questionnaire:
    """The manager's version of the rep's answers (§4.5 "both versions kept"): a new row
    with role manager pointing at the rep's row. Adjusting an adjustment adjusts the rep's
    answers it adjusted. Only the newest rep answers can be adjusted (older ones no longer
    decide the win rate): otherwise 409."""
    original = questionnaire.adjusts if questionnaire.adjusts_id else questionnaire
    assert original is not None
    opportunity = original.opportunity
    if not may_adjust(user, opportunity):
        raise NotAllowed(
            _("Only a manager above the deal owner, an executive or an administrator can adjust.")
        )
    _require_open(opportunity)
    if newest_rep_questionnaire_id(opportunity) != original.pk:
        raise Conflict(
            _("Newer answers were given since: adjust those instead."),
            [("questionnaire", _("superseded"))],
        )
    return _store(
        user=user,
        opportunity=opportunity,
        role=AnswerRole.MANAGER,
        adjusts=original,
        has_inside_source=has_inside_source,
        us=(us_fit, us_closeness),
        competitors=competitors,
        comment=comment,
        at=at,
    )


# ----------------------------------------------------------------------------------------
# win rate (§4.6)


@transaction.atomic
def win_rate_refresh(
    *,
    opportunity: Opportunity,
    as_of: datetime | None = None,
    config: WinRateConfig | None = None,
) -> int | None:
    """Recompute the deal's win rate from its facts (the rate `selectors.win_rate_evaluate`
    gives, read as values: `selectors.win_rate_of`), store it on the deal and in the
    snapshot of `as_of`'s ISO week (open, non-archived deals only), and return it.

    The win rate is derived, so it is saved with a queryset update: no `version` bump (an
    editor holding the deal gets no 409 because a questionnaire came in) and no history row
    (the questionnaires and snapshots are the record). The deal row is locked first, so
    concurrent refreshes of one deal are serialised and the last one sees every change."""
    as_of = as_of or timezone.now()
    config = config or method_config().win_rate
    stage, archived_at, opportunity.owner_id = (
        Opportunity.objects.select_for_update()
        .filter(pk=opportunity.pk)
        .values_list("stage", "archived_at", "owner_id")
        .get()
    )
    win_rate = win_rate_of(opportunity=opportunity, config=config)
    Opportunity.objects.filter(pk=opportunity.pk).update(win_rate=win_rate)
    opportunity.win_rate = win_rate
    if archived_at is None and stage in OPEN_STAGES:
        win_rate_snapshot_upsert(
            opportunity=opportunity, win_rate=win_rate, stage=stage, as_of=as_of
        )
        # A move of ≥ change_event_points against last week notifies now, not at the next
        # weekly run (§4.6); recorded once per deal and week, so the job will not repeat it.
        week = week_monday(as_of)
        if _may_be_change_event(opportunity, week, win_rate, config):
            change_events_for(week=week, opportunity_ids=[opportunity.pk])
    return win_rate


def _may_be_change_event(
    opportunity: Opportunity, week: date, win_rate: int | None, config: WinRateConfig
) -> bool:
    """Whether this week's rate (just stored) against last week's snapshot is a change event
    (§4.6): no query when the deal is not rated, one small one for last week's rate
    otherwise. Only then does `change_events_for` look for it (its join of the two weeks and
    of the events recorded costs far more to build than this)."""
    if win_rate is None:
        return False
    previous = (
        WinRateSnapshot.objects.filter(opportunity=opportunity, week=week - timedelta(days=7))
        .values_list("win_rate", flat=True)
        .first()
    )
    return win_rate_change_event(previous, win_rate, config=config)


def win_rate_snapshot_upsert(
    *, opportunity: Opportunity, win_rate: int | None, stage: str, as_of: datetime
) -> WinRateSnapshot:
    """The one snapshot of the deal for `as_of`'s ISO week (`week` = its Monday), created or
    overwritten with the latest value and the deal's owner (as `opportunity` holds it): the
    curve shows where each week ended. One
    statement, INSERT … ON CONFLICT (deal, week) DO UPDATE: no read first, no savepoint, and
    a concurrent writer of the same week cannot make it fail."""
    snapshot = WinRateSnapshot(
        opportunity=opportunity,
        week=week_monday(as_of),
        win_rate=win_rate,
        stage=stage,
        taken_at=as_of,
        owner_id=opportunity.owner_id,
    )
    WinRateSnapshot.objects.bulk_create(
        [snapshot],
        update_conflicts=True,
        unique_fields=["opportunity", "week"],
        update_fields=["win_rate", "stage", "taken_at", "owner"],
    )
    return snapshot
