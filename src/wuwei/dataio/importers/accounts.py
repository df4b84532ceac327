"""Accounts: matched by external id, registration number or normalised name (§7.3), created
in bulk with the rules of `account_create` (normalised name, team from the owner, KA profile
and strategy derived), updated through `account_update`."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from wuwei.accounts.conflicts import conflict_raise
from wuwei.accounts.models import Account, AccountStatus, ConflictKind, Industry
from wuwei.accounts.services.archive import account_prepare, account_update
from wuwei.core.config import method_config
from wuwei.core.visibility import visible
from wuwei.dataio.importers.base import CREATE, ERROR, UPDATE, Importer, RowPlan
from wuwei.dataio.models import ImportKind
from wuwei.dataio.values import choice_lookup, parse_choice, parse_decimal, parse_int, split_list
from wuwei.methodology.names import normalize_company_name
from wuwei.org.models import Segment

INDUSTRY_WORDS = {
    "technology": Industry.IT,
    "software": Industry.IT,
    "internet": Industry.IT,
    "telecommunications": Industry.TELECOM,
    "communications": Industry.TELECOM,
    "banking": Industry.FINANCE,
    "financial services": Industry.FINANCE,
    "insurance": Industry.FINANCE,
    "government administration": Industry.GOVERNMENT,
    "utilities": Industry.ENERGY,
    "energy": Industry.ENERGY,
    "oil & energy": Industry.ENERGY,
    "machinery": Industry.MANUFACTURING,
    "electronics": Industry.MANUFACTURING,
    "hospital & health care": Industry.HEALTHCARE,
    "retail": Industry.RETAIL,
    "consumer goods": Industry.RETAIL,
    "transportation": Industry.TRANSPORT,
    "logistics and supply chain": Industry.TRANSPORT,
    "education management": Industry.EDUCATION,
    "互联网": Industry.IT,
    "信息技术": Industry.IT,
    "通信": Industry.TELECOM,
    "金融": Industry.FINANCE,
    "银行": Industry.FINANCE,
    "政府": Industry.GOVERNMENT,
    "能源": Industry.ENERGY,
    "制造": Industry.MANUFACTURING,
    "制造业": Industry.MANUFACTURING,
    "医疗": Industry.HEALTHCARE,
    "教育": Industry.EDUCATION,
    "零售": Industry.RETAIL,
    "交通": Industry.TRANSPORT,
    "物流": Industry.TRANSPORT,
}
STATUS_WORDS = {
    "customer - direct": AccountStatus.CUSTOMER,
    "customer - channel": AccountStatus.CUSTOMER,
    "customer": AccountStatus.CUSTOMER,
    "lead": AccountStatus.PROSPECT,
    "marketingqualifiedlead": AccountStatus.PROSPECT,
    "opportunity": AccountStatus.PROSPECT,
    "salesqualifiedlead": AccountStatus.PROSPECT,
    "subscriber": AccountStatus.PROSPECT,
    "已成交": AccountStatus.CUSTOMER,
    "成交客户": AccountStatus.CUSTOMER,
    "潜在客户": AccountStatus.PROSPECT,
    "流失": AccountStatus.LOST,
}
FIELD_NAMES = [f.name for f in Account._meta.concrete_fields]
TEXT_LIMITS = {
    "name": 200,
    "registration_number": 50,
    "region": 100,
    "website": 200,
    "notes": 100_000,
}


class AccountImporter(Importer):
    kind = ImportKind.ACCOUNTS
    model = Account
    updatable = (
        "name",
        "registration_number",
        "industry",
        "region",
        "segment",
        "status",
        "owner",
        "website",
        "annual_revenue",
        "employee_count",
        "notes",
        "tags",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.industries = choice_lookup(Industry, INDUSTRY_WORDS)
        self.statuses = choice_lookup(AccountStatus, STATUS_WORDS)
        self.segments = choice_lookup(Segment, {"大客户": Segment.KA, "中小客户": Segment.SMB})
        self.config = method_config()

    def parse(self, plan: RowPlan) -> None:
        self.parse_common(plan)
        if not plan.raw.get("name"):
            self.error(plan, "name", _("Every account needs a name."))
        for name, limit in TEXT_LIMITS.items():
            self.text(plan, name, limit)
        industry = plan.raw.get("industry", "")
        if industry:
            value = self.industries.get(industry.casefold())
            if value is None:
                self.warn(
                    plan,
                    "industry",
                    _("The industry “%(text)s” is not in the list; it is kept as Other.")
                    % {"text": industry[:50]},
                )
            plan.values["industry"] = value or Industry.OTHER
        self.convert(plan, "status", parse_choice, self.statuses)
        self.convert(plan, "segment", parse_choice, self.segments)
        self.convert(plan, "annual_revenue", parse_decimal)
        self.convert(plan, "employee_count", parse_int)
        if "tags" in plan.raw:
            plan.values["tags"] = split_list(plan.raw["tags"])
        if plan.values.get("registration_number") == "":
            plan.values["registration_number"] = None

    def resolve(self, plans: Sequence[RowPlan]) -> None:
        live = [plan for plan in plans if not plan.has_error]
        by_external = self.external_targets(live)
        numbers = {
            p.values["registration_number"] for p in live if p.values.get("registration_number")
        }
        by_number = (
            {
                a.registration_number: a
                for a in Account.objects.filter(registration_number__in=numbers).select_related(
                    "owner__team"
                )
            }
            if numbers
            else {}
        )
        names = {normalize_company_name(p.values["name"])[:200] for p in live}
        similar: dict[str, list[Account]] = {}
        for account in (
            Account.objects.filter(name_normalized__in=names, archived_at__isnull=True)
            .select_related("owner__team")
            .order_by("id")
        ):
            similar.setdefault(account.name_normalized, []).append(account)
        seen = set(
            visible(Account, self.ctx.user)
            .filter(
                pk__in=[a.pk for group in similar.values() for a in group]
                + [a.pk for a in by_number.values()]
            )
            .values_list("pk", flat=True)
        )
        for plan in live:
            self._decide(plan, by_external, by_number, similar, seen)

    def _decide(
        self,
        plan: RowPlan,
        by_external: dict[str, Any],
        by_number: dict[str, Account],
        similar: dict[str, list[Account]],
        seen: set[int],
    ) -> None:
        normalized = normalize_company_name(plan.values["name"])[:200]
        if not self.claim_key(plan, normalized, _("account")):
            return
        if plan.external_id in by_external:
            target = by_external[plan.external_id]
            if target is None:
                self.error(
                    plan,
                    "external_id",
                    _("This account exists but you cannot see it; ask its owner."),
                )
            else:
                self.match_existing(plan, target, linked=True)
            return
        number = plan.values.get("registration_number")
        if number and number in by_number:
            target = by_number[number]
            if target.pk not in seen:
                self.error(
                    plan,
                    "registration_number",
                    _("An account with this registration number already exists."),
                )
            else:
                self.warn(
                    plan,
                    "registration_number",
                    _(
                        "Same registration number as the existing account “%(name)s” "
                        "(#%(id)s); the row updates it."
                    )
                    % {"name": target.name, "id": target.pk},
                )
                self.match_existing(plan, target, linked=False)
            return
        duplicates = similar.get(normalized, [])
        shown = [a for a in duplicates if a.pk in seen]
        if shown:
            self.warn(
                plan,
                "name",
                _(
                    "Looks like the existing account “%(name)s” (#%(id)s) (duplicate "
                    "rule: same name once legal forms and punctuation are ignored); the "
                    "row updates it."
                )
                % {"name": shown[0].name, "id": shown[0].pk},
            )
            self.match_existing(plan, shown[0], linked=False)
            return
        if duplicates:
            self.warn(
                plan,
                "name",
                _(
                    "A similar account exists that you cannot see; the account is created "
                    "and a manager is asked to decide."
                ),
            )
        self._prepare(plan, duplicates)

    def _prepare(self, plan: RowPlan, duplicates: list[Account]) -> None:
        values = {k: v for k, v in plan.values.items() if k not in ("name", "owner")}
        if not values.get("registration_number"):
            values.pop("registration_number", None)
        try:
            account = account_prepare(
                user=self.ctx.user,
                name=plan.values["name"],
                owner=plan.values.get("owner"),
                config=self.config,
                **values,
            )
            # Only the imported fields need checking: links were resolved above (owner from
            # the directory, team from the owner) and the rest is derived by the service.
            account.clean_fields(exclude=[name for name in FIELD_NAMES if name not in values])
        except DjangoValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                self.error(plan, field_name, " ".join(messages))
            return
        plan.action = CREATE
        plan.record = account
        plan.values["_duplicates"] = duplicates

    def write(self, plans: Sequence[RowPlan], *, per_row: bool) -> None:
        creates = [plan for plan in plans if plan.action == CREATE]
        if creates:
            try:
                with transaction.atomic():
                    bulk_create_with_history(
                        [plan.record for plan in creates],
                        Account,
                        batch_size=500,
                        default_user=self.ctx.user,
                        default_change_reason=self.ctx.reason,
                    )
            except IntegrityError:
                if not per_row:
                    raise
                self._create_one_by_one(creates)
            for plan in creates:
                if plan.action == CREATE and plan.values.get("_duplicates"):
                    self._raise_conflicts(plan.record, plan.values["_duplicates"])
        self.write_rows([plan for plan in plans if plan.action == UPDATE], per_row=per_row)
        self.link_keys(plans)

    def _create_one_by_one(self, creates: list[RowPlan]) -> None:
        for plan in creates:
            plan.record.pk = None
            try:
                with transaction.atomic():
                    bulk_create_with_history(
                        [plan.record],
                        Account,
                        default_user=self.ctx.user,
                        default_change_reason=self.ctx.reason,
                    )
            except IntegrityError as exc:
                self.refused(plan, exc)
                plan.action = ERROR

    def _raise_conflicts(self, account: Account, duplicates: list[Account]) -> None:
        for other in duplicates:
            is_other_team = bool(other.team_id and other.team_id != account.team_id)
            conflict_raise(
                kind=ConflictKind.OWNERSHIP if is_other_team else ConflictKind.DUPLICATE_ACCOUNT,
                account=account,
                other_account=other,
                raised_by=self.ctx.user,
                summary=_("“%(new)s” looks like the existing account “%(old)s”.")
                % {"new": account.name, "old": other.name},
                details={"name_normalized": account.name_normalized, "import": self.ctx.reason},
            )

    def update(self, plan: RowPlan) -> Any:
        return account_update(
            user=self.ctx.user,
            account=plan.target,
            expected_version=plan.target.version,
            changes=plan.changes,
        )

    def create(self, plan: RowPlan) -> Any:  # pragma: no cover - accounts write in bulk
        raise NotImplementedError
