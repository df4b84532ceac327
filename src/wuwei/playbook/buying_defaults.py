"""Seeded buying-process templates (METHOD.md §7.1), in English and Chinese; administrators
edit them afterwards. The first two are the examples of seed 003 (a group company's sales
management buying a CRM; a group company buying a finance reimbursement system); the third is
a public-sector open tender as Chinese government procurement runs it.

Each template: code, names, description, industry/size ("" = any), steps in order with the
stage of ours each falls in, and per step the stakeholder roles (function, kind: approval /
informed / opinion) with their concerns.
"""

from typing import Any


def _role(
    name_en: str,
    name_zh: str,
    function: str,
    kind: str,
    concerns_en: str,
    concerns_zh: str,
) -> dict[str, str]:
    return {
        "name_en": name_en,
        "name_zh": name_zh,
        "function": function,
        "kind": kind,
        "concerns_en": concerns_en,
        "concerns_zh": concerns_zh,
    }


GROUP_CRM: dict[str, Any] = {
    "code": "group-crm-purchase",
    "name_en": "Group company buys a CRM system",
    "name_zh": "集团公司采购CRM系统",
    "description_en": "The head of sales management of a group company wants a CRM to raise "
    "sales efficiency and keep customer assets. He cannot choose alone: procurement, IT and "
    "peer sales heads watch the selection, spending above his authority needs a written "
    "request for approval, and finance and legal have terms of their own.",
    "description_zh": "集团公司销售管理部负责人希望通过CRM提升销售效率、增加人效、留存客户资产。"
    "他不能随意选型：采购部、技术部和其他销售负责人都在看；超出权限的花费要写呈批件；"
    "财务和法务还有各自的要求。",
    "industry": "",
    "company_size": "group",
    "steps": [
        {
            "name_en": "Need identified, first vendors contacted",
            "name_zh": "提出需求，接触供应商",
            "description_en": "The business owner names the problem and talks to vendors he "
            "knows and some he does not.",
            "description_zh": "业务负责人明确要解决的问题，开始联系认识和不认识的供应商。",
            "stage": "validate",
            "roles": [
                _role(
                    "Head of sales management",
                    "销售管理部负责人",
                    "business_owner",
                    "approval",
                    "Sales efficiency, output per head, management quality, keeping customer "
                    "assets, revenue in the end.",
                    "提升销售效率、增加人效、提升管理质量、留存客户资产，最终带来收益。",
                ),
            ],
        },
        {
            "name_en": "Vendor survey and selection",
            "name_zh": "供应商调研与选型",
            "description_en": "Demos, references and a shortlist; the selection must look "
            "clean to everyone watching.",
            "description_zh": "演示、案例考察、形成短名单；选型过程要经得起各方审视（瓜田李下）。",
            "stage": "needs_analysis",
            "roles": [
                _role(
                    "IT department",
                    "技术部",
                    "it",
                    "approval",
                    "Integration with existing systems, data security, operation and "
                    "maintenance effort.",
                    "与现有系统集成、数据安全、运维工作量。",
                ),
                _role(
                    "Procurement department",
                    "采购部",
                    "procurement",
                    "informed",
                    "A fair selection with comparable offers; vendor qualification.",
                    "选型公平、报价可比、供应商资质合规。",
                ),
                _role(
                    "Peer sales heads",
                    "其他销售负责人",
                    "users",
                    "opinion",
                    "Whether the system fits how their teams sell; no extra admin work.",
                    "系统是否适合自己团队的销售方式，不增加额外的填报负担。",
                ),
            ],
        },
        {
            "name_en": "Internal approval (request for approval)",
            "name_zh": "内部审批（呈批件）",
            "description_en": "Above the owner's authority a written request goes up; it must "
            "answer the same questions several times without raising new ones.",
            "description_zh": "超出权限时要写汇报呈批件，要解释好几遍，还不能引出别的问题。",
            "stage": "value_presentation",
            "roles": [
                _role(
                    "Group executive in charge",
                    "分管集团领导",
                    "executive",
                    "approval",
                    "Return on investment, risk of the change, fit with group strategy.",
                    "投资回报、变革风险、与集团战略是否一致。",
                ),
            ],
        },
        {
            "name_en": "Budget confirmed",
            "name_zh": "预算确认",
            "description_en": "The owner has an expectation but no exact figure; the budget "
            "is fixed with finance.",
            "description_zh": "负责人心里有个预期但没有准数，与财务确认预算。",
            "stage": "tender_preparation",
            "roles": [
                _role(
                    "Finance department (budget)",
                    "财务部（预算）",
                    "finance",
                    "approval",
                    "The spend fits the year's budget; total cost over the contract term.",
                    "支出在年度预算内；合同期内的总成本。",
                ),
            ],
        },
        {
            "name_en": "Procurement, legal and finance review",
            "name_zh": "采购、法务、财务审核",
            "description_en": "Price negotiation, contract terms, payment and invoicing; the "
            "owner wants the vendor to comply or give him a reason he can pass on.",
            "description_zh": "议价、合同条款、付款与开票；负责人希望供应商都能配合，"
            "改不了也给他一个说得过去的理由。",
            "stage": "bidding",
            "roles": [
                _role(
                    "Procurement department",
                    "采购部",
                    "procurement",
                    "approval",
                    "Price against other offers, discounts and added value.",
                    "与其他报价对比的价格、折扣和附加价值。",
                ),
                _role(
                    "Legal department",
                    "法务部",
                    "legal",
                    "approval",
                    "Liability, data ownership and confidentiality, standard contract terms.",
                    "责任条款、数据归属与保密、标准合同条款。",
                ),
                _role(
                    "Finance department (payment)",
                    "财务部（付款）",
                    "finance",
                    "approval",
                    "Payment schedule, invoices, acceptance before payment.",
                    "付款节奏、发票、验收后付款。",
                ),
            ],
        },
        {
            "name_en": "Contract signed",
            "name_zh": "签订合同",
            "description_en": "The approved contract is signed and sealed.",
            "description_zh": "审批通过的合同签字盖章。",
            "stage": "negotiation",
            "roles": [
                _role(
                    "Authorised signatory",
                    "授权签字人",
                    "executive",
                    "approval",
                    "Every review signed off; the contract matches what was approved.",
                    "各环节审核完毕，合同与审批内容一致。",
                ),
            ],
        },
    ],
}


