"""Demo winning-engine data (METHOD.md §4.3-4.6) on the open demo deals, built through the
real services week by week over the last 8-12 weeks: compelling events (a few never
confirmed, a few due for re-evaluation), 2-6 weekly questionnaires scoring the competitors
on the deal, some manager adjustments, and one win-rate snapshot per week, so each deal has
a believable curve (moves of 10+ points when a coach is found or a competitor closes in).

Idempotent: it runs once, on the deals open when the TAS+ demo first loads; once a demo
compelling event exists (its texts are below), a later run changes nothing — not even on
deals other demos added since. Called from `opportunities.demo.load()`."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from wuwei.competitors.models import Competitor
from wuwei.core.errors import DomainError
from wuwei.opportunities.models import (
    OPEN_STAGES,
    CompellingEvent,
    Opportunity,
    OpportunityCompetitor,
    Questionnaire,
    StageHistory,
)
from wuwei.opportunities.services import opportunity_competitor_add, opportunity_move_stage
from wuwei.opportunities.winning import services
from wuwei.opportunities.winning.selectors import (
    newest_rep_questionnaire_id,
    open_deals,
    week_monday,
)
from wuwei.org.models import Role, User
from wuwei.org.permissions import Action, roles_may

EVENTS = [
    ("去年预算已批复，今年必须执行 Budget approved last year", "预算批文 Budget approval"),
    ("CIO 要求 6 月底上线 Go-live deadline set by the CIO", "会议纪要 Meeting minutes"),
    ("旧系统明年停止维保 Support of the old system ends", "厂商通知 Vendor notice"),
    ("监管检查要求整改 Regulator audit requires remediation", "检查意见书 Audit letter"),
    ("新工厂投产需要配套系统 New plant opens", "投产计划 Plant schedule"),
]


@dataclass
class Scores:
    """The team's view of the deal, drifting week to week."""

    coach: bool
    us: list[int]
    rivals: dict[int, list[int]] = field(default_factory=dict)

    @classmethod
    def start(cls, rng: random.Random, rivals: list[int]) -> "Scores":
        return cls(
            coach=rng.random() < 0.5,
            us=[rng.randint(4, 7), rng.randint(3, 6)],
            rivals={cid: [rng.randint(4, 8), rng.randint(3, 7)] for cid in rivals},
        )

    def drift(self, rng: random.Random) -> None:
        for pair in [self.us, *self.rivals.values()]:
            index = rng.randrange(2)
            pair[index] = max(0, min(10, pair[index] + rng.choice((-1, 0, 0, 1))))
        roll = rng.random()
        if roll < 0.2 and not self.coach:
            self.coach = True  # found an inside source: ×0.7 goes, a jump of 10+ points
        elif roll < 0.35:
            self.us[1] = min(10, self.us[1] + 3)  # an executive meeting went well
        elif roll < 0.5 and self.rivals:
            rival = self.rivals[rng.choice(list(self.rivals))]
            rival[1] = min(10, rival[1] + 3)  # a competitor got close to the decision maker

    def answers(self) -> dict[str, object]:
        return {
            "has_inside_source": self.coach,
            "us_fit": self.us[0],
            "us_closeness": self.us[1],
            "competitors": [(cid, fit, close) for cid, (fit, close) in self.rivals.items()],
        }


def _weekday(weeks_ago: int, now: datetime, hour: int, day: int) -> datetime:
    monday = week_monday(now) - timedelta(weeks=weeks_ago)
    moment = timezone.make_aware(datetime(monday.year, monday.month, monday.day, hour))
    return min(moment + timedelta(days=day), now)


def _stage_at(history: list[StageHistory], at: datetime, current: str) -> str:
    stages = [row.stage for row in history if row.entered_at <= at]
    return stages[-1] if stages else current


def _adjuster(owner: User, managers: list[User], fallback: User) -> User:
    """A manager whose team subtree holds the owner, else the executive."""
    for manager in managers:
        above = owner.team and manager.team and owner.team.path.startswith(manager.team.path)
        if above and manager.pk != owner.pk:
            return manager
    return fallback


def _rivals(deal: Opportunity, competitors: list[Competitor], rng: random.Random) -> list[int]:
    ids = list(
        OpportunityCompetitor.objects.filter(opportunity=deal).values_list(
            "competitor_id", flat=True
        )
    )
    if not ids and competitors:  # someone always competes for a real deal
        rival = rng.choice(competitors)
        opportunity_competitor_add(user=deal.owner, opportunity=deal, competitor=rival)
        ids = [rival.pk]
    return ids


def _event(deal: Opportunity, rng: random.Random, at: datetime, now: datetime) -> CompellingEvent:
    description, evidence = rng.choice(EVENTS)
    due = rng.random() < 0.15
    event = services.compelling_event_create(
        user=deal.owner,
        opportunity=deal,
        description=description,
        evidence=evidence,
        event_date=(now + timedelta(days=rng.randint(20, 200))).date(),
        confidence=rng.choice(["medium", "high", "high", "low"]),
        reevaluate_on=(now - timedelta(days=rng.randint(1, 10))).date()
        if due
        else (now + timedelta(days=rng.randint(5, 40))).date(),
        at=at,
    )
    # The record's own timestamps say when it was added (the coaching queue reads them).
    CompellingEvent.objects.filter(pk=event.pk).update(created_at=at, updated_at=at)
    return event


