"""The data the server benchmarks run against, and who plays which role in them.

`build(n)` bulk-loads a seeded organisation of n deals (the shape issue 17 measured: n/10
accounts, n/2 contacts, one account with 300 contacts for the relationship map, a rep who owns
exactly 20 deals). `actors()` finds the executive, the manager and the sparse rep in any Wuwei
database (this one, or `wuwei demo --scale N`), so the runner also works on data it did not
build.

Not a benchmark module itself (`python -m bench` skips it): `bench.server` imports it.
"""

import itertools
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count
from django.utils import timezone

BATCH = 5_000
PASSWORD = "bench-password-1"
MAP_CONTACTS = 300
SPARSE_DEALS = 20
MARKER = "bench-executive"


def built() -> bool:
    from wuwei.org.models import User

    return User.objects.exists()


def _grade(amount: Decimal) -> str:
    return (
        "A"
        if amount >= 5_000_000
        else "B"
        if amount >= 1_000_000
        else "C"
        if amount >= 200_000
        else "D"
    )


def build(n: int, *, seed: int = 17) -> None:
    """Bulk-load the organisation and n deals (services for people and teams, bulk_create
    for the rest: this measures reads and the writes the scenarios make, not loading)."""
    from wuwei.accounts.models import Account
    from wuwei.opportunities.models import OPEN_STAGES, Opportunity, OpportunityMember, Stage
    from wuwei.org.models import Role, TeamKind, User
    from wuwei.org.services import team_create, user_create
    from wuwei.people.models import Contact

    rng = random.Random(seed)
    company = team_create(user=None, name="Bench Co", kind=TeamKind.COMPANY)
    teams = [
        team_create(user=None, name=f"Sales {i}", kind=TeamKind.SALES, parent=company)
        for i in range(4)
    ]

    def user(name: str, roles: list[str], team: Any) -> User:
        return user_create(username=name, password=PASSWORD, roles=roles, team=team, validate=False)

    reps = [user(f"bench-rep{i}", [Role.REP], teams[i % len(teams)]) for i in range(40)]
    sparse = user("bench-sparse-rep", [Role.REP], teams[0])
    user("bench-manager", [Role.MANAGER], teams[0])
    user(MARKER, [Role.EXECUTIVE], company)

    n_accounts = max(20, n // 10)
    accounts = Account.objects.bulk_create(
        (
            Account(
                name=f"Account {i:07d}",
                name_normalized=f"account {i:07d}",
                owner=reps[i % len(reps)],
                team=reps[i % len(reps)].team,
            )
            for i in range(n_accounts - 1)
        ),
        batch_size=BATCH,
    )
    sparse_account = Account.objects.create(
        name="Account sparse", name_normalized="account sparse", owner=sparse, team=sparse.team
    )
    # Contacts: the first account is the 300-contact one; the rest spread evenly.
    n_contacts = max(MAP_CONTACTS + 10, n // 2)
    contacts = [
        Contact(account=accounts[0], name=f"Contact 0-{i}", influence=1 + i % 5)
        for i in range(MAP_CONTACTS)
    ]
    contacts += [
        Contact(
            account=accounts[1 + i % (len(accounts) - 1)],
            name=f"Contact {i}",
            influence=1 + i % 5,
        )
        for i in range(n_contacts - MAP_CONTACTS)
    ]
    created = Contact.objects.bulk_create(contacts, batch_size=BATCH)
    head = created[0]
    Contact.objects.filter(pk__in=[c.pk for c in created[1:MAP_CONTACTS]]).update(reports_to=head)

    stages = [*OPEN_STAGES, *OPEN_STAGES, Stage.WON, Stage.LOST]  # skewed to open deals
    now, today = timezone.now(), date.today()

    def deal(i: int, account: Any, stage: str) -> Any:
        amount = Decimal(rng.choice([50_000, 400_000, 400_000, 2_000_000, 8_000_000]))
        amount += rng.randint(0, 9999)
        grade = _grade(amount)
        return Opportunity(
            account=account,
            name=f"Deal {i}",
            amount=amount,
            owner=account.owner,
            team=account.team,
            stage=stage,
            grade=grade,
            track="big_project" if grade in "AB" else "fast_track",
            expected_close=today + timedelta(days=rng.randint(-200, 400)),
            stage_entered_at=now - timedelta(days=rng.randint(0, 200)),
            win_rate=rng.choice([None, 20, 40, 60, 80]),
        )

    Opportunity.objects.bulk_create(
        deal(i, sparse_account, OPEN_STAGES[i % 3]) for i in range(SPARSE_DEALS)
    )
    for start in range(0, n - SPARSE_DEALS, BATCH):
        rows = [
            deal(i, accounts[rng.randrange(len(accounts))], rng.choice(stages))
            for i in range(start, min(n - SPARSE_DEALS, start + BATCH))
        ]
        made = Opportunity.objects.bulk_create(rows)
        OpportunityMember.objects.bulk_create(
            OpportunityMember(opportunity=o, user=reps[rng.randrange(len(reps))], role="presales")
            for o in made[::10]
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@dataclass
class Actors:
    executive: Any
    manager: Any
    rep: Any  # the rep who owns about 20 deals
    map_account: int  # the account with the most contacts
    rep_account: int  # an account of the rep's, for creates
    deals: dict[str, list[int]]  # per role: open deals it can see (detail, writes)


def actors() -> Actors:
    """Pick the players in whatever Wuwei data is loaded (built here or by `demo --scale`)."""
    from wuwei.accounts.models import Account
    from wuwei.opportunities.models import OPEN_STAGES, Opportunity
    from wuwei.org.models import Role, User
    from wuwei.people.models import Contact

    def with_role(role: str) -> Any:
        return User.objects.filter(is_active=True, role_links__role=role)

    def first(role: str, prefer: str) -> Any:
        return with_role(role).filter(username=prefer).first() or (
            with_role(role)
            .annotate(deals=Count("owned_opportunities"))
            .order_by("-deals", "pk")
            .first()
        )

    executive = first(Role.EXECUTIVE, "bench-executive")
    manager = with_role(Role.MANAGER).filter(username="bench-manager").first()
    if manager is None:
        # the manager of the team with the most deals
        busiest = Opportunity.objects.values("team").annotate(n=Count("pk")).order_by("-n").first()
        team = busiest["team"] if busiest else None
        manager = (
            with_role(Role.MANAGER).filter(team=team).first()
            or with_role(Role.MANAGER).order_by("pk").first()
        )
    rep = User.objects.filter(username="bench-sparse-rep").first()
    if rep is None:
        owned = (
            Opportunity.objects.filter(owner__role_links__role=Role.REP)
            .values("owner")
            .annotate(n=Count("pk"))
            .order_by("n")
        )
        rows = list(owned)
        best = min(rows, key=lambda r: abs(r["n"] - SPARSE_DEALS))
        rep = User.objects.get(pk=best["owner"])
    biggest = Contact.objects.values("account").annotate(n=Count("pk")).order_by("-n").first()
    map_account = biggest["account"] if biggest else 0
    rep_account = (
        Account.objects.filter(owner=rep).order_by("pk").values_list("pk", flat=True).first()
        or Opportunity.objects.filter(owner=rep)
        .order_by("pk")
        .values_list("account_id", flat=True)
        .first()
    )
    deals = {}
    for role, who in (("executive", executive), ("manager", manager), ("rep", rep)):
        mine = Opportunity.objects.filter(stage__in=OPEN_STAGES)
        if role == "rep":
            mine = mine.filter(owner=who)
        elif role == "manager" and who.team_id:
            mine = mine.filter(team=who.team_id)
        deals[role] = list(mine.order_by("pk").values_list("pk", flat=True)[:SPARSE_DEALS])
    return Actors(executive, manager, rep, map_account, rep_account or 0, deals)


def stage_owners(rep: Any, deals: list[int]) -> None:
    """Give each of the rep's deals an accountable owner for its stage and the next one, so
    the stage-move scenario passes the stage-owner gate (§5.3) back and forth."""
    from wuwei.opportunities.models import OPEN_STAGES, Opportunity
    from wuwei.support.models import StageOwner

    following = dict(itertools.pairwise(OPEN_STAGES))
    following[OPEN_STAGES[-1]] = OPEN_STAGES[-2]
    for deal in Opportunity.objects.filter(pk__in=deals, stage__in=OPEN_STAGES):
        for stage in (deal.stage, following[deal.stage]):
            if not StageOwner.objects.filter(
                opportunity=deal, stage=stage, left_at__isnull=True
            ).exists():
                StageOwner.objects.create(
                    opportunity=deal, stage=stage, owner=rep, assigned_by=rep, reason="bench"
                )
