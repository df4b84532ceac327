"""The forecast's rows one level of the team tree at a time (issue #14 item 9): a team's row
sums its subtree and opens in place (`/forecast/rows/`, `GET /forecast?team=`) into its own reps
and its child teams, whose figures add up to it; who may open what; fixed query counts; hostile
names stay text."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_team, make_user
from tests.insights.forecast_data import Q1, _deal, build, money
from wuwei.insights.forecast.selectors import forecast_grid
from wuwei.methodology.forecast import PeriodKind

AS_OF = date(2027, 2, 10)
LAST_WEEK = date(2027, 2, 1)
PAGE_Q1 = {"date_from": "2027-01-01", "date_to": "2027-03-31"}
API_Q1 = {"from": "2027-01-01", "to": "2027-03-31"}


@pytest.fixture
def data(org):
    return build(org, LAST_WEEK)


def _grid(user, **kwargs):
    return forecast_grid(user=user, as_of=AS_OF, date_from=Q1[0], date_to=Q1[1], **kwargs)


def _total(rows):
    """The figures of rows added up, as comparable tuples."""
    keys = ("deals", "pipeline", "weighted", "commit", "best_case", "unrated", "unrated_deals")
    return tuple(sum(getattr(r.figures, k) for r in rows) for k in keys)


def _tuple(figures):
    keys = ("deals", "pipeline", "weighted", "commit", "best_case", "unrated", "unrated_deals")
    return tuple(getattr(figures, k) for k in keys)


def test_the_executive_sees_the_top_teams_each_summing_its_subtree(data):
    org = data.org
    grid = _grid(org.executive)

    [q1] = grid.periods
    assert grid.breakdown_team == org.company.pk
    assert [(t.name, t.subtree, t.figures.weighted, t.reps) for t in q1.teams] == [
        ("East", True, money(1_422_000), []),
        ("North KA", True, money(540_000), []),
    ]
    assert _total(q1.teams) == _tuple(q1.figures)
    # last week's figures add up the same way
    assert sum(t.previous.weighted for t in q1.teams) == q1.previous.weighted


def test_a_teams_children_add_up_to_the_team(data):
    org = data.org
    east_row = next(t for t in _grid(org.executive).periods[0].teams if t.name == "East")

    opened = _grid(org.executive, team=org.east).periods[0]
    assert _tuple(opened.figures) == _tuple(east_row.figures)
    assert opened.previous == east_row.previous
    assert [(t.name, t.subtree) for t in opened.teams] == [("East KA", True)]
    assert _total(opened.teams) == _tuple(east_row.figures)

    leaf = _grid(org.executive, team=org.east_ka).periods[0]
    [own] = leaf.teams
    assert (own.name, own.subtree) == ("East KA", False)
    assert [r.name for r in own.reps] == ["peer", "rep"]
    assert _total(own.reps) == _tuple(own.figures) == _tuple(east_row.figures)


def test_a_teams_own_deals_sit_beside_its_children(data):
    org = data.org
    boss_deal = _deal(
        org.manager_above, data.by_name["commit70"].account, "boss", 50_000, 80, date(2027, 3, 1)
    )

    q1 = _grid(org.manager_above).periods[0]

    assert [(t.name, t.subtree) for t in q1.teams] == [("East", False), ("East KA", True)]
    own = q1.teams[0]
    assert [(r.name, r.figures.deals) for r in own.reps] == [("boss", 1)]
    assert own.figures.pipeline == boss_deal.amount
    assert _total(q1.teams) == _tuple(q1.figures)
    assert q1.figures.weighted == money(1_422_000 + 40_000)


def test_months_split_every_row(data):
    org = data.org
    grid = _grid(org.executive, kind=PeriodKind.MONTH)

    for period in grid.periods:
        assert _total(period.teams) == _tuple(period.figures)
    assert [len(p.teams) for p in grid.periods] == [1, 2, 1]


def test_deals_of_no_team_are_their_own_row_with_reps(data):
    loner = make_user("loner")
    _deal(loner, data.by_name["commit70"].account, "teamless", 10_000, 50, date(2027, 1, 5))

    q1 = _grid(data.org.executive).periods[0]

    last = q1.teams[-1]
    assert (last.team_id, last.subtree, [r.name for r in last.reps]) == (0, False, ["loner"])
    assert _total(q1.teams) == _tuple(q1.figures)


def test_grid_query_count_does_not_grow_with_teams_reps_or_deals(data, django_assert_num_queries):
    org = data.org
    _grid(org.executive)  # the user's roles and team
    with CaptureQueriesContext(connection) as before:
        _grid(org.executive)
    account = data.by_name["commit70"].account
    for n in range(4):
        team = make_team(f"West {n}", parent=org.company)
        child = make_team(f"West {n} KA", parent=team)
        for m in range(3):
            rep = make_user(f"west{n}_{m}", team=child if m else team)
            _deal(rep, account, f"west {n} {m}", 10_000 + m, 30 * m, date(2027, 2, 1))

    with django_assert_num_queries(len(before)):
        grid = _grid(org.executive)
    assert len(grid.periods[0].teams) == 6


# --- the page fragment and the API ----------------------------------------------------------


def _rows(client, team, period="2027-Q1"):
    return client.get("/forecast/rows/", {"team": team.pk, "period": period}, HTTP_HX_REQUEST="1")


def test_page_shows_one_level_and_a_team_opens_in_place(data, web):
    org = data.org
    client = web(org.executive)
    html = client.get("/forecast/", PAGE_Q1).content.decode()
    assert f'data-team="{org.east.pk}"' in html and 'data-testid="open-team"' in html
    assert f'data-rep="{org.rep.pk}"' not in html  # reps wait until their team is opened
    assert f"/forecast/rows/?team={org.east.pk}&amp;period=2027-Q1" in html

    opened = _rows(client, org.east)
    assert opened.status_code == 200
    fragment = opened.content.decode()
    assert "<html" not in fragment and f'data-team="{org.east_ka.pk}"' in fragment
    leaf = _rows(client, org.east_ka).content.decode()
    assert f'data-rep="{org.rep.pk}"' in leaf and f'data-rep="{org.peer_rep.pk}"' in leaf
    assert "1,322,000" in leaf  # the rep's weighted


def test_api_opens_a_team_with_team_param(data, api):
    org = data.org
    top = api(org.executive).get("/forecast", API_Q1).json()
    assert top["breakdown_team"] == org.company.pk
    assert [(t["name"], t["subtree"], t["reps"]) for t in top["periods"][0]["teams"]] == [
        ("East", True, []),
        ("North KA", True, []),
    ]

    east = api(org.executive).get("/forecast", {**API_Q1, "team": org.east.pk}).json()
    assert (east["team"], east["breakdown_team"]) == (org.east.pk, org.east.pk)
    assert east["figures"] == top["periods"][0]["teams"][0]["figures"]
    leaf = api(org.manager).get("/forecast", {**API_Q1, "team": org.east_ka.pk}).json()
    [own] = leaf["periods"][0]["teams"]
    assert own["subtree"] is False and [r["name"] for r in own["reps"]] == ["peer", "rep"]


@pytest.mark.parametrize(
    ("viewer", "team"),
    [
        ("other_manager", "east"),  # another manager's subtree
        ("other_manager", "east_ka"),
        ("manager", "east"),  # above the manager's own team
        ("rep", "east"),
        ("partner", "east_ka"),
        ("partner", "partner_team"),
    ],
)
def test_outsiders_and_partners_get_404(data, web, api, viewer, team):
    user, team = getattr(data.org, viewer), getattr(data.org, team)

    assert _rows(web(user), team).status_code == 404
    assert api(user).get("/forecast", {**API_Q1, "team": team.pk}).status_code == 404
    assert api(user).get("/forecast/unrated", {**API_Q1, "team": team.pk}).status_code == 404


@pytest.mark.parametrize(
    ("viewer", "team"),
    [("manager", "east_ka"), ("manager_above", "east"), ("rep", "east_ka"), ("executive", "east")],
)
def test_own_scope_opens(data, web, viewer, team):
    assert _rows(web(getattr(data.org, viewer)), getattr(data.org, team)).status_code == 200


def test_bad_fragment_requests_are_404(data, web):
    client = web(data.org.executive)
    assert client.get("/forecast/rows/", {"team": "x", "period": "2027-Q1"}).status_code == 404
    assert _rows(client, data.org.east, period="2027-Q9").status_code == 404
    assert client.get("/forecast/rows/", {"team": 2_000_000_000}).status_code == 404


def test_fragment_query_count_does_not_grow(data, web, django_assert_num_queries):
    org = data.org
    client = web(org.executive)
    _rows(client, org.east_ka)
    with CaptureQueriesContext(connection) as before:
        _rows(client, org.east_ka)
    account = data.by_name["commit70"].account
    for n in range(4):
        team = make_team(f"East KA sub {n}", parent=org.east_ka)
        for m in range(3):
            rep = make_user(f"east{n}_{m}", team=team if m else org.east_ka)
            _deal(rep, account, f"east {n} {m}", 10_000, 20 * m, date(2027, 2, 1))

    with django_assert_num_queries(len(before)):
        fragment = _rows(client, org.east_ka).content.decode()
    assert fragment.count('data-testid="open-team"') == 4
    assert fragment.count("data-rep=") == 2 + 4


def test_api_query_count_does_not_grow(data, api, django_assert_num_queries):
    org = data.org
    client = api(org.executive)
    client.get("/forecast", API_Q1)
    with CaptureQueriesContext(connection) as before:
        client.get("/forecast", API_Q1)
    count = len(before)  # read now: the next request empties the connection's query log
    account = data.by_name["commit70"].account
    for n in range(3):
        team = make_team(f"South {n}", parent=org.company)
        _deal(make_user(f"south{n}", team=team), account, f"s{n}", 5_000, 50, date(2027, 3, 3))
    client.get("/forecast", API_Q1)  # new users drop the token's cached user: warm it again

    with django_assert_num_queries(count):
        body = client.get("/forecast", API_Q1).json()
    assert len(body["periods"][0]["teams"]) == 5


def test_hostile_team_and_rep_names_stay_text(data, web):
    org = data.org
    hostile = '<img src=x onerror=alert(1)>"'
    escaped = "&lt;img src=x onerror=alert(1)&gt;&quot;"
    org.east_ka.name = hostile
    org.east_ka.save()
    org.rep.display_name = hostile
    org.rep.save()
    client = web(org.manager_above)

    page = client.get("/forecast/", PAGE_Q1).content.decode()
    fragment = _rows(client, org.east_ka).content.decode()

    assert "<img src=x" not in page and "<img src=x" not in fragment
    assert f"sales reps of {escaped}" in page  # the open button's title
    assert f'data-testid="open-team">▸</button>{escaped}</th>' in page  # the team's row
    assert fragment.count(escaped) == 2  # the team's own row and the rep


def test_sums_are_exact_to_the_cent(org):
    """Amounts with cents survive the regrouping on either database (SQLite's raw sums are
    floats)."""
    account = build(org, LAST_WEEK).by_name["commit70"].account
    for n in range(3):
        deal = _deal(org.rep, account, f"cents {n}", 0, 50, date(2027, 1, 9))
        deal.__class__.objects.filter(pk=deal.pk).update(amount="0.10")

    q1 = _grid(org.manager).periods[0]

    assert q1.figures.pipeline == money(2_500_000) + money("0.30")
    assert q1.figures.weighted == money(1_422_000) + money("0.15")