def _deal(
    deal: Opportunity,
    *,
    rng: random.Random,
    now: datetime,
    adjuster: User,
    competitors: list[Competitor],
) -> int:
    """Build one deal's weeks; returns how many questionnaires it got."""
    weeks = rng.randint(8, 12)
    confirmed = rng.random() < 0.85
    can_answer = roles_may(deal.owner.role_slugs, Action.DEAL_QUESTIONNAIRE)
    rivals = _rivals(deal, competitors, rng) if can_answer else []
    answered_weeks = set(rng.sample(range(1, weeks + 1), k=min(weeks, rng.randint(2, 6))))
    scores = Scores.start(rng, rivals)
    event = _event(deal, rng, _weekday(weeks, now, 10, 1), now)
    deal = _advance(deal, rng, _weekday(rng.randint(2, weeks - 1), now, 15, 2))
    history = list(StageHistory.objects.filter(opportunity=deal).order_by("entered_at", "id"))
    count = 0
    rate: int | None = None
    for weeks_ago in range(weeks, -1, -1):
        at = _weekday(weeks_ago, now, 10, 1)
        # The win rate only moves with the event's creation, its confirmation or a
        # questionnaire, and each of those services refreshes it itself (the deal's row and
        # this week's snapshot, change events included): the week's rate is then the deal's.
        # A quiet week carries last week's rate, with no change event to raise.
        changed = weeks_ago == weeks
        if confirmed and weeks_ago == weeks - 1:
            changed = True
            event = services.compelling_event_update(
                user=deal.owner,
                event=event,
                changes={"is_confirmed": True, "reevaluate_on": event.reevaluate_on},
                expected_version=event.version,
                at=at,
            )
            CompellingEvent.objects.filter(pk=event.pk).update(updated_at=at)
        if can_answer and weeks - weeks_ago in answered_weeks:
            _answer(deal, scores, adjuster, at, rng)
            count += 1
            changed = True
        taken = _weekday(weeks_ago, now, 18, 4)
        if changed:
            rate = Opportunity.objects.values_list("win_rate", flat=True).get(pk=deal.pk)
        services.win_rate_snapshot_upsert(
            opportunity=deal,
            win_rate=rate,
            stage=_stage_at(history, taken, deal.stage),
            as_of=taken,
        )
    return count


def _answer(
    deal: Opportunity, scores: Scores, adjuster: User, at: datetime, rng: random.Random
) -> None:
    """This week's answers; a quarter of them reviewed and adjusted by the manager."""
    scores.drift(rng)
    questionnaire = services.questionnaire_submit(
        user=deal.owner,
        opportunity=deal,
        at=at,
        **scores.answers(),  # type: ignore[arg-type]
    )
    if rng.random() < 0.25:
        _adjust(questionnaire, scores, adjuster, at + timedelta(days=1), rng)


def _advance(deal: Opportunity, rng: random.Random, at: datetime) -> Opportunity:
    """Some deals reach their next stage inside the window: a marker on their curve (the
    win rate does not move with it)."""
    last = StageHistory.objects.filter(opportunity=deal).order_by("-entered_at").first()
    if rng.random() > 0.35 or deal.stage == OPEN_STAGES[-1] or (last and last.entered_at > at):
        return deal
    target = OPEN_STAGES[OPEN_STAGES.index(deal.stage) + 1]
    try:
        return opportunity_move_stage(user=deal.owner, opportunity=deal, to=target, at=at)
    except DomainError:  # a gate said no: the deal stays where it is
        return deal


def _adjust(
    questionnaire: Questionnaire, scores: Scores, adjuster: User, at: datetime, rng: random.Random
) -> None:
    """The manager is more sceptical: less closeness, or no real coach yet."""
    answers = scores.answers()
    if scores.coach and rng.random() < 0.5:
        answers["has_inside_source"] = False
    else:
        answers["us_closeness"] = max(0, scores.us[1] - rng.randint(1, 3))
    answers["comment"] = "客户高层态度未确认 Not confirmed at executive level yet"
    if newest_rep_questionnaire_id(questionnaire.opportunity_id) == questionnaire.pk:
        services.questionnaire_adjust(
            user=adjuster,
            questionnaire=questionnaire,
            at=min(at, timezone.now()),
            **answers,  # type: ignore[arg-type]
        )


def load(*, competitors: list[Competitor], rng: random.Random | None = None) -> str:
    if CompellingEvent.objects.filter(description__in=[text for text, _e in EVENTS]).exists():
        return "winning engine demo already loaded"
    rng = rng or random.Random(20270118)
    now = timezone.now()
    managers = list(User.objects.filter(role_links__role=Role.MANAGER).select_related("team"))
    executive = User.objects.filter(role_links__role=Role.EXECUTIVE).order_by("pk").first()
    deals = (
        open_deals()
        .exclude(compelling_events__isnull=False)
        .exclude(questionnaires__isnull=False)
        .select_related("owner__team")
        .order_by("pk")
    )
    built = questionnaires = 0
    for deal in deals:
        if rng.random() < 0.15:  # some deals have no compelling event at all: not rated
            continue
        adjuster = _adjuster(deal.owner, managers, executive or deal.owner)
        questionnaires += _deal(deal, rng=rng, now=now, adjuster=adjuster, competitors=competitors)
        built += 1
    return f"{built} deals with compelling events and {questionnaires} questionnaires"
