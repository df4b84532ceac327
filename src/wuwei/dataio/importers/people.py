"""Contacts (matched by external id or by name within their account) and activities
(matched by external id or by account, date and subject), written through the people
services so that persona rules, closeness snapshots and interaction levels hold."""

import re
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from wuwei.core.visibility import visible
from wuwei.dataio.importers.base import CREATE, Importer, RowPlan
from wuwei.dataio.models import ImportKind
from wuwei.dataio.values import choice_lookup, parse_choice, parse_date, parse_int, split_list
from wuwei.opportunities.models import Opportunity
from wuwei.people.models import Activity, ActivityKind, Contact, RelationshipStatus
from wuwei.people.services import activities as activity_services
from wuwei.people.services import contacts as contact_services

_CJK = re.compile(r"[\u3400-\u9fff]")
RELATIONSHIP_WORDS = {
    "支持": RelationshipStatus.POSITIVE,
    "中立": RelationshipStatus.NEUTRAL,
    "反对": RelationshipStatus.NEGATIVE,
}
ACTIVITY_WORDS = {
    "task": ActivityKind.OTHER,
    "log a call": ActivityKind.CALL,
    "phone call": ActivityKind.CALL,
    "calls": ActivityKind.CALL,
    "meetings": ActivityKind.MEETING,
    "emails": ActivityKind.EMAIL,
    "电话": ActivityKind.CALL,
    "拜访": ActivityKind.VISIT,
    "会议": ActivityKind.MEETING,
    "演示": ActivityKind.DEMO,
    "宴请": ActivityKind.DINNER,
    "邮件": ActivityKind.EMAIL,
    "交流会": ActivityKind.WORKSHOP,
    "高层会谈": ActivityKind.EXECUTIVE_MEETING,
}


def full_name(first: str, last: str) -> str:
    """家姓在前 for Chinese names (王 + 伟 → 王伟), "First Last" otherwise."""
    if _CJK.search(first + last):
        return f"{last}{first}"
    return f"{first} {last}".strip()