GROUP_REIMBURSEMENT: dict[str, Any] = {
    "code": "group-finance-reimbursement",
    "name_en": "Group company buys a finance reimbursement system",
    "name_zh": "集团公司采购财务报销系统",
    "description_en": "Winning the CFO is not enough: administration must trust the travel "
    "booking links and approval flows, the heads of the business teams must see the receipt "
    "upload on phone, PC and tablet, risk control and internal audit must know the checks "
    "come first — and only then the CFO hears about reports and accounting, then the price.",
    "description_zh": "搞定CFO远远不够：先要让行政部相信系统能关联机票、酒店预订并设置不同审批流，"
    "再给各团队负责人演示手机、电脑、平板三位一体的票据上传，还要告知风控和内审系统能前置审核、"
    "票据验真，最后才跟CFO讲自动报表、会计科目归类和效率，再谈费用。",
    "industry": "",
    "company_size": "group",
    "steps": [
        {
            "name_en": "Finance raises the need",
            "name_zh": "财务提出需求",
            "description_en": "Accounting, cashier and reimbursement take too long; the CFO "
            "office starts looking.",
            "description_zh": "会计核账、出纳付款、报销耗时太长，财务部门开始寻找方案。",
            "stage": "validate",
            "roles": [
                _role(
                    "Finance shared-service manager",
                    "财务共享中心负责人",
                    "finance",
                    "approval",
                    "Less time on bookkeeping, collection and payment.",
                    "降低会计核账、归集和出纳报销付款所需的时间。",
                ),
            ],
        },
        {
            "name_en": "Administration evaluates travel and approval flows",
            "name_zh": "行政部评估差旅与审批流",
            "description_en": "Administration checks the links to flight and hotel booking "
            "and the configurable approval flows.",
            "description_zh": "行政部确认系统能关联机票预订、酒店预订，并能设置不同的审批流。",
            "stage": "needs_analysis",
            "roles": [
                _role(
                    "Administration department",
                    "行政部",
                    "administration",
                    "approval",
                    "Travel booking integration; different approval flows per unit.",
                    "关联机票、酒店等预订系统；按单位设置不同审批流。",
                ),
                _role(
                    "IT department",
                    "信息技术部",
                    "it",
                    "informed",
                    "Single sign-on, integration with ERP and the booking platforms.",
                    "单点登录、与ERP及预订平台的集成。",
                ),
            ],
        },
        {
            "name_en": "Demonstration to the business team heads",
            "name_zh": "向各团队负责人演示",
            "description_en": "Receipt upload on phone, PC and tablet; filing ahead, "
            "withdrawing and adding receipts midway.",
            "description_zh": "演示手机、电脑、平板三位一体的票据上传，支持前置填报预约上传、"
            "发起人随时撤回、中途添加票据。",
            "stage": "value_presentation",
            "roles": [
                _role(
                    "Heads of the business teams",
                    "各业务团队负责人",
                    "users",
                    "opinion",
                    "Easy for their people on the road; no lost receipts, fast repayment.",
                    "员工出差时用起来方便；票据不丢、报销到账快。",
                ),
            ],
        },
        {
            "name_en": "Risk control and internal audit informed",
            "name_zh": "告知风控与内审",
            "description_en": "Checks move to the front: invoice verification, automatic "
            "links to the filer's time and project.",
            "description_zh": "系统最大限度前置审核，辅助票据验真，自动关联填报人的时间和项目。",
            "stage": "tender_preparation",
            "roles": [
                _role(
                    "Risk control and internal audit",
                    "风控与内审",
                    "risk_audit",
                    "informed",
                    "Fake invoices caught early; every claim traceable to time and project.",
                    "提前识别虚假票据；每笔报销可追溯到时间和项目。",
                ),
            ],
        },
        {
            "name_en": "CFO decides",
            "name_zh": "CFO决策",
            "description_en": "Automatic reports, accounting subjects classified by rule, "
            "electronic ledgers: the finance team's time goes where it matters.",
            "description_zh": "自动生成报表、按规则归类会计科目、生成电子台账，"
            "让财务团队把时间投入到更需要的事情上。",
            "stage": "bidding",
            "roles": [
                _role(
                    "Chief financial officer",
                    "首席财务官（CFO）",
                    "finance",
                    "approval",
                    "Efficiency of the finance function, compliance, total cost.",
                    "财务作业效率、合规性、总成本。",
                ),
            ],
        },
        {
            "name_en": "Price, procurement and contract",
            "name_zh": "谈价格、采购与合同",
            "description_en": "Only now the fee — and the package that comes with it.",
            "description_zh": "最后才谈费用和配套的“大礼包”。",
            "stage": "negotiation",
            "roles": [
                _role(
                    "Procurement department",
                    "采购部",
                    "procurement",
                    "approval",
                    "Price, discount, service levels in the contract.",
                    "价格、折扣、合同中的服务水平。",
                ),
                _role(
                    "Legal department",
                    "法务部",
                    "legal",
                    "approval",
                    "Data protection of employees' personal and financial data; liability.",
                    "员工个人与财务数据的保护；责任条款。",
                ),
            ],
        },
    ],
}


