"""Demo coaching (METHOD.md §4.10): the two sales managers have reviewed a few deals of their
teams, with action items (one already done); after one review the deal's win rate moved, so
that deal is back in the manager's queue. Idempotent; built through the real services."""

from datetime import timedelta

from django.utils import timezone

from wuwei.coaching import services
from wuwei.coaching.models import CoachingReview
from wuwei.opportunities.models import Opportunity
from wuwei.opportunities.winning.services import questionnaire_submit
from wuwei.org import demo as org_demo

DEMO_TAG = "[demo]"

# (manager, deal name, comments, [(action, owner, due in days)], done first action)
REVIEWS = [
    (
        "mgr_east",
        "[demo] 核心系统升级 Core system upgrade",
        "[demo] 决策链还不完整，先确认预算审批。The decision chain is incomplete: "
        "confirm the budget approval first.",
        [
            ("确认CFO预算审批 Confirm the CFO's budget approval", "rep_li", 7),
            ("安排高层会面 Arrange an executive meeting", "mgr_east", 14),
        ],
        False,
    ),
    (
        "mgr_east",
        "[demo] 数据中台 Data platform",
        "[demo] 进展正常，保持每周问卷。On track; keep the weekly questionnaire going.",
        [("补充第二家竞争对手评分 Score the second competitor", "rep_wang", 5)],
        True,
    ),
    (
        "mgr_north",
        "[demo] 智慧园区 Smart campus",
        "[demo] 竞争对手关系更近，需要找到内线。The rival is closer to the customer: find an "
        "inside source.",
        [("约见信息中心主任 Meet the IT centre director", "rep_zhang", 10)],
        False,
    ),
]
# After its review this deal's win rate moved (the weekly questionnaire): back in the queue.
MOVED = "[demo] 核心系统升级 Core system upgrade"


def _reviews() -> int:
    users = org_demo.users()
    today = timezone.localdate()
    created = 0
    for manager, deal_name, comments, actions, first_done in REVIEWS:
        deal = Opportunity.objects.filter(name=deal_name).first()
        if deal is None or CoachingReview.objects.filter(opportunity=deal).exists():
            continue
        review = services.review_create(
            user=users[manager],
            opportunity=deal,
            comments=comments,
            actions=[
                (title, users[owner], today + timedelta(days=days))
                for title, owner, days in actions
            ],
        )
        if first_done:
            action = review.actions.order_by("id").first()
            if action is not None:
                services.action_done(
                    user=action.owner, action=action, expected_version=action.version
                )
        created += 1
    return created


def _move_win_rate() -> None:
    """After the review the rep answers this week's questionnaire with less closeness: the
    win rate moves through the real service, so the deal is back in the queue."""
    deal = Opportunity.objects.filter(name=MOVED).first()
    review = CoachingReview.objects.filter(opportunity=deal).first() if deal else None
    if deal is None or review is None or deal.win_rate != review.win_rate_at_review:
        return
    last = deal.questionnaires.prefetch_related("competitor_answers__competitor").first()
    if last is None:
        return
    questionnaire_submit(
        user=deal.owner,
        opportunity=deal,
        has_inside_source=last.has_inside_source,
        us_fit=last.us_fit,
        us_closeness=max(0, last.us_closeness - 3),
        competitors=[(a.competitor, a.fit, a.closeness) for a in last.competitor_answers.all()],
        comment="[demo] 客户高层更换，关系需要重建。A new CIO: the relationship must be rebuilt.",
    )


def load() -> str:
    created = _reviews()
    if created:
        _move_win_rate()
    return f"{created} new coaching reviews"
