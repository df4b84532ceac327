"""/contacts (API.md): the record and its persona, competitor statuses, influence edges and
"who can introduce me"."""

from datetime import datetime
from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Status

from wuwei.accounts.models import Account
from wuwei.competitors.models import Competitor
from wuwei.core.api import (
    ERRORS,
    AuthedRequest,
    ListQuery,
    Schema,
    expected_version,
    reject_nulls,
    visible_ref,
)
from wuwei.core.errors import NotFound, ValidationFailed
from wuwei.core.pagination import keyset_page
from wuwei.people import selectors, services
from wuwei.people.models import (
    BehaviorOrientation,
    Contact,
    ContactCompetitorStance,
    Influence,
    InteractionLevel,
    RelationshipStatus,
)

router = Router(tags=["contacts"])


class ContactOut(Schema):
    id: int
    account: int = Field(alias="account_id")
    account_name: str
    name: str
    title: str
    department: str
    phone: str
    email: str
    reports_to: int | None = Field(None, alias="reports_to_id")
    notes: str
    influence: int
    circle: str
    behavior_orientation: str
    relationship_status: str
    interaction_level: str
    version: int
    archived: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_account_name(obj: Contact) -> str:
        return obj.account.name

    @staticmethod
    def resolve_archived(obj: Contact) -> bool:
        return obj.archived_at is not None


class ContactIn(Schema):
    account: int
    name: str = Field(min_length=1, max_length=100)
    title: str = Field("", max_length=100)
    department: str = Field("", max_length=100)
    phone: str = Field("", max_length=50)
    email: str = Field("", max_length=254)
    reports_to: int | None = None
    notes: str = Field("", max_length=20000)
    influence: int = Field(3, ge=1, le=5)
    circle: str = Field("", max_length=100)
    behavior_orientation: BehaviorOrientation | None = None
    relationship_status: RelationshipStatus = RelationshipStatus.NEUTRAL


class ContactPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    title: str | None = Field(None, max_length=100)
    department: str | None = Field(None, max_length=100)
    phone: str | None = Field(None, max_length=50)
    email: str | None = Field(None, max_length=254)
    reports_to: int | None = None
    notes: str | None = Field(None, max_length=20000)
    influence: int | None = Field(None, ge=1, le=5)
    circle: str | None = Field(None, max_length=100)
    behavior_orientation: BehaviorOrientation | None = None
    relationship_status: RelationshipStatus | None = None
    interaction_level: str | None = Field(
        None, description="Read-only: derived from activities. Sending it is refused."
    )
    version: int | None = None


class ContactList(Schema):
    items: list[ContactOut]
    next: str | None
    count: int | None = None


class ContactQuery(ListQuery):
    q: str | None = Field(None, max_length=200)
    account: int | None = None
    department: str | None = Field(None, max_length=100)
    reports_to: int | None = None
    circle: str | None = Field(None, max_length=100)
    relationship_status: RelationshipStatus | None = None
    interaction_level: InteractionLevel | None = None
    archived: bool = False
    sort: str = Field("name", pattern="^-?(name|created_at|updated_at)$")


@router.get("", response={200: ContactList, **ERRORS})
def contact_list(request: AuthedRequest, query: Query[ContactQuery]) -> Any:
    filters = selectors.ContactFilters(
        q=query.q,
        account=query.account,
        department=query.department,
        reports_to=query.reports_to,
        circle=query.circle,
        relationship_status=query.relationship_status,
        interaction_level=query.interaction_level,
        archived=query.archived,
    )
    qs = selectors.contact_list(user=request.auth, filters=filters)
    return keyset_page(
        qs, sort=query.sort, limit=query.limit, cursor=query.cursor, with_count=query.count
    )


