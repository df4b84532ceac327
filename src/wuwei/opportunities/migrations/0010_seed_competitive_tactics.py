"""Seed the competitive tactics library (METHOD.md §4.7; TAS's five strategies, with the
concrete tactics the TAS+ article says they lacked). Editable later; the seed only adds what
is missing, and unseeding removes only untouched seed rows."""

from django.db import migrations

# strategy → [(title_en, title_zh, description_en, description_zh)]
TACTICS = {
    "frontal": [
        (
            "Head-to-head demo or proof of concept",
            "同台演示或概念验证",
            "Run the demo or proof of concept on the customer's own data, side by side with the "
            "competitor, to prove our lead in performance and features.",
            "用客户的真实数据与竞争对手同台演示或做POC，证明我们在性能和功能上的领先。",
        ),
        (
            "Commit overwhelming resources",
            "集中资源压倒性投入",
            "Bring executives, experts and presales to bear at once so that we clearly outweigh "
            "the competitor on the dimensions that decide.",
            "调动高层、专家和售前资源集中投入，在决定胜负的维度上形成明显优势。",
        ),
        (
            "Executive-to-executive meeting",
            "高层对高层会晤",
            "Our executive meets the customer's decision maker, commits to the project's success "
            "and secures the support of the decision level.",
            "安排我方高层拜访客户决策者，承诺项目成功，锁定决策层支持。",
        ),
        (
            "Reference visits and proven cases",
            "标杆客户参观与案例证明",
            "Take the customer to a reference site in the same industry; remove doubts with "
            "verifiable results and ROI figures.",
            "安排参观同行业标杆客户，用可验证的成果和ROI数据消除疑虑。",
        ),
        (
            "Push for an early decision",
            "推动尽早决策",
            "While we lead, help the customer shorten the evaluation and decide before the "
            "competitor catches up.",
            "在我方领先时，帮助客户缩短评估周期，在竞争对手追上之前做出决定。",
        ),
    ],
    "flanking": [
        (
            "Redefine the evaluation criteria",
            "重新定义评估标准",
            "Identify what only we offer (industry know-how, local service…) and get the "
            "customer to add it to the criteria with a high weight.",
            "找出我方独有的优势（如行业经验、本地服务），引导客户把它加入评估标准并提高权重。",
        ),
        (
            "Help write the tender specification",
            "参与起草招标技术规范",
            "Before the tender is drafted, propose technical specifications that make our "
            "differentiators mandatory.",
            "在客户起草招标文件前提供技术规范建议，把我方差异化能力写成必要条件。",
        ),
        (
            "Bring new people into the decision",
            "引入新的决策人或影响者",
            "Bring the departments that favour us and value our strengths (business, finance) "
            "into the decision chain.",
            "把与我方关系好、重视我方优势的部门（如业务、财务）拉入决策链。",
        ),
        (
            "Shift the debate from price to total cost",
            "从价格之争转向总拥有成本",
            "Use total-cost-of-ownership and business-value figures to move attention from the "
            "purchase price to long-term value.",
            "用总拥有成本和业务价值测算，把客户关注点从采购价格转到长期价值。",
        ),
        (
            "Let the customer find the competitor's weak spots",
            "引导客户发现竞争对手的短板",
            "In needs interviews, ask about delivery, service response and the other areas where "
            "the competitor is weak, so the customer raises the requirement.",
            "在需求访谈中引导客户关注交付、服务响应等竞争对手薄弱环节，让客户自己提出要求。",
        ),
    ],
    "fragment": [
        (
            "Propose lots or phases",
            "建议分包或分期采购",
            "Propose buying by subsystem or in phases to lower the customer's risk, so we can win "
            "the lot where we are strong.",
            "建议客户按子系统或分期采购，降低客户风险，使我们能赢得优势部分。",
        ),
        (
            "Concentrate on our strongest module",
            "聚焦优势模块",
            "Put our resources only on the product lines or subsystems where we clearly lead.",
            "集中资源只争取我们明显领先的产品线或子系统。",
        ),
        (
            "Team up for part of the scope",
            "联合投标分担范围",
            "Bid together with a partner, or even another competitor, and take the part we do "
            "best.",
            "与合作伙伴（甚至另一家竞争对手）联合投标，承担我们最擅长的部分。",
        ),
        (
            "Win a pilot or first phase",
            "以试点或一期切入",
            "Win a pilot or the first phase and use the delivered results as a foothold for the "
            "rest.",
            "争取试点或一期项目，用交付成果为后续扩展建立立足点。",
        ),
        (
            "Land in one department or region first",
            "先在一个部门或地区落地",
            "Start where a department or branch supports us, then expand to the whole customer.",
            "先在支持我们的部门或分支机构落地，再向全局扩展。",
        ),
    ],
    "defend": [
        (
            "Show the value already delivered",
            "展示已交付的价值",
            "Compile the results of the installed systems and present them to the decision makers.",
            "整理已交付系统的运行数据和业务成果，向决策层汇报。",
        ),
        (
            "Make the cost of switching visible",
            "让更换成本显而易见",
            "Make clear the integration, migration and retraining cost and the risk of changing "
            "vendor.",
            "说明集成、数据迁移和再培训的成本，以及更换供应商的风险。",
        ),
        (
            "Lock in renewal and expansion early",
            "提前锁定续约与扩容",
            "Propose the upgrade, the expansion and a long-term service agreement before a "
            "competitor steps in.",
            "在竞争对手介入前提出升级扩容方案和长期服务协议。",
        ),
        (
            "Cover every level of the relationship",
            "覆盖各层级关系",
            "Keep regular contact with decision makers, evaluators and users so that no gap "
            "opens for a competitor.",
            "与决策、评估、使用各层关键人保持定期互动，不给竞争对手留下关系缺口。",
        ),
        (
            "Fix open issues fast",
            "快速解决遗留问题",
            "Find and fix complaints about the installed systems before a competitor can use them.",
            "主动排查并解决现有系统的投诉和问题，消除竞争对手的攻击点。",
        ),
    ],
    "develop": [
        (
            "Build relationships with key people",
            "与关键人建立关系",
            "Build trust with decision makers and influencers through visits and events; find "
            "an inside source.",
            "通过拜访和交流活动与决策者、影响者建立信任，找到内线。",
        ),
        (
            "Develop the customer's needs",
            "培育客户需求",
            "Help the customer see problems they have not yet recognised, through diagnostic "
            "workshops and industry seminars.",
            "通过需求诊断和行业研讨会，帮助客户认识到尚未意识到的问题。",
        ),
        (
            "Look for the compelling event",
            "寻找必要事件",
            "Learn the budget cycle, regulations and business goals; find the event that will "
            "make the project happen.",
            "了解预算周期、政策要求和业务目标，找出推动项目立项的必要事件。",
        ),
        (
            "Start with a small engagement",
            "以小合作建立记录",
            "Create a record of working together through consulting, training or a small order, "
            "paving the way for the next project.",
            "通过咨询、培训或小额订单建立合作记录，为下一个项目铺路。",
        ),
        (
            "Step back but keep in touch",
            "控制投入、保持联系",
            "If this deal cannot be won, limit the investment, keep in touch and watch the "
            "competitor's delivery for the next opportunity.",
            "若本项目无法赢得，控制投入，保持联系，关注竞争对手的交付情况，等待下一次机会。",
        ),
    ],
}


def seed(apps, schema_editor):
    Tactic = apps.get_model("opportunities", "CompetitiveTactic")
    for strategy, rows in TACTICS.items():
        for position, (title_en, title_zh, description_en, description_zh) in enumerate(rows):
            Tactic.objects.get_or_create(
                strategy=strategy,
                title_en=title_en,
                defaults={
                    "title_zh": title_zh,
                    "description_en": description_en,
                    "description_zh": description_zh,
                    "position": position,
                },
            )


def unseed(apps, schema_editor):
    Tactic = apps.get_model("opportunities", "CompetitiveTactic")
    titles = [row[0] for rows in TACTICS.values() for row in rows]
    Tactic.objects.filter(title_en__in=titles, version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0009_pursuit")]
    operations = [migrations.RunPython(seed, unseed)]