PUBLIC_TENDER: dict[str, Any] = {
    "code": "public-sector-tender",
    "name_en": "Public-sector open tender",
    "name_zh": "政府及事业单位公开招标",
    "description_en": "A government agency or public institution buys through the government "
    "procurement process: project approval, budget, a procurement plan filed with the finance "
    "bureau, tender documents drafted with a tender agency, an expert panel evaluating the "
    "bids, public notice of the award, then the contract.",
    "description_zh": "政府机关或事业单位按政府采购流程采购：项目立项、预算申报、向财政部门备案"
    "采购计划、由招标代理机构编制招标文件、专家评标委员会评审、中标结果公示，最后签订合同。",
    "industry": "government",
    "company_size": "",
    "steps": [
        {
            "name_en": "Project proposal and needs study",
            "name_zh": "项目建议与需求论证",
            "description_en": "The user department and the information centre write the "
            "proposal and study the needs, often with outside experts.",
            "description_zh": "使用部门和信息中心编写项目建议书、开展需求论证，常请外部专家参与。",
            "stage": "initiate",
            "roles": [
                _role(
                    "User department head",
                    "使用部门负责人",
                    "business_owner",
                    "approval",
                    "The service problem solved; a project that can pass review.",
                    "解决业务问题；项目能通过立项评审。",
                ),
                _role(
                    "Information centre",
                    "信息中心",
                    "it",
                    "approval",
                    "Fit with the e-government architecture, security grading (等保), "
                    "domestic technology requirements.",
                    "与电子政务架构的契合、等级保护、信创要求。",
                ),
                _role(
                    "Industry experts",
                    "行业专家",
                    "external",
                    "opinion",
                    "A sound, feasible and comparable technical route.",
                    "技术路线合理、可行、具有可比性。",
                ),
            ],
        },
        {
            "name_en": "Budget approved",
            "name_zh": "预算批复",
            "description_en": "The budget goes through the agency's finance office to the "
            "finance bureau and is approved for the fiscal year.",
            "description_zh": "预算经本单位财务处申报至财政部门，纳入年度预算批复。",
            "stage": "value_presentation",
            "roles": [
                _role(
                    "Finance office",
                    "财务处",
                    "finance",
                    "approval",
                    "The amount fits the approved budget and the fiscal year.",
                    "金额在批复预算内，符合财政年度安排。",
                ),
                _role(
                    "Agency leadership",
                    "单位领导班子",
                    "executive",
                    "approval",
                    "Policy priority, public visibility, accountability.",
                    "政策重点、社会影响、责任风险。",
                ),
            ],
        },
        {
            "name_en": "Procurement plan and tender documents",
            "name_zh": "采购计划备案与招标文件编制",
            "description_en": "The procurement office files the plan and drafts the tender "
            "documents with the tender agency: specifications and scoring decide who can win.",
            "description_zh": "采购办备案采购计划，与招标代理机构编制招标文件："
            "技术规格和评分办法决定谁能中标。",
            "stage": "tender_preparation",
            "roles": [
                _role(
                    "Procurement office",
                    "采购办",
                    "procurement",
                    "approval",
                    "A compliant procedure; specifications that do not exclude bidders.",
                    "程序合规；技术参数不排斥潜在投标人。",
                ),
                _role(
                    "Tender agency",
                    "招标代理机构",
                    "external",
                    "informed",
                    "Complete documents, a clean schedule, no complaints.",
                    "文件完整、时间节点合规、不出现质疑投诉。",
                ),
                _role(
                    "Legal adviser",
                    "法律顾问",
                    "legal",
                    "informed",
                    "Contract template and terms under the government procurement law.",
                    "符合政府采购法的合同范本与条款。",
                ),
            ],
        },
        {
            "name_en": "Tender notice, bidding and evaluation",
            "name_zh": "招标公告、投标与评标",
            "description_en": "The notice is published, bids are opened in public and an "
            "expert panel drawn from the pool scores them; discipline inspection watches.",
            "description_zh": "发布招标公告，公开开标，"
            "从专家库抽取的评标委员会打分；纪检监察全程监督。",
            "stage": "bidding",
            "roles": [
                _role(
                    "Bid evaluation committee",
                    "评标委员会",
                    "external",
                    "approval",
                    "Scores against the published method: technical, commercial, price.",
                    "按公布的评分办法打分：技术、商务、价格。",
                ),
                _role(
                    "Discipline inspection",
                    "纪检监察",
                    "risk_audit",
                    "informed",
                    "A fair procedure without irregularities.",
                    "程序公平，无违规。",
                ),
            ],
        },
        {
            "name_en": "Award notice and contract",
            "name_zh": "中标公示与合同签订",
            "description_en": "The award is published; after the notice period the contract "
            "is signed and filed.",
            "description_zh": "公示中标结果，公示期满后签订合同并备案。",
            "stage": "negotiation",
            "roles": [
                _role(
                    "Agency head",
                    "单位负责人",
                    "executive",
                    "approval",
                    "The contract matches the award; delivery on time within the fiscal year.",
                    "合同与中标结果一致；在财政年度内按期交付。",
                ),
                _role(
                    "Finance office (payment)",
                    "财务处（支付）",
                    "finance",
                    "informed",
                    "Payment by acceptance milestones through the treasury system.",
                    "按验收节点通过国库集中支付。",
                ),
            ],
        },
    ],
}


BUYING_PROCESS_TEMPLATES: list[dict[str, Any]] = [GROUP_CRM, GROUP_REIMBURSEMENT, PUBLIC_TENDER]