@router.post("", response={201: ContactOut, **ERRORS})
def contact_create(request: AuthedRequest, payload: ContactIn) -> Any:
    data = payload.dict()
    data["behavior_orientation"] = data["behavior_orientation"] or ""
    data["account"] = visible_ref(request.auth, Account, data["account"], "account")
    if data["reports_to"] is not None:
        data["reports_to"] = visible_ref(request.auth, Contact, data["reports_to"], "reports_to")
    contact = services.contact_create(user=request.auth, **data)
    return Status(201, selectors.contact_get(user=request.auth, id=contact.pk))


@router.get("/{contact_id}", response={200: ContactOut, **ERRORS})
def contact_get(request: AuthedRequest, contact_id: int) -> Any:
    return selectors.contact_get(user=request.auth, id=contact_id)


@router.patch("/{contact_id}", response={200: ContactOut, **ERRORS})
def contact_patch(request: AuthedRequest, contact_id: int, payload: ContactPatch) -> Any:
    contact = selectors.contact_get(user=request.auth, id=contact_id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    reject_nulls(
        changes,
        ("name", "title", "department", "phone", "email", "notes", "influence", "circle"),
    )
    reject_nulls(changes, ("relationship_status",))
    if "interaction_level" in changes:
        raise ValidationFailed(
            _("The interaction level is derived from activities and cannot be set."),
            [("interaction_level", _("read-only"))],
        )
    if "behavior_orientation" in changes:
        changes["behavior_orientation"] = changes["behavior_orientation"] or ""
    if changes.get("reports_to") is not None:
        changes["reports_to"] = visible_ref(
            request.auth, Contact, changes["reports_to"], "reports_to"
        )
    services.contact_update(
        user=request.auth,
        contact=contact,
        changes=changes,
        expected_version=expected_version(request, payload.version),
    )
    return selectors.contact_get(user=request.auth, id=contact_id)


@router.delete("/{contact_id}", response={200: ContactOut, **ERRORS})
def contact_delete(request: AuthedRequest, contact_id: int) -> Any:
    contact = selectors.contact_get(user=request.auth, id=contact_id)
    services.contact_archive(user=request.auth, contact=contact)
    return selectors.contact_get(user=request.auth, id=contact_id)


@router.post("/{contact_id}/restore", response={200: ContactOut, **ERRORS})
def contact_restore(request: AuthedRequest, contact_id: int) -> Any:
    contact = selectors.contact_get(user=request.auth, id=contact_id)
    services.contact_restore(user=request.auth, contact=contact)
    return selectors.contact_get(user=request.auth, id=contact_id)


class CompetitorStatusIn(Schema):
    competitor: int
    status: RelationshipStatus
    interaction_level: InteractionLevel = InteractionLevel.NONE


class CompetitorStatusOut(Schema):
    competitor: int = Field(alias="competitor_id")
    competitor_name: str
    status: str
    interaction_level: str
    version: int

    @staticmethod
    def resolve_competitor_name(obj: ContactCompetitorStance) -> str:
        return obj.competitor.name


class CompetitorStatusList(Schema):
    items: list[CompetitorStatusOut]
    next: str | None
    count: int | None = None


def _relations(contact: Contact) -> Any:
    return ContactCompetitorStance.objects.filter(
        contact=contact, archived_at__isnull=True
    ).select_related("competitor")


@router.get("/{contact_id}/competitors", response={200: CompetitorStatusList, **ERRORS})
def competitor_status_list(request: AuthedRequest, contact_id: int, query: Query[ListQuery]) -> Any:
    """Each competitor's relationship status and interaction with this contact (§3.2), by
    competitor name."""
    qs = _relations(selectors.contact_get(user=request.auth, id=contact_id))
    return keyset_page(
        qs.annotate(competitor_name=F("competitor__name")),
        sort="competitor_name",
        limit=query.limit,
        cursor=query.cursor,
        with_count=query.count,
    )


@router.put("/{contact_id}/competitors", response={200: CompetitorStatusOut, **ERRORS})
def competitor_status_put(
    request: AuthedRequest, contact_id: int, payload: CompetitorStatusIn
) -> Any:
    """Record or change one competitor's standing with the contact."""
    contact = selectors.contact_get(user=request.auth, id=contact_id)
    competitor = visible_ref(request.auth, Competitor, payload.competitor, "competitor")
    relation = services.competitor_relation_set(
        user=request.auth,
        contact=contact,
        competitor=competitor,
        status=payload.status,
        interaction_level=payload.interaction_level,
    )
    return _relations(contact).get(pk=relation.pk)


@router.delete("/{contact_id}/competitors/{competitor_id}", response={204: None, **ERRORS})
def competitor_status_delete(request: AuthedRequest, contact_id: int, competitor_id: int) -> Any:
    contact = selectors.contact_get(user=request.auth, id=contact_id)
    relation = _relations(contact).filter(competitor_id=competitor_id).first()
    if relation is None:
        raise NotFound(_("Not found."))
    services.competitor_relation_remove(user=request.auth, relation=relation)
    return Status(204, None)


class InfluenceIn(Schema):
    target: int
    note: str = Field("", max_length=200)


class InfluenceOut(Schema):
    id: int
    source: int = Field(alias="source_id")
    target: int = Field(alias="target_id")
    note: str


class InfluenceList(Schema):
    items: list[InfluenceOut]
    next: str | None
    count: int | None = None


@router.get("/{contact_id}/influences", response={200: InfluenceList, **ERRORS})
def influence_list(request: AuthedRequest, contact_id: int, query: Query[ListQuery]) -> Any:
    """Whom this contact influences (political map, account level), oldest edge first."""
    contact = selectors.contact_get(user=request.auth, id=contact_id)
    return keyset_page(
        Influence.objects.filter(source=contact, archived_at__isnull=True),
        limit=query.limit,
        cursor=query.cursor,
        with_count=query.count,
    )


@router.post("/{contact_id}/influences", response={201: InfluenceOut, **ERRORS})
def influence_create(request: AuthedRequest, contact_id: int, payload: InfluenceIn) -> Any:
    contact = selectors.contact_get(user=request.auth, id=contact_id)
    target = visible_ref(request.auth, Contact, payload.target, "target")
    edge = services.influence_add(
        user=request.auth, source=contact, target=target, note=payload.note
    )
    return Status(201, edge)


@router.delete("/{contact_id}/influences/{target_id}", response={204: None, **ERRORS})
def influence_delete(request: AuthedRequest, contact_id: int, target_id: int) -> Any:
    contact = selectors.contact_get(user=request.auth, id=contact_id)
    edge = Influence.objects.filter(source=contact, target_id=target_id).first()
    if edge is None:
        raise NotFound(_("Not found."))
    services.influence_remove(user=request.auth, influence=edge)
    return Status(204, None)


class IntroducerOut(Schema):
    employee: int = Field(alias="employee_id")
    employee_name: str
    via: int = Field(alias="contact_id")
    via_name: str = Field(alias="contact.name")
    via_title: str = Field(alias="contact.title")
    distance: int
    strength: int
    how: str
    score: int

    @staticmethod
    def resolve_employee_name(obj: Any) -> str:
        return str(obj.employee)


class IntroducerList(Schema):
    items: list[IntroducerOut]
    next: str | None
    count: int | None = None


@router.get("/{contact_id}/introducers", response={200: IntroducerList, **ERRORS})
def introducer_list(request: AuthedRequest, contact_id: int, query: Query[ListQuery]) -> Any:
    """Who can introduce me to this contact (§3.5): our employees connected to them or to
    someone above them in their reporting line, best first (score = strength − distance,
    then the closer one, then the stronger one)."""
    return keyset_page(
        selectors.introducers(user=request.auth, contact_id=contact_id),
        sort=selectors.INTRODUCER_ORDER,
        limit=query.limit,
        cursor=query.cursor,
        with_count=query.count,
    )
