"""What can be imported (the fields of each kind) and the column presets of the systems teams
arrive from: Salesforce (reports and Data Loader), HubSpot exports and Wuwei's own template,
whose headers also accept the Chinese column names of 销售易 / 纷享销客 style exports."""

import re
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wuwei.dataio.models import ImportKind


@dataclass(frozen=True)
class Field:
    name: str
    label: Promise
    required: bool = False
    aliases: tuple[str, ...] = ()  # generic-template headers besides name and label


EXTERNAL_ID = Field("external_id", _("External ID"), aliases=("id", "外部编号", "编号"))
ACCOUNT_EXTERNAL_ID = Field(
    "account_external_id", _("Account external ID"), aliases=("客户编号", "account id")
)
ACCOUNT_NAME = Field("account", _("Account name"), aliases=("客户名称", "公司名称", "客户"))
OWNER = Field("owner", _("Owner"), aliases=("负责人", "所有人", "销售"))
NOTES = Field("notes", _("Notes"), aliases=("备注", "描述", "description"))

FIELDS: dict[str, tuple[Field, ...]] = {
    ImportKind.ACCOUNTS: (
        Field("external_id", _("External ID"), aliases=("id", "外部编号", "编号", "客户编号")),
        Field("name", _("Account name"), required=True, aliases=("客户名称", "公司名称", "名称")),
        Field(
            "registration_number",
            _("Registration number"),
            aliases=("统一社会信用代码", "信用代码", "工商注册号"),
        ),
        Field("industry", _("Industry"), aliases=("行业",)),
        Field("region", _("Region"), aliases=("地区", "区域", "省份", "城市")),
        Field("segment", _("Segment"), aliases=("客户类型", "细分")),
        Field("status", _("Status"), aliases=("客户状态", "状态")),
        OWNER,
        Field("website", _("Website"), aliases=("网址", "官网")),
        Field("annual_revenue", _("Annual revenue"), aliases=("年收入", "年营业额")),
        Field("employee_count", _("Employees"), aliases=("员工数", "员工人数")),
        NOTES,
        Field("tags", _("Tags"), aliases=("标签",)),
    ),
    ImportKind.CONTACTS: (
        Field("external_id", _("External ID"), aliases=("id", "外部编号", "编号", "联系人编号")),
        ACCOUNT_EXTERNAL_ID,
        ACCOUNT_NAME,
        Field("name", _("Contact name"), aliases=("姓名", "联系人姓名", "联系人")),
        Field("first_name", _("First name"), aliases=("名",)),
        Field("last_name", _("Last name"), aliases=("姓",)),
        Field("title", _("Title"), aliases=("职务", "职位")),
        Field("department", _("Department"), aliases=("部门",)),
        Field("phone", _("Phone"), aliases=("电话", "手机", "mobile")),
        Field("email", _("Email"), aliases=("邮箱", "电子邮件", "e-mail")),
        Field("influence", _("Influence (1–5)"), aliases=("影响力",)),
        Field("relationship_status", _("Relationship status"), aliases=("关系状态",)),
        NOTES,
    ),
    ImportKind.OPPORTUNITIES: (
        Field("external_id", _("External ID"), aliases=("id", "外部编号", "编号", "商机编号")),
        ACCOUNT_EXTERNAL_ID,
        ACCOUNT_NAME,
        Field("name", _("Opportunity name"), required=True, aliases=("商机名称", "机会名称")),
        Field("amount", _("Amount"), aliases=("金额", "预计金额", "商机金额")),
        Field("currency", _("Currency"), aliases=("币种",)),
        Field("expected_close", _("Expected close"), aliases=("预计成交日期", "结单日期")),
        OWNER,
        Field("source", _("Source"), aliases=("来源",)),
        NOTES,
    ),
    ImportKind.COMPETITORS: (
        EXTERNAL_ID,
        Field("name", _("Competitor name"), required=True, aliases=("竞争对手", "名称")),
        Field("website", _("Website"), aliases=("网址", "官网")),
        Field("headquarters", _("Headquarters"), aliases=("总部",)),
        Field("description", _("Profile"), aliases=("简介", "描述", "strengths")),
    ),
    ImportKind.ACTIVITIES: (
        EXTERNAL_ID,
        ACCOUNT_EXTERNAL_ID,
        ACCOUNT_NAME,
        Field("opportunity_external_id", _("Opportunity external ID"), aliases=("商机编号",)),
        Field("opportunity", _("Opportunity name"), aliases=("商机名称",)),
        Field("contacts", _("Contacts involved"), aliases=("参与联系人", "联系人")),
        Field("kind", _("Activity type"), aliases=("活动类型", "类型", "type")),
        Field("occurred_on", _("Date"), required=True, aliases=("日期", "活动日期")),
        Field("subject", _("Subject"), required=True, aliases=("主题", "活动主题")),
        NOTES,
        OWNER,
    ),
}