class ContactImporter(Importer):
    kind = ImportKind.CONTACTS
    model = Contact
    has_owner = False
    updatable = (
        "name",
        "title",
        "department",
        "phone",
        "email",
        "influence",
        "relationship_status",
        "notes",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.statuses = choice_lookup(RelationshipStatus, RELATIONSHIP_WORDS)

    def parse(self, plan: RowPlan) -> None:
        self.parse_common(plan)
        if not plan.raw.get("name") and (plan.raw.get("first_name") or plan.raw.get("last_name")):
            plan.raw["name"] = full_name(
                plan.raw.get("first_name", ""), plan.raw.get("last_name", "")
            )
        if not plan.raw.get("name"):
            self.error(plan, "name", _("Every contact needs a name."))
        for name, limit in (
            ("name", 100),
            ("title", 100),
            ("department", 100),
            ("phone", 50),
            ("email", 254),
            ("notes", 100_000),
        ):
            self.text(plan, name, limit)
        if plan.values.get("email"):
            try:
                validate_email(plan.values["email"])
            except DjangoValidationError:
                self.error(
                    plan,
                    "email",
                    _("“%(text)s” is not an e-mail address.") % {"text": plan.values["email"][:80]},
                )
        self.convert(plan, "influence", lambda text: parse_int(text, low=1, high=5))
        self.convert(plan, "relationship_status", parse_choice, self.statuses)

    def resolve(self, plans: Sequence[RowPlan]) -> None:
        live = [plan for plan in plans if not plan.has_error]
        self.resolve_accounts(live)
        live = [plan for plan in live if not plan.has_error]
        by_external = self.external_targets(live)
        existing: dict[tuple[int, str], Contact] = {}
        names = {plan.values["name"] for plan in live}
        accounts = {plan.values["account"].pk for plan in live}
        if names:
            for contact in (
                visible(Contact, self.ctx.user)
                .filter(account_id__in=accounts, name__in=names, archived_at__isnull=True)
                .order_by("id")
            ):
                existing.setdefault((contact.account_id, contact.name.casefold()), contact)
        for plan in live:
            key = (plan.values["account"].pk, plan.values["name"].casefold())
            if not self.claim_key(plan, key, _("contact")):
                continue
            if plan.external_id in by_external:
                target = by_external[plan.external_id]
                if target is None:
                    self.error(plan, "external_id", _("This contact exists but you cannot see it."))
                else:
                    self.match_existing(plan, target, linked=True)
            elif key in existing:
                self.match_existing(plan, existing[key], linked=False)
            else:
                plan.action = CREATE

    def create(self, plan: RowPlan) -> Any:
        fields = {k: v for k, v in plan.values.items() if k in self.updatable and k != "name"}
        return contact_services.contact_create(
            user=self.ctx.user, account=plan.values["account"], name=plan.values["name"], **fields
        )

    def update(self, plan: RowPlan) -> Any:
        return contact_services.contact_update(
            user=self.ctx.user,
            contact=plan.target,
            expected_version=plan.target.version,
            changes=plan.changes,
        )


class ActivityImporter(Importer):
    kind = ImportKind.ACTIVITIES
    model = Activity
    updatable = ("kind", "occurred_on", "subject", "notes", "owner", "opportunity")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = choice_lookup(ActivityKind, ACTIVITY_WORDS)

    def parse(self, plan: RowPlan) -> None:
        self.parse_common(plan)
        if not plan.raw.get("subject"):
            self.error(plan, "subject", _("Every activity needs a subject."))
        if not plan.raw.get("occurred_on"):
            self.error(plan, "occurred_on", _("Every activity needs its date."))
        self.text(plan, "subject", 200)
        self.text(plan, "notes", 100_000)
        self.convert(plan, "occurred_on", parse_date)
        kind = plan.raw.get("kind", "")
        plan.values["kind"] = self.kinds.get(kind.casefold(), ActivityKind.OTHER)
        if kind and kind.casefold() not in self.kinds:
            self.warn(
                plan,
                "kind",
                _("The activity type “%(text)s” is not in the list; it is kept as Other.")
                % {"text": kind[:50]},
            )

    def resolve(self, plans: Sequence[RowPlan]) -> None:
        live = [plan for plan in plans if not plan.has_error]
        self.resolve_accounts(live)
        live = [plan for plan in live if not plan.has_error]
        self._resolve_opportunities(live)
        self._resolve_contacts(live)
        live = [plan for plan in live if not plan.has_error]
        by_external = self.external_targets(live)
        existing: dict[tuple[Any, ...], Activity] = {}
        if live:
            for activity in (
                visible(Activity, self.ctx.user)
                .filter(
                    account_id__in={p.values["account"].pk for p in live},
                    occurred_on__in={p.values["occurred_on"] for p in live},
                    subject__in={p.values["subject"] for p in live},
                    archived_at__isnull=True,
                )
                .select_related("owner")
                .prefetch_related("contacts")
            ):
                key = (activity.account_id, activity.occurred_on, activity.subject.casefold())
                existing.setdefault(key, activity)
        for plan in live:
            key = (
                plan.values["account"].pk,
                plan.values["occurred_on"],
                plan.values["subject"].casefold(),
            )
            if not self.claim_key(plan, key, _("activity")):
                continue
            target = by_external.get(plan.external_id) if plan.external_id else None
            if plan.external_id in by_external and target is None:
                self.error(plan, "external_id", _("This activity exists but you cannot see it."))
            elif target is not None or key in existing:
                self.match_existing(plan, target or existing[key], linked=target is not None)
            else:
                plan.action = CREATE

    def changes_for(self, plan: RowPlan, target: Any) -> dict[str, Any]:
        changes = super().changes_for(plan, target)
        if "contacts" in plan.values:
            wanted = {c.pk for c in plan.values["contacts"]}
            if wanted != {c.pk for c in target.contacts.all()}:
                changes["contacts"] = plan.values["contacts"]
        return changes

    def _resolve_opportunities(self, plans: Sequence[RowPlan]) -> None:
        by_external = self.find_external(
            {
                p.raw["opportunity_external_id"]
                for p in plans
                if p.raw.get("opportunity_external_id")
            },
            ImportKind.OPPORTUNITIES,
        )
        names = {p.raw["opportunity"] for p in plans if p.raw.get("opportunity")}
        by_name: dict[tuple[int, str], Opportunity] = {}
        if names:
            for found in visible(Opportunity, self.ctx.user).filter(
                account_id__in={p.values["account"].pk for p in plans}, name__in=names
            ):
                by_name.setdefault((found.account_id, found.name), found)
        for plan in plans:
            external = plan.raw.get("opportunity_external_id", "")
            name = plan.raw.get("opportunity", "")
            deal: Opportunity | None = (
                by_external.get(external)
                if external
                else by_name.get((plan.values["account"].pk, name))
                if name
                else None
            )
            if (external or name) and deal is None:
                field_name = "opportunity_external_id" if external else "opportunity"
                self.error(
                    plan,
                    field_name,
                    _("No opportunity of this account matches “%(text)s”.")
                    % {"text": (external or name)[:80]},
                )
            elif deal is not None:
                plan.values["opportunity"] = deal

    def _resolve_contacts(self, plans: Sequence[RowPlan]) -> None:
        wanted = {p.number: split_list(p.raw.get("contacts", "")) for p in plans}
        every = {item for items in wanted.values() for item in items}
        by_external = self.find_external(every, ImportKind.CONTACTS) if every else {}
        by_name: dict[tuple[int, str], Contact] = {}
        if every:
            for person in visible(Contact, self.ctx.user).filter(
                account_id__in={p.values["account"].pk for p in plans},
                name__in=every,
                archived_at__isnull=True,
            ):
                by_name.setdefault((person.account_id, person.name), person)
        for plan in plans:
            if "contacts" not in plan.raw:
                continue
            found: list[Contact] = []
            for item in wanted[plan.number]:
                contact: Contact | None = by_external.get(item) or by_name.get(
                    (plan.values["account"].pk, item)
                )
                if contact is None or contact.account_id != plan.values["account"].pk:
                    self.error(
                        plan,
                        "contacts",
                        _("“%(name)s” is not a contact of this account. Import the contacts first.")
                        % {"name": item[:80]},
                    )
                else:
                    found.append(contact)
            plan.values["contacts"] = found

    def create(self, plan: RowPlan) -> Any:
        values = plan.values
        return activity_services.activity_create(
            user=self.ctx.user,
            account=values["account"],
            kind=values["kind"],
            occurred_on=values["occurred_on"],
            subject=values["subject"],
            contacts=values.get("contacts", ()),
            opportunity=values.get("opportunity"),
            notes=values.get("notes", ""),
            owner=values.get("owner"),
        )

    def update(self, plan: RowPlan) -> Any:
        return activity_services.activity_update(
            user=self.ctx.user,
            activity=plan.target,
            expected_version=plan.target.version,
            changes=plan.changes,
        )
