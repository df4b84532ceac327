"""Default configuration rows seeded by a data migration; administrators edit them afterwards.

STAGE_TEMPLATE is METHOD.md §4.1 (names, "ends when") and §4.11 (the sales process table of
the TAS+ article's Figure 3: method, department, position, assessment, steps), in English and
Chinese. The article's figure did not survive, so the content follows the stage descriptions
and the TAS+ elements of seed 000.
"""

from typing import Any

PRODUCT_LINES: list[dict[str, Any]] = [
    {"code": "cloud", "name_en": "Cloud platform", "name_zh": "云平台", "order": 1},
    {"code": "network", "name_en": "Networking", "name_zh": "网络", "order": 2},
    {"code": "security", "name_en": "Security", "name_zh": "信息安全", "order": 3},
    {"code": "data", "name_en": "Data & analytics", "name_zh": "数据与分析", "order": 4},
    {"code": "software", "name_en": "Industry software", "name_zh": "行业软件", "order": 5},
    {"code": "services", "name_en": "Implementation services", "name_zh": "实施与服务", "order": 6},
]

STAGE_TEMPLATE: list[dict[str, Any]] = [
    {
        "stage": "validate",
        "number": 1,
        "name_en": "Validate",
        "name_zh": "认证商机",
        "exit_criteria_en": "It is confirmed as a real opportunity; internal resources start to "
        "be coordinated.",
        "exit_criteria_zh": "确认是真实商机，开始协调内部资源。",
        "method_en": "Compelling event; the four questions: is it real, can we compete, can we "
        "win, is it worth winning",
        "method_zh": "必要事件；四问：是不是机会、有没有竞争力、能不能赢、值不值得赢",
        "department_en": "Sales (region / industry line)",
        "department_zh": "销售部（区域线/行业线）",
        "position_en": "Account manager",
        "position_zh": "客户经理",
        "assessment_en": "Lead-to-opportunity conversion; share of opportunities with a "
        "confirmed compelling event",
        "assessment_zh": "线索转化率；有确认必要事件的商机占比",
        "steps_en": "Collect the lead and the basic customer facts\n"
        "Find the compelling event and its evidence\n"
        "Grade the opportunity (AB / CD / E) and choose the track\n"
        "Check partner registrations and account ownership\n"
        "Ask for internal resources",
        "steps_zh": "收集线索与客户基本信息\n找到必要事件及其证据\n"
        "商机定级（AB/CD/E）并确定路线\n核查伙伴报备与客户归属\n申请内部资源",
    },
    {
        "stage": "initiate",
        "number": 2,
        "name_en": "Initiate",
        "name_zh": "商机立项",
        "exit_criteria_en": "The project is approved internally and the deal team is formed.",
        "exit_criteria_zh": "项目内部立项获批，项目团队组建完成。",
        "method_en": "Project approval; deal team with one accountable owner per stage",
        "method_zh": "立项评审；组建项目团队，阶段唯一负责制",
        "department_en": "Sales; sales management; delivery centre for AB deals",
        "department_zh": "销售部、销售管理部；AB类由交付中心参与",
        "position_en": "Account manager; first-line manager approves",
        "position_zh": "客户经理；一线经理审批",
        "assessment_en": "Approval lead time; every team role named",
        "assessment_zh": "立项周期；团队角色全部到位",
        "steps_en": "Write the project brief: scope, amount, close date\n"
        "First-line manager approves the project\n"
        "Name the deal team and their roles\n"
        "Request presales support (tiered by grade)\n"
        "List the stakeholders known so far",
        "steps_zh": "编写立项说明：范围、金额、预计签约日期\n一线经理审批立项\n"
        "确定项目团队成员及角色\n按等级申请售前支持\n列出已知的客户关键人",
    },
    {
        "stage": "needs_analysis",
        "number": 3,
        "name_en": "Needs analysis",
        "name_zh": "需求分析",
        "exit_criteria_en": "Value proposition, competitive strategy and action plan are set.",
        "exit_criteria_zh": "价值主张、竞争策略和行动计划已确定。",
        "method_en": "Relationship map, questionnaire, value proposition, competitive strategy",
        "method_zh": "关系图谱、问卷、价值主张、竞争策略",
        "department_en": "Sales; presales",
        "department_zh": "销售部、售前",
        "position_en": "Account manager; presales consultant",
        "position_zh": "客户经理；售前顾问",
        "assessment_en": "Decision chain covered; value proposition and action plan reviewed",
        "assessment_zh": "决策链覆盖；价值主张与行动计划通过评审",
        "steps_en": "Interview the stakeholders and confirm the needs\n"
        "Complete the decision map: approver, decision maker, evaluators, users\n"
        "Identify the competitors and where they stand\n"
        "Write the value proposition against the top-2 competitors\n"
        "Choose the competitive strategy and the action plan",
        "steps_zh": "访谈关键人，确认需求\n完成决策关系：批准者、决策者、评估者、使用者\n"
        "识别竞争对手及其态势\n针对前两名竞争对手撰写价值主张\n确定竞争策略与行动计划",
    },
    {
        "stage": "value_presentation",
        "number": 4,
        "name_en": "Value presentation",
        "name_zh": "价值呈现",
        "exit_criteria_en": "The customer starts drafting the tender (we competed to lead its "
        "content).",
        "exit_criteria_zh": "客户开始起草招标文件（我方争取主导其内容）。",
        "method_en": "Solution presentation, demo / proof of concept, site visit, executive "
        "meeting",
        "method_zh": "方案呈现、演示/POC、参观考察、高层会晤",
        "department_en": "Presales; delivery centre; executives for AB deals",
        "department_zh": "售前、交付中心；AB类高层参与",
        "position_en": "Presales consultant; solution architect; account manager",
        "position_zh": "售前顾问；方案架构师；客户经理",
        "assessment_en": "Customer accepts our solution; the draft requirements favour us",
        "assessment_zh": "客户认可我方方案；招标技术要求向我方倾斜",
        "steps_en": "Present the solution and its business value\n"
        "Run the demo or proof of concept\n"
        "Arrange a site visit or an executive meeting\n"
        "Help the customer draft the technical requirements\n"
        "Answer the questionnaire again and review the win rate",
        "steps_zh": "呈现方案及业务价值\n进行演示或POC\n安排参观考察或高层会晤\n"
        "协助客户起草技术要求\n重新填写问卷并复核赢单率",
    },
    {
        "stage": "tender_preparation",
        "number": 5,
        "name_en": "Tender preparation",
        "name_zh": "招标准备",
        "exit_criteria_en": "The customer issues the tender.",
        "exit_criteria_zh": "客户正式发标。",
        "method_en": "Tender guidance; procurement, finance and legal covered",
        "method_zh": "招标引导；覆盖采购、财务、法务",
        "department_en": "Sales; bid office; finance and legal",
        "department_zh": "销售部、投标办、财务与法务",
        "position_en": "Account manager; bid manager",
        "position_zh": "客户经理；投标经理",
        "assessment_en": "Our key parameters in the tender; budget confirmed",
        "assessment_zh": "标书采纳我方关键参数；预算确认",
        "steps_en": "Confirm the budget and the procurement method\n"
        "Cover the procurement, finance and legal contacts\n"
        "Prepare the pricing strategy and the partner line-up\n"
        "Review the tender draft with the customer\n"
        "Set up the bid team and materials",
        "steps_zh": "确认预算与采购方式\n覆盖采购、财务、法务关键人\n"
        "准备报价策略与合作伙伴组合\n与客户预审标书草稿\n组建投标团队并准备材料",
    },
    {
        "stage": "bidding",
        "number": 6,
        "name_en": "Bidding",
        "name_zh": "组织投标",
        "exit_criteria_en": "The bid result is known.",
        "exit_criteria_zh": "投标结果产生。",
        "method_en": "Bid / no-bid review; price approval; bid writing",
        "method_zh": "投标决策评审；报价审批；标书编制",
        "department_en": "Bid office; presales; finance",
        "department_zh": "投标办、售前、财务",
        "position_en": "Bid manager; presales consultant; account manager",
        "position_zh": "投标经理；售前顾问；客户经理",
        "assessment_en": "Bid on time and compliant; bid result",
        "assessment_zh": "按时合规投标；中标结果",
        "steps_en": "Decide bid / no-bid\nWrite the technical and commercial bid\n"
        "Approve the price\nSubmit and present the bid\nFollow the evaluation",
        "steps_zh": "投标决策\n编制技术标与商务标\n报价审批\n递交标书并述标\n跟进评标",
    },
    {
        "stage": "negotiation",
        "number": 7,
        "name_en": "Negotiation & signing",
        "name_zh": "谈判签约",
        "exit_criteria_en": "The contract is signed.",
        "exit_criteria_zh": "合同签署。",
        "method_en": "Commercial negotiation; contract review",
        "method_zh": "商务谈判；合同评审",
        "department_en": "Sales; legal; finance; delivery centre",
        "department_zh": "销售、法务、财务、交付中心",
        "position_en": "Account manager; first-line manager; legal counsel",
        "position_zh": "客户经理；一线经理；法务",
        "assessment_en": "Contract signed; margin and payment terms within policy; handed over "
        "to delivery",
        "assessment_zh": "合同签订；毛利与付款条件合规；完成交付交接",
        "steps_en": "Negotiate the terms and the price\nReview the contract (legal, finance)\n"
        "Sign the contract\nHand over to delivery\n"
        "Record won or lost, the winning competitor and price",
        "steps_zh": "谈判条款与价格\n合同评审（法务、财务）\n签订合同\n移交交付团队\n"
        "记录赢单或丢单、中标竞争对手及价格",
    },
]
