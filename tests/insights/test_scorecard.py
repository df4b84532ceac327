"""The five-dimension scorecard (METHOD.md §8) on a fixed data set: exact numbers per rep and
team, the records behind each KPI, visibility (rep, manager subtree, outsider and partner),
fixed query counts, the export and the API."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from tests.factories import make_account, make_contact, make_user
from tests.opportunities.factories import make_competitor, make_opportunity
from wuwei.accounts.models import Account, AccountGrading, PlanCompetitor
from wuwei.accounts.services import plan_create
from wuwei.insights.scorecard import services
from wuwei.insights.scorecard.models import DealUse
from wuwei.insights.scorecard.scope import Period, scorecard_reach
from wuwei.insights.scorecard.selectors import scorecard
from wuwei.opportunities.models import Opportunity
from wuwei.people.models import ClosenessSnapshot
from wuwei.people.services.connections import connection_create
from wuwei.people.services.decision import participant_add
from wuwei.playbook.models import RiskFinding, RiskOverride, RiskRule
from wuwei.support.models import Assignment, LedgerEntry, LevelRate, PresalesRequest, Resource

D = Decimal
PERIOD = Period(date(2025, 1, 1), date(2025, 6, 30))
QUERY = {"date_from": "2025-01-01", "date_to": "2025-06-30"}


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


def _deal(owner, account, amount, *, stage="validate", created=None, closed=None, **fields):
    deal = make_opportunity(owner, account, amount=amount, **fields)
    changes = {"stage": stage, "closed_on": closed}
    if created:
        changes["created_at"] = _at(created)
    Opportunity.objects.filter(pk=deal.pk).update(**changes)
    deal.refresh_from_db()
    return deal


def _grading(account, klass, day, by):
    grading = AccountGrading.objects.create(
        account=account,
        revenue=50,
        potential=50,
        demonstration=50,
        can_win_deliver=50,
        score=50,
        grade=klass,
        potential_level="medium",
        contribution_level="medium",
        account_class=klass,
        graded_by=by,
    )
    AccountGrading.objects.filter(pk=grading.pk).update(created_at=_at(day))


def _uses(deal, outcome, closed, connections, solution, rules):
    DealUse.objects.create(
        opportunity=deal,
        outcome=outcome,
        closed_on=closed,
        connections_used=connections,
        solution_used=solution,
        rules_used=rules,
    )


def _ledger(deal, amount, days, posted, assignment=None):
    entry = LedgerEntry.objects.create(
        opportunity=deal,
        kind="charge",
        amount=D(amount),
        days=D(days),
        assignment=assignment,
        description="presales",
        created_by=deal.owner,
    )
    models.QuerySet(model=LedgerEntry).filter(pk=entry.pk).update(created_at=_at(posted))


def _assignment(deal, presales, start, days):
    level = LevelRate.objects.create(level="senior-test", day_rate=D(10_000))
    resource = Resource.objects.create(user=presales, level=level)
    request = PresalesRequest.objects.create(
        opportunity=deal,
        requested_by=deal.owner,
        effort_days=D(days),
        start=start,
        end=start,
        purpose="demo",
        queue="hotline",
        estimated_cost=D(days) * 10_000,
        budget_at_request=D(60_000),
    )
    return Assignment.objects.create(
        request=request,
        resource=resource,
        start=start,
        end=start,
        days=D(days),
        day_rate=D(10_000),
        cost=D(days) * 10_000,
        assigned_by=deal.owner,
    )


@pytest.fixture
def data(org):
    rep = org.rep
    ka1 = make_account(rep, name="重点一", segment="KA")
    ka2 = make_account(rep, name="重点二", segment="KA")
    smb = make_account(rep, name="小微", segment="SMB")
    Account.objects.filter(pk=ka1.pk).update(grade="A")
    Account.objects.filter(pk=ka2.pk).update(grade="D")
    _grading(ka1, "C", date(2024, 12, 1), rep)
    _grading(ka1, "A", date(2025, 3, 1), rep)  # improved
    _grading(ka2, "B", date(2024, 12, 1), rep)
    _grading(ka2, "D", date(2025, 3, 1), rep)  # declined
    # ka2's plan of 2025 is ahead of both named competitors; ka1 has no plan
    plan = plan_create(user=rep, account=ka2, year=2025, goal="lead")
    for rank in (1, 2):
        PlanCompetitor.objects.create(
            plan=plan, competitor=make_competitor(rep), rank=rank, is_ahead=True
        )
    snap = ClosenessSnapshot.objects.create
    snap(account=ka1, value=D("50.0"), recorded_on=date(2024, 12, 20))
    snap(account=ka1, value=D("60.0"), recorded_on=date(2025, 5, 1))  # +10
    snap(account=ka2, value=D("40.0"), recorded_on=date(2025, 2, 1))
    snap(account=ka2, value=D("35.0"), recorded_on=date(2025, 6, 1))  # -5

    open1 = _deal(rep, ka1, 1_000_000, source="plan", created=date(2025, 2, 1))
    Opportunity.objects.filter(pk=open1.pk).update(win_rate=50)
    open2 = _deal(rep, smb, 400_000)  # not rated
    won1 = _deal(
        rep, ka1, 2_000_000, stage="won", source="visit", created=date(2025, 1, 15),
        closed=date(2025, 4, 10),
    )  # fmt: skip
    won2 = _deal(rep, smb, 300_000, stage="won", created=date(2024, 11, 1), closed=date(2025, 5, 5))
    lost = _deal(rep, ka2, 500_000, stage="lost", closed=date(2025, 3, 3))
    _deal(rep, smb, 900_000, stage="won", closed=date(2024, 12, 1))  # before the period
    _uses(won1, "won", date(2025, 4, 10), True, True, True)
    _uses(won2, "won", date(2025, 5, 5), False, False, True)
    _uses(lost, "lost", date(2025, 3, 3), False, True, False)

    # deciders: approver and decision maker roles on the deals in play
    a = make_contact(ka1, name="审批人")
    b = make_contact(ka1, name="决策人")
    e = make_contact(ka1, name="评估人")
    c = make_contact(ka2, name="二号决策人")
    d = make_contact(smb, name="小微审批")
    participant_add(user=rep, opportunity=open1, contact=a, decision_role="approver",
                    relationship_status="positive")  # fmt: skip
    participant_add(user=rep, opportunity=open1, contact=b, decision_role="decision_maker",
                    relationship_status="neutral")  # fmt: skip
    participant_add(user=rep, opportunity=open1, contact=e, decision_role="evaluator",
                    relationship_status="positive")  # fmt: skip
    participant_add(user=rep, opportunity=lost, contact=c, decision_role="decision_maker",
                    relationship_status="strong_positive")  # fmt: skip
    participant_add(user=rep, opportunity=open2, contact=d, decision_role="approver",
                    relationship_status="positive")  # fmt: skip
    for contact in (a, d, e):
        connection_create(user=rep, employee=rep, contact=contact, how="classmate")

    assignment = _assignment(won1, org.presales, date(2025, 3, 1), 4)
    _ledger(won1, 40_000, 4, date(2025, 3, 1), assignment)
    _ledger(won1, 20_000, 2, date(2024, 12, 1))
    _ledger(open1, 10_000, 1, date(2025, 2, 1))

    rule = RiskRule.objects.order_by("pk").first()
    RiskFinding.objects.create(
        opportunity=open1, rule=rule, first_seen_at=_at(date(2025, 2, 10)),
    )  # fmt: skip
    RiskFinding.objects.create(
        opportunity=open2, rule=rule, first_seen_at=_at(date(2024, 10, 1)),
    )  # fmt: skip
    RiskOverride.objects.create(
        opportunity=lost, from_stage="validate", to_stage="initiate", reason="ok",
        rules=[{"rule": rule.pk}], overridden_by=org.manager, created_at=_at(date(2025, 2, 20)),
    )  # fmt: skip

    services.contract_set(user=rep, opportunity=won1, value=D(2_000_000), signed_on=None)
    with_payment = services.payment_add
    with_payment(user=rep, opportunity=won1, received_on=date(2025, 5, 1), amount=D(500_000))
    with_payment(user=rep, opportunity=won1, received_on=date(2025, 6, 30), amount=D(100_000))

    # peer: one won deal without recorded uses
    peer_account = make_account(org.peer_rep, name="同事客户", segment="SMB")
    _deal(org.peer_rep, peer_account, 1_000_000, stage="won", closed=date(2025, 2, 2))
    # another team's rep: never in East KA's numbers
    north_rep = make_user("north_rep", team=org.north_ka)
    north = make_account(north_rep, name="北方客户", segment="KA")
    _deal(north_rep, north, 5_000_000, stage="won", closed=date(2025, 3, 3))
    org.ids = {  # type: ignore[attr-defined]
        "ka1": ka1.pk, "ka2": ka2.pk, "open1": open1.pk, "open2": open2.pk, "won1": won1.pk,
        "won2": won2.pk, "lost": lost.pk, "north_rep": north_rep,
    }  # fmt: skip
    return org


def _card(user, team_id=None):
    reach = scorecard_reach(user=user, team_id=team_id)
    return scorecard(user=user, reps=reach.reps, period=PERIOD)


def _rep_row(card, user):
    return next(row for row in card.rows if row.user == user)


def test_rep_numbers(data):
    card = _card(data.manager)
    row = _rep_row(card, data.rep)
    f = row.facts
    # 道
    assert (f.accounts, f.accounts_ab, row.movement.improved, row.movement.declined) == (
        3, 1, 1, 1,
    )  # fmt: skip
    # 术
    assert (f.open_deals, f.pipeline, f.forecast, f.unrated) == (
        2, D(1_400_000), D("500000.00"), 1,
    )  # fmt: skip
    assert (f.won, f.won_amount, f.lost, row.win_rate) == (2, D(2_300_000), 1, D("66.7"))
    # 本
    assert (f.deciders, f.deciders_connected, row.coverage) == (4, 2, D("50.0"))
    # 势
    assert (f.presales_days, f.presales_cost, f.won_cost, row.presales_return) == (
        D(5), D(50_000), D(60_000), D("38.33"),
    )  # fmt: skip
    # 律
    assert (f.rules_fired, f.rules_overridden) == (1, 1)
    # 三作用
    core = row.core
    assert (
        core.closeness_change,
        core.accounts_measured,
        core.decider_coverage,
        core.solution_ahead,
        core.incubated_count,
        core.incubated_amount,
    ) == (D("2.5"), 2, D("66.7"), D("50.0"), 2, D("3000000.00"))
    # 三利用
    uses = {k: (u.share_of_won, u.win_rate_using, u.win_rate_without, u.lift)
            for k, u in row.uses.items()}  # fmt: skip
    assert uses == {
        "connections": (D("50.0"), D("100.0"), D("50.0"), D("50.0")),
        "solution": (D("50.0"), D("50.0"), D("100.0"), D("-50.0")),
        "rules": (D("100.0"), D("100.0"), D("0.0"), D("100.0")),
    }
    # collections: payments up to the end of the period
    assert (f.contracted, f.collected, row.collection_rate) == (
        D(2_000_000), D(600_000), D("30.0"),
    )  # fmt: skip
    # radar: 道 1 of 2 classified declined; 势 capped at 100; 律 2 of 3 recorded kept the rules
    assert row.radar.as_list() == [D("50.0"), D("66.7"), D("50.0"), D(100), D("66.7")]


def test_team_total_adds_the_reps_and_leaves_other_teams_out(data):
    card = _card(data.manager)
    assert [row.user.username for row in card.rows] == ["manager", "peer", "rep"]
    total = card.total
    assert (total.facts.won, total.facts.won_amount, total.facts.lost, total.win_rate) == (
        3, D(3_300_000), 1, D("75.0"),
    )  # fmt: skip
    # the peer's won deal has no recorded uses: 律 still reads the three recorded closes
    assert total.radar.law == D("66.7")
    assert [(r.resource.user, r.days, r.cost, r.won_amount, r.presales_return, r.utilisation)
            for r in card.resources] == [
        (data.presales, D(4), D(40_000), D(2_000_000), D("50.00"), D("3.1")),
    ]  # fmt: skip


def test_recorded_uses_at_close(org):
    # given a fast-track deal with a positive approver and decision maker reached by a connection
    account = make_account(org.rep, name="快单客户")
    deal = make_opportunity(org.rep, account, 300_000)
    approver = make_contact(account, name="批")
    maker = make_contact(account, name="决")
    for contact, role in ((approver, "approver"), (maker, "decision_maker")):
        participant_add(user=org.rep, opportunity=deal, contact=contact, decision_role=role,
                        relationship_status="positive")  # fmt: skip
    connection_create(user=org.rep, employee=org.rep, contact=maker, how="classmate")
    # when it is won through the stage service
    from wuwei.opportunities.services import opportunity_move_stage

    opportunity_move_stage(user=org.rep, opportunity=deal, to="negotiation")
    opportunity_move_stage(user=org.rep, opportunity=deal, to="won")
    # then the uses are recorded once, as they stood at the close
    record = DealUse.objects.get(opportunity=deal)
    assert (record.outcome, record.connections_used, record.solution_used) == ("won", True, False)
    assert record.closed_on == timezone.localdate()
    services.deal_uses_record(opportunity=deal, outcome="lost", closed_on=date(2020, 1, 1))
    assert DealUse.objects.get(opportunity=deal).outcome == "won"


def test_a_whole_company_counts_over_every_record_and_keeps_the_reps_rows(data):
    """An executive's reach at the top team reads every visible record (no thousand owner ids
    in each query) and keeps the reps' counts: the same scorecard as naming the reps, the
    records of someone outside the reps left out."""
    # given a won deal and a KA account of someone who left (inactive: no rep any more)
    gone = make_user("gone", team=data.east_ka)
    account = make_account(gone, name="离职客户", segment="KA")
    _deal(gone, account, 7_000_000, stage="won", closed=date(2025, 3, 1))
    ClosenessSnapshot.objects.create(account=account, value=D("90.0"), recorded_on=date(2025, 1, 1))
    gone.is_active = False
    gone.save()
    reach = scorecard_reach(user=data.executive, team_id=None)
    assert reach.team == data.company and reach.everyone and gone not in reach.reps
    # when it is computed over every record, and over the reps' own
    broad = scorecard(user=data.executive, reps=reach.reps, period=PERIOD, everyone=True)
    named = scorecard(user=data.executive, reps=reach.reps, period=PERIOD)
    # then
    assert broad == named
    assert (broad.total.facts.won, broad.total.facts.ka_accounts) == (4, 3)
    assert [row.user.username for row in broad.rows if row.facts.won] == [
        "north_rep",
        "peer",
        "rep",
    ]
    # a sub-team or a manager's subtree names its reps
    assert not scorecard_reach(user=data.executive, team_id=data.east.pk).everyone
    assert not scorecard_reach(user=data.manager, team_id=None).everyone


# ----------------------------------------------------------------------------------------
# visibility


def test_rep_reads_only_their_own_row(data, api):
    body = api(data.rep).get("/scorecard", {"from": "2025-01-01", "to": "2025-06-30"}).json()
    assert [row["rep"] for row in body["rows"]] == [data.rep.pk]
    assert body["total"]["won"] == 2
    # the rep cannot ask for their team's other rows through the records page either
    assert api(data.rep).get("/scorecard", {"team": data.east.pk}).status_code == 404


def test_manager_reads_the_subtree_and_outsiders_get_404(data, api, web):
    assert api(data.manager_above).get("/scorecard", {"team": data.east_ka.pk}).status_code == 200
    assert api(data.other_manager).get("/scorecard", {"team": data.east_ka.pk}).status_code == 404
    assert api(data.partner).get("/scorecard").status_code == 404
    north_rep = data.ids["north_rep"]
    assert api(north_rep).get("/scorecard", {"team": data.east_ka.pk}).status_code == 404
    assert web(data.partner).get("/scorecard/").status_code == 404
    assert web(north_rep).get(f"/scorecard/?team={data.east_ka.pk}").status_code == 404
    records = f"/scorecard/records/?kpi=won&team={data.east_ka.pk}"
    assert web(north_rep).get(records).status_code == 404
    assert web(data.partner).get("/scorecard/records/?kpi=won").status_code == 404
    # a rep outside the team's reach is not found either
    outside = f"/scorecard/records/?kpi=won&rep={north_rep.pk}"
    assert web(data.manager).get(outside).status_code == 404
    assert web(data.manager).get("/scorecard/records/?kpi=nonsense").status_code == 404


def test_api_numbers(data, api):
    response = api(data.manager).get("/scorecard", {"from": "2025-01-01", "to": "2025-06-30"})
    assert response.status_code == 200, response.json()
    body = response.json()
    rep = next(row for row in body["rows"] if row["rep"] == data.rep.pk)
    assert (rep["forecast"], rep["win_rate"], rep["collection_rate"], rep["radar"]) == (
        "500000.00", "66.7", "30.0", ["50.0", "66.7", "50.0", "100.0", "66.7"],
    )  # fmt: skip
    assert rep["uses"]["connections"]["lift"] == "50.0"
    assert body["resources"][0]["presales_return"] == "50.00"
    for period in (
        {"from": "2025-07-01", "to": "2025-01-01"},
        {"from": "0001-01-01"},
        {"to": "9999-12-31"},
    ):
        assert api(data.manager).get("/scorecard", period).status_code == 422, period


# ----------------------------------------------------------------------------------------
# the records behind each KPI


@pytest.mark.parametrize(
    ("kpi", "expected"),
    [
        ("won", ["won1", "won2"]),
        ("lost", ["lost"]),
        ("open", ["open1", "open2"]),
        ("unrated", ["open2"]),
        ("incubated", ["won1", "open1"]),
        ("connected", ["open1", "open2"]),
        ("ka_positive", ["open1", "lost"]),
        ("connections_used", ["won1"]),
        ("solution_used", ["won1", "lost"]),
        ("rules_used", ["won1", "won2"]),
        ("presales", ["won1", "open1"]),
        ("rules_fired", ["open1"]),
        ("rules_overridden", ["lost"]),
        ("collections", ["won1"]),
        ("improved", ["ka1"]),
        ("declined", ["ka2"]),
        ("ka_ahead", ["ka2"]),
    ],
)
def test_each_kpi_lists_the_records_it_counted(data, web, kpi, expected):
    response = web(data.manager).get(
        "/scorecard/records/", {**QUERY, "kpi": kpi, "rep": data.rep.pk}
    )
    assert response.status_code == 200
    key = "account" if kpi in ("improved", "declined", "ka_ahead") else "deal"
    shown = [record.pk for record in response.context["records"]]
    assert shown == [data.ids[name] for name in expected], kpi
    assert f'data-{key}="{data.ids[expected[0]]}"' in response.content.decode()


# ----------------------------------------------------------------------------------------
# page, export, query counts


def _page_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_page_and_api_query_counts_do_not_grow_with_rows(data, web, api):
    client = web(data.manager)
    page = f"/scorecard/?date_from=2025-01-01&date_to=2025-06-30&team={data.east_ka.pk}"
    drill = "/scorecard/records/?date_from=2025-01-01&date_to=2025-06-30&kpi=won"
    before = (_page_queries(client, page), _page_queries(client, drill))
    with CaptureQueriesContext(connection) as queries:
        api(data.manager).get("/scorecard", {"from": "2025-01-01", "to": "2025-06-30"})
    api_before = len(queries)
    # more reps, accounts and deals of every kind
    for n in range(3):
        extra = make_user(f"extra{n}", team=data.east_ka)
        account = make_account(extra, name=f"加{n}", segment="KA")
        _grading(account, "B", date(2025, 2, 1), extra)
        _deal(extra, account, 100_000, stage="won", closed=date(2025, 3, 1))
        _deal(extra, account, 200_000)
    assert (_page_queries(client, page), _page_queries(client, drill)) == before
    with CaptureQueriesContext(connection) as queries:
        api(data.manager).get("/scorecard", {"from": "2025-01-01", "to": "2025-06-30"})
    assert len(queries) == api_before


def test_page_shows_the_radar_data_and_links_each_kpi(data, web):
    response = web(data.manager).get("/scorecard/", QUERY)
    html = response.content.decode()
    assert 'id="scorecard-chart-data"' in html and "<script>" not in html
    chart = response.context["chart"]
    assert chart["series"][0]["values"] == [50.0, 75.0, 50.0, 100.0, 66.7]
    assert f"rep={data.rep.pk}&amp;kpi=won" in html


def test_a_period_out_of_range_is_refused_on_the_page(data, web):
    client = web(data.manager)
    page = client.get("/scorecard/", {"date_from": "2025-01-01", "date_to": "9999-12-31"})
    assert page.status_code == 200 and page.context["card"] is None
    assert "alert-danger" in page.content.decode()
    records = {"date_from": "0001-01-01", "date_to": "2025-01-01", "kpi": "won"}
    assert client.get("/scorecard/records/", records).status_code == 404


def test_empty_period_says_no_data(data, web):
    response = web(data.rep).get(
        "/scorecard/", {"date_from": "2019-01-01", "date_to": "2019-02-01"}
    )
    # open deals are counted whatever the period: the rep has two
    assert 'data-testid="no-data"' not in response.content.decode()
    newcomer = make_user("newcomer", team=data.north_ka)
    empty = web(newcomer).get("/scorecard/", QUERY).content.decode()
    assert 'data-testid="no-data"' in empty and "scorecard-chart-data" not in empty


def test_export_csv_and_xlsx_neutralise_formulas(data, web):
    data.rep.display_name = "=HYPERLINK(1)"
    data.rep.save()
    response = web(data.manager).get("/scorecard/export/", {**QUERY, "format": "csv"})
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = [line[0] for line in lines[1:]]
    assert "'=HYPERLINK(1)" in names and len(lines) == 5  # header, 3 reps, total
    xlsx = web(data.manager).get("/scorecard/export/", {**QUERY, "format": "xlsx"})
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert "'=HYPERLINK(1)" in [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert web(data.partner).get("/scorecard/export/").status_code == 404


def test_summary_for_the_home_page(data, rf):
    from django.template.loader import render_to_string

    from wuwei.insights.scorecard.summary import scorecard_summary

    summary = scorecard_summary(data.manager)
    # this year's numbers: the fixed data set lies in 2025, only the open deals count now
    assert summary is not None and summary.reach.team == data.east_ka
    assert summary.total.facts.open_deals == 2
    with translation.override("en"):
        assert [label for label, _value in summary.axes] == [
            "Way (accounts)",
            "Craft (deals)",
            "Root (connections)",
            "Momentum (presales)",
            "Law (rules)",
        ]
    html = render_to_string("insights/_scorecard_brief.html", {"summary": summary})
    assert f"/scorecard/records/?team={data.east_ka.pk}&amp;" in html and "kpi=won" in html
    assert scorecard_summary(data.partner) is None


# ----------------------------------------------------------------------------------------
# many reps: the sub-teams first, a team's rows on demand


def _lines(response):
    return [(row, team) for row, _q, team, _opens in response.context["lines"]]


def test_many_reps_show_the_sub_teams_whose_rows_open_on_demand(data, web, monkeypatch):
    from wuwei.insights.scorecard import views

    monkeypatch.setattr(views, "REP_ROWS", 3)
    data.east.name = "<b>东区</b>"
    data.east.save()
    client = web(data.executive)
    page = client.get("/scorecard/", {**QUERY, "team": data.company.pk})
    lines = _lines(page)
    # nine reps: East and North KA summed, then the company's own people
    assert [team for _row, team in lines if team] == [data.east, data.north_ka]
    direct = {row.user for row, team in lines if team is None}
    assert direct == {data.executive, data.admin, data.presales}
    east = next(row for row, team in lines if team == data.east)
    assert (east.facts.won, east.facts.lost, east.facts.open_deals) == (3, 1, 2)
    html = page.content.decode()
    assert "<b>东区</b>" not in html and "&lt;b&gt;东区&lt;/b&gt;" in html
    assert f"/scorecard/records/?team={data.east.pk}&amp;date_from=2025-01-01" in html
    assert f'hx-get="/scorecard/rows/?team={data.east.pk}&amp;' in html
    # East has four reps: East KA again as a team, its manager's own row
    opened = client.get("/scorecard/rows/", {**QUERY, "team": data.east.pk})
    assert opened.status_code == 200
    assert [(row.user, team) for row, team in _lines(opened)] == [
        (None, data.east_ka), (data.manager_above, None),
    ]  # fmt: skip
    # East KA's three reps, each linked to the records of its KPIs
    opened = client.get("/scorecard/rows/", {**QUERY, "team": data.east_ka.pk})
    reps = [row.user for row, _team in _lines(opened)]
    assert reps == [data.manager, data.peer_rep, data.rep]
    html = opened.content.decode()
    assert html.lstrip().startswith("<tr") and f'data-rep="{data.rep.pk}"' in html
    query = f"team={data.east_ka.pk}&amp;date_from=2025-01-01&amp;date_to=2025-06-30"
    assert f"{query}&amp;rep=" in html


def test_team_lines_from_the_facts_equal_those_from_the_reps_rows(data):
    """Beyond the rep limit the page reads no row per rep: its team lines, summed from the
    reps' facts, are the lines summed from every rep's row."""
    from wuwei.insights.scorecard.selectors import scorecard_lines

    period = Period(date(2025, 1, 1), date(2025, 6, 30))
    reach = scorecard_reach(user=data.executive, team_id=data.company.pk)
    full = scorecard(user=data.executive, reps=reach.reps, period=period)
    lean = scorecard(user=data.executive, reps=reach.reps, period=period, rows=False)
    assert lean.rows == [] and lean.total == full.total
    expected = scorecard_lines(full, reach.team, 3)
    got = scorecard_lines(lean, reach.team, 3, reach.reps)
    assert [line.team for line in got] == [line.team for line in expected]
    assert [line.row for line in got] == [line.row for line in expected]
    assert any(line.team is not None and line.row.facts.won for line in got)
    # within the limit every rep's own line, from its facts alike
    few = scorecard_lines(lean, reach.team, 100, reach.reps)
    assert [line.row for line in few] == full.rows


def test_team_rows_are_not_found_outside_the_reach(data, web):
    rows = {**QUERY, "team": data.east_ka.pk}
    assert web(data.manager_above).get("/scorecard/rows/", rows).status_code == 200
    assert web(data.partner).get("/scorecard/rows/", rows).status_code == 404
    assert web(data.other_manager).get("/scorecard/rows/", rows).status_code == 404
    assert web(data.ids["north_rep"]).get("/scorecard/rows/", rows).status_code == 404
    bad = {"date_from": "0001-01-01", "date_to": "2025-01-01", "team": data.east_ka.pk}
    assert web(data.manager_above).get("/scorecard/rows/", bad).status_code == 404


def test_team_lines_query_counts_do_not_grow_with_rows(data, web, monkeypatch):
    from wuwei.insights.scorecard import views

    monkeypatch.setattr(views, "REP_ROWS", 3)
    client = web(data.executive)
    page = f"/scorecard/?date_from=2025-01-01&date_to=2025-06-30&team={data.company.pk}"
    rows = f"/scorecard/rows/?date_from=2025-01-01&date_to=2025-06-30&team={data.east.pk}"
    before = (_page_queries(client, page), _page_queries(client, rows))
    for n in range(3):
        extra = make_user(f"more{n}", team=data.east_ka)
        account = make_account(extra, name=f"多{n}", segment="KA")
        _deal(extra, account, 100_000, stage="won", closed=date(2025, 3, 1))
        _deal(extra, account, 200_000)
    assert (_page_queries(client, page), _page_queries(client, rows)) == before


def test_the_home_brief_reads_the_total_alone(data):
    reach = scorecard_reach(user=data.manager, team_id=None)
    whole = scorecard(user=data.manager, reps=reach.reps, period=PERIOD)
    brief = scorecard(
        user=data.manager, reps=reach.reps, period=PERIOD, rows=False, resources=False
    )
    assert brief.rows == [] and brief.resources == [] and whole.resources
    assert brief.total.facts == whole.total.facts and brief.total.radar == whole.total.radar
