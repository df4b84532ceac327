"""/opportunities/{id}/compelling-events, /questionnaires and /win-rate (API.md).
Validate → selector/service; the deal is looked up through visibility first (404 outside)."""

from datetime import date, datetime
from typing import Annotated, Any

from django.utils import timezone
from ninja import Field, Query, Router, Status
from pydantic import StrictBool

from wuwei.core.api import (
    ERRORS,
    AuthedRequest,
    ListQuery,
    Schema,
    expected_version,
    reject_nulls,
)
from wuwei.core.pagination import keyset_page
from wuwei.methodology.compelling_events import is_due_for_reevaluation
from wuwei.methodology.presales import iso_week
from wuwei.opportunities import partners
from wuwei.opportunities.models import CompellingEvent, Confidence, Opportunity, Questionnaire
from wuwei.opportunities.winning import selectors, services
from wuwei.opportunities.winning.explain import explain

router = Router(tags=["win rate"])


def _deal(request: AuthedRequest, opportunity_id: int) -> Opportunity:
    qs = Opportunity.objects.select_related("owner__team", "team")
    return partners.internal_deal(request.auth, qs, opportunity_id)


# ----------------------------------------------------------------------------------------
# compelling events (§4.3)


class CompellingEventOut(Schema):
    id: int
    opportunity: int = Field(alias="opportunity_id")
    description: str
    evidence: str
    event_date: date | None
    confidence: str
    confirmed: bool = Field(alias="is_confirmed")
    confirmed_by: int | None = Field(None, alias="confirmed_by_id")
    confirmed_at: datetime | None
    reevaluate_on: date | None
    reevaluation_due: bool
    version: int
    archived: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_reevaluation_due(obj: CompellingEvent) -> bool:
        return obj.archived_at is None and is_due_for_reevaluation(
            obj.reevaluate_on, timezone.localdate()
        )

    @staticmethod
    def resolve_archived(obj: CompellingEvent) -> bool:
        return obj.archived_at is not None


class EventList(Schema):
    items: list[CompellingEventOut]
    next: str | None
    count: int | None = None


class CompellingEventIn(Schema):
    description: str = Field(min_length=1, max_length=5000)
    evidence: str = Field("", max_length=5000)
    event_date: date | None = None
    confidence: Confidence = Confidence.MEDIUM
    confirmed: bool = False
    reevaluate_on: date | None = Field(None, description="default: the §4.3 rule (30 days)")


class EventPatch(Schema):
    description: str | None = Field(None, min_length=1, max_length=5000)
    evidence: str | None = Field(None, max_length=5000)
    event_date: date | None = None
    confidence: Confidence | None = None
    confirmed: bool | None = None
    reevaluate_on: date | None = None
    version: int | None = None


class EventQuery(ListQuery):
    archived: bool = False


@router.get("/{opportunity_id}/compelling-events", response={200: EventList, **ERRORS})
def event_list(request: AuthedRequest, opportunity_id: int, page: Query[EventQuery]) -> Any:
    qs = selectors.event_list(opportunity=_deal(request, opportunity_id), archived=page.archived)
    return keyset_page(qs, sort="id", limit=page.limit, cursor=page.cursor, with_count=page.count)


@router.post("/{opportunity_id}/compelling-events", response={201: CompellingEventOut, **ERRORS})
def event_create(request: AuthedRequest, opportunity_id: int, payload: CompellingEventIn) -> Any:
    data = payload.dict()
    data["is_confirmed"] = data.pop("confirmed")
    data["confidence"] = str(data["confidence"])
    event = services.compelling_event_create(
        user=request.auth, opportunity=_deal(request, opportunity_id), **data
    )
    return Status(201, event)


@router.get(
    "/{opportunity_id}/compelling-events/{event_id}", response={200: CompellingEventOut, **ERRORS}
)
def event_get(request: AuthedRequest, opportunity_id: int, event_id: int) -> Any:
    return selectors.event_get(opportunity=_deal(request, opportunity_id), id=event_id)


