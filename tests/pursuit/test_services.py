"""Strategy, tactics and value proposition services and selectors (§4.7, §4.8)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from tests.factories import make_account, make_contact
from tests.opportunities.factories import make_opportunity
from tests.pursuit.factories import answer, make_deal, on_deal
from wuwei.accounts.timeline import account_timeline
from wuwei.core.errors import Conflict, NotAllowed, ValidationFailed
from wuwei.opportunities.models import (
    CompetitiveTactic,
    DealStrategy,
    DealTactic,
    ValueComparison,
    ValueProposition,
)
from wuwei.opportunities.services import opportunity_move_stage
from wuwei.org import handover
from wuwei.people.models import Activity
from wuwei.people.selectors import account_activities
from wuwei.pursuit import selectors, services
from wuwei.pursuit.selectors import strategy_view, top_competitors


@pytest.fixture(autouse=True)
def english():
    """Services run in the active language (titles are copied in the adopter's language)."""
    with translation.override("en"):
        yield


def _library(strategy: str) -> list[CompetitiveTactic]:
    return list(CompetitiveTactic.objects.filter(strategy=strategy).order_by("position"))


def test_seeded_library_has_concrete_tactics_in_both_languages(db):
    for strategy in ("frontal", "flanking", "fragment", "defend", "develop"):
        tactics = _library(strategy)
        assert len(tactics) == 5, strategy
        assert all(
            t.title_en and t.title_zh and t.description_en and t.description_zh for t in tactics
        )
    assert CompetitiveTactic.objects.count() == 25
    assert _library("flanking")[0].title_en == "Redefine the evaluation criteria"
    assert _library("flanking")[0].title_zh == "重新定义评估标准"


# ----------------------------------------------------------------------------------------
# suggestion from the facts of the deal


def test_suggestion_reads_the_newest_questionnaire(org):
    deal = make_deal(org.rep)
    rival, other = on_deal(deal, "Rival A", "Rival B")
    answer(
        deal,
        (5, 5),
        [(rival, 9, 8), (other, 2, 2)],
        win_rate=20,
        at=timezone.now() - timedelta(days=7),
    )
    answer(deal, (8, 8), [(rival, 5, 5), (other, 3, 3)], win_rate=60)

    view = strategy_view(user=org.rep, opportunity=deal)

    assert view.chosen is None
    assert view.suggestion.strategy == "frontal"
    assert [(r.code, dict(r.params)) for r in view.suggestion.reasons] == [
        ("clear_lead", {"win_rate": 60, "min": 50, "lead": 6})
    ]
    assert (view.position.rank, view.position.strength, view.position.leader_strength) == (
        1,
        16,
        10,
    )


@pytest.mark.parametrize(
    ("setup", "strategy", "code"),
    [
        ("nothing", "develop", "not_rated"),
        ("rated_without_questionnaire", "develop", "no_questionnaire"),
        ("incumbent_by_won_deal", "defend", "incumbent_leading"),
        ("incumbent_by_status", "defend", "incumbent_leading"),
        ("far_behind_two_lines", "fragment", "far_behind_divisible"),
        ("far_behind_one_line", "develop", "far_behind"),
        ("close_behind", "flanking", "close_behind"),
    ],
)
def test_suggestion_facts(org, setup, strategy, code):
    account = make_account(
        org.rep, status="customer" if setup == "incumbent_by_status" else "prospect"
    )
    products = ["cloud", "data"] if setup == "far_behind_two_lines" else ["cloud"]
    deal = make_opportunity(org.rep, account, 6_000_000, products=products)
    (rival,) = on_deal(deal, "Rival")
    if setup == "rated_without_questionnaire":
        deal.win_rate = 40
    elif setup.startswith("incumbent"):
        answer(deal, (7, 7), [(rival, 6, 6)], win_rate=38)
        if setup == "incumbent_by_won_deal":
            won = make_opportunity(org.rep, account, 300_000)
            opportunity_move_stage(user=org.rep, opportunity=won, to="negotiation")
            opportunity_move_stage(user=org.rep, opportunity=won, to="won")
    elif setup.startswith("far_behind"):
        answer(deal, (4, 4), [(rival, 8, 8)], win_rate=23)
    elif setup == "close_behind":
        answer(deal, (6, 6), [(rival, 7, 7)], win_rate=33)

    view = strategy_view(user=org.rep, opportunity=deal)

    assert (view.suggestion.strategy, view.suggestion.reasons[0].code) == (strategy, code)


# ----------------------------------------------------------------------------------------
# the chosen strategy


def test_strategy_is_chosen_changed_and_versioned(org):
    deal = make_deal(org.rep)

    chosen = services.deal_strategy_set(
        user=org.rep,
        opportunity=deal,
        strategy="flanking",
        rationale=" Their price wins; our know-how must count. ",
        suggested="develop",
        expected_version=None,
    )
    assert (chosen.strategy, chosen.rationale, chosen.suggested, chosen.version) == (
        "flanking",
        "Their price wins; our know-how must count.",
        "develop",
        1,
    )
    assert chosen.chosen_by == org.rep
    changed = services.deal_strategy_set(
        user=org.manager,
        opportunity=deal,
        strategy="fragment",
        rationale="Split it",
        expected_version=1,
    )
    assert (changed.strategy, changed.version, changed.chosen_by) == ("fragment", 2, org.manager)
    with pytest.raises(Conflict):
        services.deal_strategy_set(
            user=org.rep, opportunity=deal, strategy="frontal", rationale="x", expected_version=1
        )
    stored = DealStrategy.objects.get(opportunity=deal)
    assert (stored.strategy, stored.version) == ("fragment", 2)
    assert [h.strategy for h in stored.history.order_by("history_id")] == ["flanking", "fragment"]


def test_strategy_needs_a_rationale_a_known_strategy_and_a_writer(org):
    deal = make_deal(org.rep)
    with pytest.raises(ValidationFailed) as refused:
        services.deal_strategy_set(
            user=org.rep,
            opportunity=deal,
            strategy="frontal",
            rationale="  ",
            expected_version=None,
        )
    assert [field for field, _message in refused.value.errors] == ["rationale"]
    with pytest.raises(ValidationFailed):
        services.deal_strategy_set(
            user=org.rep, opportunity=deal, strategy="blitz", rationale="x", expected_version=None
        )
    with pytest.raises(NotAllowed):
        services.deal_strategy_set(
            user=org.presales,
            opportunity=deal,
            strategy="frontal",
            rationale="x",
            expected_version=None,
        )
    with pytest.raises(Conflict):  # creating over a version the client thinks exists
        services.deal_strategy_set(
            user=org.rep, opportunity=deal, strategy="frontal", rationale="x", expected_version=3
        )
    assert not DealStrategy.objects.exists()


# ----------------------------------------------------------------------------------------
# adopted tactics


def test_adopting_twice_does_not_duplicate(org):
    deal = make_deal(org.rep)
    first, second, third = _library("flanking")[:3]

    added = services.deal_tactics_adopt(
        user=org.rep,
        opportunity=deal,
        tactics=[first, second],
        titles=["ROI model"],
        due=date(2027, 3, 1),
    )
    again = services.deal_tactics_adopt(
        user=org.rep, opportunity=deal, tactics=[second, third], titles=["roi model "]
    )

    assert [t.title for t in added] == [first.title_en, second.title_en, "ROI model"]
    assert [(t.tactic_id, t.notes, t.due) for t in added[:1]] == [
        (first.pk, first.description_en, date(2027, 3, 1))
    ]
    assert [t.tactic_id for t in again] == [third.pk]
    assert DealTactic.objects.filter(opportunity=deal).count() == 4
    assert {t.owner_id for t in DealTactic.objects.all()} == {org.rep.pk}


def test_adoption_copies_the_title_in_the_adopters_language_and_skips_archived(org):
    deal = make_deal(org.rep)
    tactic, archived = _library("defend")[:2]
    services.competitive_tactic_archive(user=org.manager, tactic=archived)
    with translation.override("zh-hans"):
        added = services.deal_tactics_adopt(
            user=org.rep, opportunity=deal, tactics=[tactic, archived]
        )
    assert [t.title for t in added] == [tactic.title_zh]
    with pytest.raises(ValidationFailed):
        services.deal_tactics_adopt(user=org.rep, opportunity=deal, tactics=[], titles=[" "])


def test_a_removed_tactic_can_be_adopted_again(org):
    deal = make_deal(org.rep)
    tactic = _library("develop")[0]
    (adopted,) = services.deal_tactics_adopt(user=org.rep, opportunity=deal, tactics=[tactic])
    services.deal_tactic_archive(user=org.rep, deal_tactic=adopted)
    (again,) = services.deal_tactics_adopt(user=org.rep, opportunity=deal, tactics=[tactic])
    assert again.pk != adopted.pk
    assert list(selectors.deal_tactics(user=org.rep, opportunity=deal)) == [again]


def test_tactic_updates_are_versioned(org):
    deal = make_deal(org.rep)
    (item,) = services.deal_tactics_adopt(user=org.rep, opportunity=deal, titles=["Workshop"])
    updated = services.deal_tactic_update(
        user=org.rep,
        deal_tactic=item,
        changes={"status": "done", "owner": org.peer_rep, "due": date(2027, 1, 5)},
        expected_version=1,
    )
    assert (updated.status, updated.owner, updated.due, updated.version) == (
        "done",
        org.peer_rep,
        date(2027, 1, 5),
        2,
    )
    with pytest.raises(Conflict):
        services.deal_tactic_update(
            user=org.rep, deal_tactic=item, changes={"status": "dropped"}, expected_version=1
        )
    assert DealTactic.objects.get(pk=item.pk).status == "done"


def test_a_tactic_becomes_an_activity_on_the_deal_and_the_account(org):
    deal = make_deal(org.rep)
    contact = make_contact(deal.account, name="王总")
    tactic = _library("frontal")[2]
    (item,) = services.deal_tactics_adopt(
        user=org.rep, opportunity=deal, tactics=[tactic], owner=org.peer_rep
    )

    done = services.deal_tactic_to_activity(
        user=org.rep,
        deal_tactic=item,
        kind="executive_meeting",
        occurred_on=date(2027, 2, 3),
        contacts=[contact],
    )

    activity = Activity.objects.get()
    assert done.activity_id == activity.pk and done.version == 2 and done.status == "planned"
    assert (activity.account_id, activity.opportunity_id, activity.owner_id) == (
        deal.account_id,
        deal.pk,
        org.peer_rep.pk,
    )
    assert (activity.kind, activity.subject, activity.occurred_on, activity.tag_list) == (
        "executive_meeting",
        tactic.title_en,
        date(2027, 2, 3),
        ["tactic"],
    )
    assert list(activity.contacts.all()) == [contact]
    assert account_activities(user=org.rep, account=deal.account) == [activity]
    entries = [
        e for e in account_timeline(user=org.rep, account=deal.account) if e.kind == "activity"
    ]
    assert [e.title for e in entries] == [f"Executive meeting: {tactic.title_en}"]
    with pytest.raises(Conflict):
        services.deal_tactic_to_activity(
            user=org.rep, deal_tactic=done, kind="call", occurred_on=date(2027, 2, 4)
        )
    assert Activity.objects.count() == 1


def test_activity_contacts_must_belong_to_the_deal_account(org):
    deal = make_deal(org.rep)
    stranger = make_contact(make_account(org.rep))
    (item,) = services.deal_tactics_adopt(user=org.rep, opportunity=deal, titles=["Visit"])
    with pytest.raises(ValidationFailed):
        services.deal_tactic_to_activity(
            user=org.rep,
            deal_tactic=item,
            kind="visit",
            occurred_on=date(2027, 1, 1),
            contacts=[stranger],
        )
    assert not Activity.objects.exists()
    assert DealTactic.objects.get(pk=item.pk).activity_id is None


def test_handover_moves_planned_tactics_only(org):
    deal = make_deal(org.rep)
    planned, done = services.deal_tactics_adopt(user=org.rep, opportunity=deal, titles=["A", "B"])
    services.deal_tactic_update(
        user=org.rep, deal_tactic=done, changes={"status": "done"}, expected_version=1
    )
    pending = {p.key: p.count for p in handover.handover_pending(org.rep)}
    assert pending["deal_tactics"] == 1
    handover.handover_run(
        actor=org.admin, user=org.rep, reason="territory_change", default_successor=org.peer_rep
    )
    assert DealTactic.objects.get(pk=planned.pk).owner_id == org.peer_rep.pk
    assert DealTactic.objects.get(pk=done.pk).owner_id == org.rep.pk


# ----------------------------------------------------------------------------------------
# value proposition


def test_top_two_come_from_the_questionnaire_then_the_deal(org):
    deal = make_deal(org.rep)
    weak, strong, middle, _unscored = on_deal(
        deal, "Weak", "Strong", "Middle", "Unscored", primary="Unscored"
    )

    fallback = top_competitors(user=org.rep, opportunity=deal, questionnaire=None)
    assert [(t.competitor.name, t.source) for t in fallback] == [
        ("Unscored", "deal"),
        ("Middle", "deal"),
    ]
    questionnaire = answer(
        deal, (5, 5), [(weak, 1, 1), (strong, 9, 9), (middle, 6, 6)], win_rate=40
    )
    ranked = top_competitors(user=org.rep, opportunity=deal, questionnaire=questionnaire)
    assert [(t.competitor.name, t.strength, t.source) for t in ranked] == [
        ("Strong", 18, "questionnaire"),
        ("Middle", 12, "questionnaire"),
    ]
    single = answer(deal, (5, 5), [(weak, 1, 1)], win_rate=80)
    filled = top_competitors(user=org.rep, opportunity=deal, questionnaire=single)
    assert [(t.competitor.name, t.source) for t in filled] == [
        ("Weak", "questionnaire"),
        ("Unscored", "deal"),
    ]
    assert top_competitors(user=org.partner, opportunity=deal, questionnaire=single) == []


def test_value_proposition_saves_the_table_and_compares(org):
    deal = make_deal(org.rep)
    first, second = on_deal(deal, "First", "Second")
    C = services.ComparisonInput

    saved = services.value_proposition_set(
        user=org.rep,
        opportunity=deal,
        solution=" Unified data platform ",
        business_value="Reports in a day",
        comparisons=[
            C("solution", None, 5, "industry models"),
            C("solution", first, 3),
            C("solution", second, 5),
            C("relationships", None, 2),
            C("relationships", first, 4, "incumbent"),
        ],
        expected_version=None,
    )
    assert (saved.solution, saved.version) == ("Unified data platform", 1)
    view = selectors.value_view(user=org.rep, opportunity=deal)
    rows = {row.dimension: row for row in view.rows}
    assert [c.competitor.name for c in view.competitors] == ["First", "Second"]
    assert (rows["solution"].us.rating, rows["solution"].us.note) == (5, "industry models")
    assert [c.standing for c in rows["solution"].competitors] == ["lead", "even"]
    assert [c.standing for c in rows["relationships"].competitors] == ["lag", None]
    assert (rows["solution"].leads, rows["relationships"].lags) == (1, 1)
    assert [c.rating for c in rows["hardware"].competitors] == [None, None]

    services.value_proposition_set(
        user=org.manager,
        opportunity=deal,
        solution="Unified data platform",
        business_value="Reports in a day",
        comparisons=[C("solution", None, 4, "industry models"), C("software", second, 2)],
        expected_version=1,
    )
    cells = sorted(
        (c.dimension, c.competitor_id, c.rating)
        for c in ValueComparison.objects.filter(opportunity=deal)
    )
    assert cells == [("software", second.pk, 2), ("solution", None, 4)]
    assert ValueProposition.objects.get(opportunity=deal).version == 2
    with pytest.raises(Conflict):
        services.value_proposition_set(
            user=org.rep, opportunity=deal, solution="x", business_value="", expected_version=1
        )
    kept = services.value_proposition_set(
        user=org.rep, opportunity=deal, solution="New", business_value="", expected_version=2
    )
    assert kept.solution == "New" and ValueComparison.objects.filter(opportunity=deal).count() == 2


def test_value_comparisons_are_checked(org):
    deal = make_deal(org.rep)
    (rival,) = on_deal(deal, "Rival")
    stranger = make_deal(org.rep)
    (elsewhere,) = on_deal(stranger, "Elsewhere")
    C = services.ComparisonInput
    cases = [
        ([C("solution", elsewhere, 3)], "comparisons.0.competitor"),
        ([C("solution", None, 6)], "comparisons.0.rating"),
        ([C("price", None, 3)], "comparisons.0.dimension"),
        ([C("solution", rival, 3), C("solution", rival, 4)], "comparisons.1"),
    ]
    for comparisons, field in cases:
        with pytest.raises(ValidationFailed) as refused:
            services.value_proposition_set(
                user=org.rep,
                opportunity=deal,
                solution="x",
                business_value="",
                comparisons=comparisons,
                expected_version=None,
            )
        assert refused.value.errors[0][0] == field
    assert not ValueProposition.objects.exists() and not ValueComparison.objects.exists()


def test_partners_do_not_see_competitor_cells(org):
    deal = make_deal(org.rep)
    (rival,) = on_deal(deal, "Rival")
    services.value_proposition_set(
        user=org.rep,
        opportunity=deal,
        solution="x",
        business_value="",
        comparisons=[
            services.ComparisonInput("solution", None, 4),
            services.ComparisonInput("solution", rival, 2),
        ],
        expected_version=None,
    )
    from wuwei.core.visibility import visible

    assert visible(ValueComparison, org.partner).count() == 0
    assert visible(ValueComparison, org.rep).count() == 2
    assert visible(ValueComparison, org.other_manager).count() == 0
    assert visible(ValueComparison, org.executive).count() == 2


def test_archived_deal_is_read_only(org):
    from wuwei.opportunities.services import opportunity_archive

    deal = make_deal(org.rep)
    opportunity_archive(user=org.rep, opportunity=deal)
    with pytest.raises(Conflict):
        services.deal_tactics_adopt(user=org.rep, opportunity=deal, titles=["x"])
    with pytest.raises(Conflict):
        services.value_proposition_set(
            user=org.rep, opportunity=deal, solution="x", business_value="", expected_version=None
        )
