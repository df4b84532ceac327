"""Opportunities (matched by external id or by name within their account), created in stage
1 and graded by `opportunity_create`; and competitors (matched by external id or name)."""

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from wuwei.competitors import services as competitor_services
from wuwei.competitors.models import Competitor
from wuwei.core.visibility import visible
from wuwei.dataio.importers.base import CREATE, Importer, RowPlan
from wuwei.dataio.models import ImportKind
from wuwei.dataio.values import choice_lookup, parse_choice, parse_date, parse_decimal
from wuwei.opportunities import services as opportunity_services
from wuwei.opportunities.models import Opportunity, Source

SOURCE_WORDS = {
    "web": Source.LEAD,
    "advertisement": Source.LEAD,
    "partner referral": Source.PARTNER,
    "线索": Source.LEAD,
    "拜访": Source.VISIT,
    "渠道": Source.PARTNER,
}


class OpportunityImporter(Importer):
    kind = ImportKind.OPPORTUNITIES
    model = Opportunity
    updatable = ("name", "amount", "currency", "expected_close", "owner", "source", "notes")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sources = choice_lookup(Source, SOURCE_WORDS)

    def parse(self, plan: RowPlan) -> None:
        self.parse_common(plan)
        if not plan.raw.get("name"):
            self.error(plan, "name", _("Every opportunity needs a name."))
        self.text(plan, "name", 200)
        self.text(plan, "notes", 100_000)
        self.convert(plan, "amount", parse_decimal)
        self.convert(plan, "expected_close", parse_date)
        self.convert(plan, "source", parse_choice, self.sources)
        currency = plan.raw.get("currency", "").upper()
        if currency:
            if len(currency) != 3 or not currency.isalpha():
                self.error(plan, "currency", _("A currency is a three-letter code such as CNY."))
            else:
                plan.values["currency"] = currency

    def resolve(self, plans: Sequence[RowPlan]) -> None:
        live = [plan for plan in plans if not plan.has_error]
        self.resolve_accounts(live)
        live = [plan for plan in live if not plan.has_error]
        by_external = self.external_targets(live)
        existing: dict[tuple[int, str], Opportunity] = {}
        if live:
            for deal in (
                visible(Opportunity, self.ctx.user)
                .filter(
                    account_id__in={p.values["account"].pk for p in live},
                    name__in={p.values["name"] for p in live},
                    archived_at__isnull=True,
                )
                .select_related("owner__team")
                .order_by("id")
            ):
                existing.setdefault((deal.account_id, deal.name.casefold()), deal)
        for plan in live:
            key = (plan.values["account"].pk, plan.values["name"].casefold())
            if not self.claim_key(plan, key, _("opportunity")):
                continue
            if plan.external_id in by_external:
                target = by_external[plan.external_id]
                if target is None:
                    self.error(
                        plan, "external_id", _("This opportunity exists but you cannot see it.")
                    )
                else:
                    self.match_existing(plan, target, linked=True)
            elif key in existing:
                self.match_existing(plan, existing[key], linked=False)
            else:
                plan.action = CREATE

    def create(self, plan: RowPlan) -> Any:
        fields = {
            k: v
            for k, v in plan.values.items()
            if k in ("currency", "expected_close", "source", "notes")
        }
        return opportunity_services.opportunity_create(
            user=self.ctx.user,
            account=plan.values["account"],
            name=plan.values["name"],
            amount=plan.values.get("amount", 0),
            owner=plan.values.get("owner"),
            **fields,
        )

    def update(self, plan: RowPlan) -> Any:
        return opportunity_services.opportunity_update(
            user=self.ctx.user,
            opportunity=plan.target,
            changes=plan.changes,
            expected_version=plan.target.version,
        )


class CompetitorImporter(Importer):
    kind = ImportKind.COMPETITORS
    model = Competitor
    has_owner = False
    updatable = ("name", "website", "headquarters", "description")

    def parse(self, plan: RowPlan) -> None:
        self.parse_common(plan)
        if not plan.raw.get("name"):
            self.error(plan, "name", _("Every competitor needs a name."))
        for name, limit in (
            ("name", 200),
            ("website", 200),
            ("headquarters", 200),
            ("description", 100_000),
        ):
            self.text(plan, name, limit)

    def resolve(self, plans: Sequence[RowPlan]) -> None:
        live = [plan for plan in plans if not plan.has_error]
        by_external = self.external_targets(live)
        existing = (
            {
                c.name.casefold(): c
                for c in visible(Competitor, self.ctx.user).filter(
                    name__in={p.values["name"] for p in live}
                )
            }
            if live
            else {}
        )
        for plan in live:
            key = plan.values["name"].casefold()
            if not self.claim_key(plan, key, _("competitor")):
                continue
            if plan.external_id in by_external and by_external[plan.external_id] is not None:
                self.match_existing(plan, by_external[plan.external_id], linked=True)
            elif key in existing:
                self.match_existing(plan, existing[key], linked=False)
            else:
                plan.action = CREATE

    def create(self, plan: RowPlan) -> Any:
        fields = {k: v for k, v in plan.values.items() if k in self.updatable and k != "name"}
        return competitor_services.competitor_create(
            user=self.ctx.user, name=plan.values["name"], **fields
        )

    def update(self, plan: RowPlan) -> Any:
        return competitor_services.competitor_update(
            user=self.ctx.user,
            competitor=plan.target,
            changes=plan.changes,
            expected_version=plan.target.version,
        )