def fields_for(kind: str) -> dict[str, Field]:
    return {f.name: f for f in FIELDS[kind]}


def missing_required(kind: str, mapped: set[str]) -> list[Field]:
    """Required fields no column is mapped to (a contact needs a name or first/last name; a
    record that hangs off an account needs the account by external id or by name)."""
    missing = [f for f in FIELDS[kind] if f.required and f.name not in mapped]
    names = fields_for(kind)
    if kind == ImportKind.CONTACTS and not mapped & {"name", "first_name", "last_name"}:
        missing.insert(0, names["name"])
    hangs_off_account = kind not in (ImportKind.ACCOUNTS, ImportKind.COMPETITORS)
    if hangs_off_account and not mapped & {"account", "account_external_id"}:
        missing.insert(0, names["account"])
    return missing


@dataclass(frozen=True)
class Preset:
    slug: str
    source: str  # external ids are unique per source system
    label: Promise
    kind: str
    columns: dict[str, str] = field(default_factory=dict)  # header → field


def normalize_header(header: str) -> str:
    return re.sub(r"\s+", " ", header.strip().casefold())


_SF = "salesforce"
_HS = "hubspot"
_PRESETS: list[Preset] = [
    # Salesforce: report headers ("Account Name") and Data Loader API names ("Name").
    Preset(
        "salesforce-accounts",
        _SF,
        _("Salesforce accounts"),
        ImportKind.ACCOUNTS,
        {
            "account id": "external_id",
            "id": "external_id",
            "account name": "name",
            "name": "name",
            "industry": "industry",
            "billing state/province": "region",
            "billingstate": "region",
            "billing city": "region",
            "website": "website",
            "annual revenue": "annual_revenue",
            "annualrevenue": "annual_revenue",
            "employees": "employee_count",
            "numberofemployees": "employee_count",
            "account owner": "owner",
            "owner.name": "owner",
            "type": "status",
            "description": "notes",
        },
    ),
    Preset(
        "salesforce-contacts",
        _SF,
        _("Salesforce contacts"),
        ImportKind.CONTACTS,
        {
            "contact id": "external_id",
            "id": "external_id",
            "first name": "first_name",
            "firstname": "first_name",
            "last name": "last_name",
            "lastname": "last_name",
            "account name": "account",
            "account.name": "account",
            "account id": "account_external_id",
            "accountid": "account_external_id",
            "title": "title",
            "department": "department",
            "phone": "phone",
            "mobile": "phone",
            "mobilephone": "phone",
            "email": "email",
            "description": "notes",
        },
    ),
    Preset(
        "salesforce-opportunities",
        _SF,
        _("Salesforce opportunities"),
        ImportKind.OPPORTUNITIES,
        {
            "opportunity id": "external_id",
            "id": "external_id",
            "opportunity name": "name",
            "name": "name",
            "account name": "account",
            "account.name": "account",
            "account id": "account_external_id",
            "accountid": "account_external_id",
            "amount": "amount",
            "close date": "expected_close",
            "closedate": "expected_close",
            "opportunity owner": "owner",
            "owner.name": "owner",
            "lead source": "source",
            "leadsource": "source",
            "opportunity currency": "currency",
            "currencyisocode": "currency",
            "description": "notes",
        },
    ),
    Preset(
        "salesforce-competitors",
        _SF,
        _("Salesforce competitors"),
        ImportKind.COMPETITORS,
        {
            "id": "external_id",
            "competitor name": "name",
            "competitorname": "name",
            "strengths": "description",
        },
    ),
    Preset(
        "salesforce-activities",
        _SF,
        _("Salesforce activities"),
        ImportKind.ACTIVITIES,
        {
            "activity id": "external_id",
            "id": "external_id",
            "subject": "subject",
            "date": "occurred_on",
            "activitydate": "occurred_on",
            "due date": "occurred_on",
            "account": "account",
            "company / account": "account",
            "accountid": "account_external_id",
            "contact": "contacts",
            "name": "contacts",
            "whoid": "contacts",
            "type": "kind",
            "task subtype": "kind",
            "comments": "notes",
            "description": "notes",
            "assigned": "owner",
            "ownerid": "owner",
            "opportunity": "opportunity",
            "whatid": "opportunity_external_id",
        },
    ),
    # HubSpot: CRM exports ("Record ID", "Company name", "Associated Company").
    Preset(
        "hubspot-companies",
        _HS,
        _("HubSpot companies"),
        ImportKind.ACCOUNTS,
        {
            "record id": "external_id",
            "company name": "name",
            "name": "name",
            "industry": "industry",
            "state/region": "region",
            "city": "region",
            "website url": "website",
            "company domain name": "website",
            "annual revenue": "annual_revenue",
            "number of employees": "employee_count",
            "company owner": "owner",
            "lifecycle stage": "status",
            "description": "notes",
        },
    ),
    Preset(
        "hubspot-contacts",
        _HS,
        _("HubSpot contacts"),
        ImportKind.CONTACTS,
        {
            "record id": "external_id",
            "first name": "first_name",
            "last name": "last_name",
            "email": "email",
            "phone number": "phone",
            "mobile phone number": "phone",
            "job title": "title",
            "associated company": "account",
            "company name": "account",
            "associated company ids": "account_external_id",
            "associated company ids (primary)": "account_external_id",
        },
    ),
    Preset(
        "hubspot-deals",
        _HS,
        _("HubSpot deals"),
        ImportKind.OPPORTUNITIES,
        {
            "record id": "external_id",
            "deal name": "name",
            "amount": "amount",
            "close date": "expected_close",
            "deal owner": "owner",
            "associated company": "account",
            "associated company ids": "account_external_id",
            "associated company ids (primary)": "account_external_id",
            "deal description": "notes",
            "currency": "currency",
        },
    ),
    Preset(
        "hubspot-activities",
        _HS,
        _("HubSpot activities"),
        ImportKind.ACTIVITIES,
        {
            "record id": "external_id",
            "activity date": "occurred_on",
            "call title": "subject",
            "meeting name": "subject",
            "subject": "subject",
            "activity type": "kind",
            "associated company": "account",
            "associated company ids": "account_external_id",
            "associated contact": "contacts",
            "associated deal": "opportunity",
            "associated deal ids": "opportunity_external_id",
            "notes": "notes",
            "call notes": "notes",
            "meeting description": "notes",
            "activity assigned to": "owner",
        },
    ),
]


