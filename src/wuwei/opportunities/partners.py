"""Partners are outsiders to internal work (METHOD.md §1) — the one place that decides what a
partner user may see of a deal and do to it. Services, the API, pages and selectors ask here;
nothing else spells out a partner rule for deals.

Row level, `visibility` already limits a partner to their own company's registrations and the
deals those became. Field level, this module adds:

- **read**: of a deal a partner sees only `PARTNER_FIELDS` (customer name and registration
  number, products, expected amount and date, the stage they report, protection expiry,
  conflicts); everything else (owner, team, grade, track, win rate, internal notes, loss
  reason, winning competitor…) is null in the API (`shown`) and left out of pages;
- **sub-resources**: competitors, compelling events, questionnaires, win rate, strategy, value
  proposition, decision map, presales requests, ledger, coaching, members and stage history are
  internal work: `internal_deal` answers 404 to a partner, exactly as for a deal they cannot
  see, and their rows are invisible to partners (`core.visibility.internal`);
- **write**: a partner changes only `PARTNER_WRITABLE` fields, and only on a deal their own
  company runs (its owner is in their company); the owner can never move outside their company.
  Anything else is refused before a row is written.
"""

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from django.utils.translation import gettext as _

from wuwei.core.errors import NotAllowed, NotFound
from wuwei.core.visibility import get_visible, scope_for
from wuwei.opportunities.models import Opportunity

# What a partner reads of a deal (attribute names of Opportunity, plus what the API derives).
PARTNER_FIELDS = frozenset(
    {
        "id",
        "pk",
        "account",
        "account_id",
        "name",
        "amount",
        "currency",
        "expected_close",
        "stage",
        "stage_entered_at",
        "closed_on",
        "partner",
        "partner_id",
        "registration",
        "registration_id",
        "products",
        "version",
        "archived_at",
        "created_at",
        "updated_at",
        "is_open",
        "get_stage_display",
    }
)
# What a partner may change on a deal their company runs (the stage through the stage move).
PARTNER_WRITABLE = frozenset({"name", "amount", "currency", "expected_close", "products", "owner"})
# The deal-page tabs a partner gets; every other tab is internal work and is not rendered.
PARTNER_TABS = frozenset({"overview"})
# Deal-list filters on internal fields: ignored for partners (a filter would be an oracle).
INTERNAL_FILTERS = ("grade", "track", "member", "team", "competitor")


def is_partner(user: Any) -> bool:
    """A partner user (channel partner staff) who does not also see everything."""
    return scope_for(user).is_partner


def _company_id(user: Any) -> int | None:
    team = getattr(user, "team", None)
    return team.pk if team is not None and team.kind == "partner" else None


def runs_deal(user: Any, opportunity: Opportunity) -> bool:
    """The partner user's company runs the deal: they own it, or a colleague of their partner
    company does. A partner-led deal owned by an internal rep is read-only to the partner."""
    if opportunity.owner_id == user.pk:
        return True
    company = _company_id(user)
    return company is not None and opportunity.owner.team_id == company


def require_internal(user: Any) -> None:
    """Internal work: a partner gets the same 404 as for something that does not exist."""
    if is_partner(user):
        raise NotFound(_("Not found."))


def internal_deal(user: Any, queryset: Any, opportunity_id: Any) -> Opportunity:
    """A deal for internal work (its competitors, win rate, strategy, ledger…): the visible
    deal for staff, 404 for a partner user whatever the deal."""
    require_internal(user)
    deal: Opportunity = get_visible(queryset, user, pk=opportunity_id)
    return deal


def check_create(user: Any, fields: Mapping[str, Any]) -> None:
    """Partners create deals by converting their registration (partner-led, owned in their
    company); a direct deal, or one owned outside their company, is refused before writing."""
    if not is_partner(user):
        return
    owner = fields.get("owner") or user
    if fields.get("partner") is None or not _same_company(user, owner):
        raise NotAllowed(_("Partners create deals by converting their registration."))


def _same_company(user: Any, other: Any) -> bool:
    if other.pk == user.pk:
        return True
    company = _company_id(user)
    return company is not None and other.team_id == company


def check_edit(user: Any, opportunity: Opportunity, changes: Iterable[str] = ()) -> None:
    """Refuse, before writing, a partner's change to a deal their company does not run, to a
    field that is not theirs, or an owner outside their company."""
    if not is_partner(user):
        return
    if not runs_deal(user, opportunity):
        raise NotAllowed(
            _("This deal is run by our sales team; ask your channel manager to change it.")
        )
    fields = changes if isinstance(changes, Mapping) else dict.fromkeys(changes)
    internal = sorted(set(fields) - PARTNER_WRITABLE)
    if internal:
        raise NotAllowed(
            _("Partners may not change these fields: %(fields)s.")
            % {"fields": ", ".join(internal)},
            [(name, _("not allowed")) for name in internal],
        )
    owner = fields.get("owner")
    if owner is not None and not _same_company(user, owner):
        raise NotAllowed(
            _("A deal can only be handed to someone in your own company."),
            [("owner", _("not allowed"))],
        )


def visible_filters(user: Any, filters: Any) -> Any:
    """List filters a partner may use: internal ones are dropped (a dataclass `replace`)."""
    if not is_partner(user):
        return filters
    return replace(filters, **dict.fromkeys(INTERNAL_FILTERS))


def deal_tabs(user: Any, tabs: list[tuple[str, Any, str | None]]) -> list[Any]:
    """The deal page's tabs for this user: a partner gets only PARTNER_TABS (no empty tabs)."""
    if not is_partner(user):
        return tabs
    return [tab for tab in tabs if tab[0] in PARTNER_TABS]


class PartnerView:
    """A deal as a partner sees it: the partner fields of the deal, None for everything else.
    Allow-listed, so a field added to Opportunity later stays hidden until listed above."""

    __slots__ = ("_deal",)

    def __init__(self, deal: Opportunity) -> None:
        self._deal = deal

    def __getattr__(self, name: str) -> Any:
        if "." in name:  # a dotted path ("account.name"): the caller walks it field by field
            raise AttributeError(name)
        if name in PARTNER_FIELDS:
            return getattr(self._deal, name)
        return None


def shown(user: Any, deal: Opportunity) -> Any:
    """What the API returns for `deal` to `user`: the deal itself, or its PartnerView."""
    return PartnerView(deal) if is_partner(user) else deal


def shown_all(user: Any, deals: Iterable[Opportunity]) -> list[Any]:
    partner = is_partner(user)
    return [PartnerView(deal) if partner else deal for deal in deals]