@router.patch(
    "/{opportunity_id}/compelling-events/{event_id}", response={200: CompellingEventOut, **ERRORS}
)
def event_patch(
    request: AuthedRequest, opportunity_id: int, event_id: int, payload: EventPatch
) -> Any:
    event = selectors.event_get(opportunity=_deal(request, opportunity_id), id=event_id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    reject_nulls(changes, ("description", "confidence", "confirmed"))
    if "confirmed" in changes:
        changes["is_confirmed"] = changes.pop("confirmed")
    if changes.get("confidence") is not None:
        changes["confidence"] = str(changes["confidence"])
    if "evidence" in changes and changes["evidence"] is None:
        changes["evidence"] = ""
    return services.compelling_event_update(
        user=request.auth,
        event=event,
        changes=changes,
        expected_version=expected_version(request, payload.version),
    )


@router.delete(
    "/{opportunity_id}/compelling-events/{event_id}", response={200: CompellingEventOut, **ERRORS}
)
def event_delete(request: AuthedRequest, opportunity_id: int, event_id: int) -> Any:
    event = selectors.event_get(opportunity=_deal(request, opportunity_id), id=event_id)
    return services.compelling_event_archive(user=request.auth, event=event)


# ----------------------------------------------------------------------------------------
# questionnaires (§4.5)

Score = Annotated[int, Field(ge=0, le=10, strict=True)]


class PartyIn(Schema):
    fit: Score
    closeness: Score


class CompetitorAnswerIn(Schema):
    competitor: int = Field(strict=True)
    fit: Score
    closeness: Score


class QuestionnaireIn(Schema):
    has_inside_source: StrictBool
    us: PartyIn
    competitors: list[CompetitorAnswerIn] = Field(default_factory=list, max_length=100)
    comment: str = Field("", max_length=5000)


class PartyOut(Schema):
    fit: int
    closeness: int


class CompetitorAnswerOut(Schema):
    competitor: int
    name: str
    fit: int
    closeness: int


class WinningReasonOut(Schema):
    code: str
    params: dict[str, str | int | None]
    message: str


class QuestionnaireOut(Schema):
    id: int
    opportunity: int
    role: str
    adjusts: int | None
    answered_by: int
    answered_by_name: str
    answered_at: datetime
    has_inside_source: bool
    us: PartyOut
    competitors: list[CompetitorAnswerOut]
    comment: str
    win_rate: int | None
    explanation: list[WinningReasonOut]


class QuestionnaireList(Schema):
    items: list[QuestionnaireOut]
    next: str | None
    count: int | None = None


def _questionnaire_out(request: AuthedRequest, questionnaire: Questionnaire) -> dict[str, Any]:
    answers = list(questionnaire.competitor_answers.all())
    names = selectors.competitor_names(request.auth, [questionnaire])
    return {
        "id": questionnaire.pk,
        "opportunity": questionnaire.opportunity_id,
        "role": questionnaire.role,
        "adjusts": questionnaire.adjusts_id,
        "answered_by": questionnaire.answered_by_id,
        "answered_by_name": str(questionnaire.answered_by),
        "answered_at": questionnaire.answered_at,
        "has_inside_source": questionnaire.has_inside_source,
        "us": {"fit": questionnaire.us_fit, "closeness": questionnaire.us_closeness},
        "competitors": [
            {
                "competitor": a.competitor_id,
                "name": a.competitor.name,
                "fit": a.fit,
                "closeness": a.closeness,
            }
            for a in answers
        ],
        "comment": questionnaire.comment,
        "win_rate": questionnaire.win_rate,
        "explanation": _explanation(questionnaire.explanation, names),
    }


def _explanation(stored: list[dict[str, Any]], names: dict[int, str]) -> list[dict[str, Any]]:
    return [
        {"code": e.code, "params": e.params, "message": e.message} for e in explain(stored, names)
    ]


def _answers(payload: QuestionnaireIn) -> dict[str, Any]:
    return {
        "has_inside_source": payload.has_inside_source,
        "us_fit": payload.us.fit,
        "us_closeness": payload.us.closeness,
        "competitors": [(c.competitor, c.fit, c.closeness) for c in payload.competitors],
        "comment": payload.comment,
    }


@router.get("/{opportunity_id}/questionnaires", response={200: QuestionnaireList, **ERRORS})
def questionnaire_list(request: AuthedRequest, opportunity_id: int, page: Query[ListQuery]) -> Any:
    """Every version, rep and manager, newest first."""
    qs = selectors.questionnaire_list(user=request.auth, opportunity=_deal(request, opportunity_id))
    found = keyset_page(
        qs, sort="-answered_at", limit=page.limit, cursor=page.cursor, with_count=page.count
    )
    items = [_questionnaire_out(request, q) for q in found.items]
    return {"items": items, "next": found.next, "count": found.count}


def _created(request: AuthedRequest, opportunity: Opportunity, created: Questionnaire) -> Any:
    fresh = selectors.questionnaire_get(user=request.auth, opportunity=opportunity, id=created.pk)
    return Status(201, _questionnaire_out(request, fresh))


@router.post("/{opportunity_id}/questionnaires", response={201: QuestionnaireOut, **ERRORS})
def questionnaire_submit(
    request: AuthedRequest, opportunity_id: int, payload: QuestionnaireIn
) -> Any:
    opportunity = _deal(request, opportunity_id)
    created = services.questionnaire_submit(
        user=request.auth, opportunity=opportunity, **_answers(payload)
    )
    return _created(request, opportunity, created)


@router.get(
    "/{opportunity_id}/questionnaires/{questionnaire_id}",
    response={200: QuestionnaireOut, **ERRORS},
)
def questionnaire_get(request: AuthedRequest, opportunity_id: int, questionnaire_id: int) -> Any:
    opportunity = _deal(request, opportunity_id)
    found = selectors.questionnaire_get(
        user=request.auth, opportunity=opportunity, id=questionnaire_id
    )
    return _questionnaire_out(request, found)


@router.post(
    "/{opportunity_id}/questionnaires/{questionnaire_id}/adjustment",
    response={201: QuestionnaireOut, **ERRORS},
)
def questionnaire_adjust(
    request: AuthedRequest, opportunity_id: int, questionnaire_id: int, payload: QuestionnaireIn
) -> Any:
    """The manager's adjusted version of the rep's answers; both are kept."""
    opportunity = _deal(request, opportunity_id)
    original = selectors.questionnaire_get(
        user=request.auth, opportunity=opportunity, id=questionnaire_id
    )
    created = services.questionnaire_adjust(
        user=request.auth, questionnaire=original, **_answers(payload)
    )
    return _created(request, opportunity, created)


# ----------------------------------------------------------------------------------------
# win rate (§4.6)


class HistoryPointOut(Schema):
    week: str
    week_start: date
    win_rate: int | None
    stage: str


class StageChangeOut(Schema):
    stage: str
    entered_at: datetime


class WinRateOut(Schema):
    win_rate: int | None
    questionnaire: int | None
    explanation: list[WinningReasonOut]
    history: list[HistoryPointOut]
    stage_changes: list[StageChangeOut]


@router.get("/{opportunity_id}/win-rate", response={200: WinRateOut, **ERRORS})
def win_rate(request: AuthedRequest, opportunity_id: int) -> Any:
    """The current win rate (the deal's stored value) with the rules that give it, the
    weekly curve (ISO weeks) and the stage changes to mark on it."""
    opportunity = _deal(request, opportunity_id)
    evaluation = selectors.win_rate_evaluate(opportunity=opportunity)
    names = selectors.competitor_names(request.auth, [evaluation.questionnaire])
    return {
        "win_rate": opportunity.win_rate,
        "questionnaire": evaluation.questionnaire.pk if evaluation.questionnaire else None,
        "explanation": _explanation(evaluation.reasons, names),
        "history": [
            {
                "week": iso_week(s.week),
                "week_start": s.week,
                "win_rate": s.win_rate,
                "stage": s.stage,
            }
            for s in selectors.win_rate_history(opportunity=opportunity)
        ],
        "stage_changes": selectors.stage_changes(opportunity=opportunity),
    }