def _generic(kind: str) -> Preset:
    columns: dict[str, str] = {}
    for f in FIELDS[kind]:
        for header in (f.name, str(f.label), *f.aliases):
            columns.setdefault(normalize_header(header), f.name)
    # The labels in both languages, whichever language the template was downloaded in.
    from django.utils import translation

    for language in ("en", "zh-hans"):
        with translation.override(language):
            for f in FIELDS[kind]:
                columns.setdefault(normalize_header(str(f.label)), f.name)
    return Preset(f"generic-{kind}", "generic", _("Wuwei template"), kind, columns)


def presets_for(kind: str) -> list[Preset]:
    return [_generic(kind), *(p for p in _PRESETS if p.kind == kind)]


def preset_get(kind: str, slug: str) -> Preset | None:
    return next((p for p in presets_for(kind) if p.slug == slug), None)


def apply_preset(preset: Preset, headers: list[str]) -> dict[str, str]:
    """{header: field} for the headers the preset knows; each field taken once."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        target = preset.columns.get(normalize_header(header))
        if header and target and target not in taken:
            mapping[header] = target
            taken.add(target)
    return mapping


def detect_preset(kind: str, headers: list[str]) -> Preset:
    """The preset that recognises the most headers; the generic template wins ties."""
    best = presets_for(kind)[0]
    best_score = len(apply_preset(best, headers))
    for preset in presets_for(kind)[1:]:
        score = len(apply_preset(preset, headers))
        if score > best_score:
            best, best_score = preset, score
    return best


def template_headers(kind: str) -> list[str]:
    """The generic template's headers, in the current language."""
    return [str(f.label) for f in FIELDS[kind]]
