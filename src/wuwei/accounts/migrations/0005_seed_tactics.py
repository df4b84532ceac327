"""Seed the account-strategy tactics library (METHOD.md §2.4; article 004). Editable later;
the seed only adds what is missing, and unseeding removes only untouched seed rows."""

from django.db import migrations

# strategy → [(title_zh, title_en, description_zh, description_en)]
TACTICS = {
    "acquire": [
        (
            "绘制客户组织与关系图谱",
            "Map the customer's organisation and relationships",
            "找出汇报线、决策链和圈子，确定第一批要接触的人。",
            "Find the reporting lines, decision chain and circles; pick the first people to meet.",
        ),
        (
            "以小项目或试点切入",
            "Enter with a small project or pilot",
            "用低风险的试点证明能力，建立第一次合作记录。",
            "Prove capability with a low-risk pilot and create the first reference of working together.",
        ),
        (
            "邀请参观标杆客户",
            "Invite them to a reference site",
            "安排同行业标杆客户参观或交流，建立信任。",
            "Arrange a visit or exchange with a reference customer of the same industry to build trust.",
        ),
        (
            "举办需求诊断研讨会",
            "Run a needs-diagnosis workshop",
            "与业务和IT部门一起梳理痛点，把我们的方案植入需求。",
            "Work through pain points with business and IT, implanting our solution into the needs.",
        ),
        (
            "寻找并培养内线",
            "Find and develop an inside source",
            "在客户内部找到认可我们的人，持续提供价值。",
            "Find someone inside who favours us and keep giving them value.",
        ),
    ],
    "grow": [
        (
            "高层互访建立战略合作",
            "Executive exchange towards a strategic partnership",
            "安排双方高层会面，把合作提升到战略层面。",
            "Arrange meetings between executives to lift the relationship to a strategic level.",
        ),
        (
            "扩展到新部门和新业务",
            "Expand into new departments and business units",
            "从已服务部门向兄弟部门复制成功经验。",
            "Replicate the success of the served department in its sister departments.",
        ),
        (
            "联合制定年度IT规划",
            "Co-author the annual IT plan",
            "参与客户年度规划，提前锁定来年的项目。",
            "Take part in the customer's annual planning to secure next year's projects early.",
        ),
        (
            "交叉销售与升级销售",
            "Cross-sell and up-sell",
            "基于已有系统推荐扩容、升级和相关产品。",
            "Propose expansion, upgrades and related products on top of installed systems.",
        ),
        (
            "增加客户经理与售前投入",
            "Add account and presales capacity",
            "为C类客户配置专门的售前与交付资源。",
            "Assign dedicated presales and delivery resources to class C accounts.",
        ),
    ],
    "retain": [
        (
            "定期业务回顾",
            "Regular business reviews",
            "每季度与客户回顾价值交付和满意度。",
            "Review delivered value and satisfaction with the customer every quarter.",
        ),
        (
            "服务升级与专属支持",
            "Premium service and a dedicated support line",
            "提供专属服务经理和优先响应。",
            "Provide a named service manager and priority response.",
        ),
        (
            "年度满意度调研与改进",
            "Annual satisfaction survey and follow-up",
            "收集反馈并公开改进计划，防止客户流失。",
            "Collect feedback and publish an improvement plan to prevent churn.",
        ),
        (
            "续约提前布局",
            "Prepare renewals early",
            "在合同到期前六个月启动续约和扩展讨论。",
            "Start renewal and expansion talks six months before the contract ends.",
        ),
        (
            "共建联合创新项目",
            "Joint innovation projects",
            "与客户共建实验室或创新项目，加深绑定。",
            "Build a lab or innovation project together to deepen the tie.",
        ),
    ],
    "win_back": [
        (
            "高层致歉与问题复盘",
            "Executive apology and root-cause review",
            "由我方高层出面，承认问题并给出整改方案。",
            "Our executive acknowledges the problem and presents a remediation plan.",
        ),
        (
            "限期整改并承诺服务水平",
            "Time-boxed fix with a service-level commitment",
            "对关键问题限期解决，并以SLA形式承诺。",
            "Fix the key issues by a date and commit to it as an SLA.",
        ),
        (
            "重建关键人关系",
            "Rebuild relationships with key people",
            "重新评估关系图谱，针对疏远的决策者制定接触计划。",
            "Re-assess the relationship map and plan contact with decision makers who drifted away.",
        ),
        (
            "提供补偿或增值服务",
            "Offer compensation or added-value services",
            "以免费培训、延保或优惠挽回信任。",
            "Win trust back with free training, extended warranty or a discount.",
        ),
    ],
    "wait_and_watch": [
        (
            "保持低频礼节性联系",
            "Keep low-frequency courtesy contact",
            "节日问候、行业活动邀请，保持存在感。",
            "Holiday greetings and event invitations keep us present.",
        ),
        (
            "关注竞争对手的交付问题",
            "Watch for the competitor's delivery problems",
            "收集竞争对手项目进展与客户抱怨的信息。",
            "Gather news of the competitor's project progress and customer complaints.",
        ),
        (
            "跟踪客户人事与战略变化",
            "Track personnel and strategy changes",
            "关键人调整、新规划发布时及时重新评估机会。",
            "Re-assess the opportunity when key people change or a new plan is published.",
        ),
        (
            "准备替代方案等待时机",
            "Prepare an alternative and wait for the moment",
            "预先准备针对性方案，一旦客户不满即可切入。",
            "Have a targeted proposal ready to step in once the customer is unhappy.",
        ),
    ],
}


def seed(apps, schema_editor):
    Tactic = apps.get_model("accounts", "Tactic")
    for strategy, rows in TACTICS.items():
        for position, (title_zh, title_en, description_zh, description_en) in enumerate(rows):
            Tactic.objects.get_or_create(
                strategy=strategy,
                title_en=title_en,
                defaults={
                    "title_zh": title_zh,
                    "description_zh": description_zh,
                    "description_en": description_en,
                    "position": position,
                },
            )


def unseed(apps, schema_editor):
    Tactic = apps.get_model("accounts", "Tactic")
    titles = [row[1] for rows in TACTICS.values() for row in rows]
    Tactic.objects.filter(title_en__in=titles, version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_esp_archive_grading_plans")]
    operations = [migrations.RunPython(seed, unseed)]
