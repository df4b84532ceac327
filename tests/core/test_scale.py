"""`wuwei demo --scale N`: a consistent, seeded bulk data set the app works on (issue #17)."""

import hashlib
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.test import Client

from wuwei import scale
from wuwei.accounts.models import Account
from wuwei.core.visibility import visible
from wuwei.opportunities.models import (
    OPEN_STAGES,
    CompellingEvent,
    Opportunity,
    OpportunityMember,
    Questionnaire,
    StageHistory,
    WinRateSnapshot,
    mark_advanced,
)
from wuwei.org.models import Team, User
from wuwei.people.models import Activity, Contact

N = 300


@pytest.fixture
def scaled(db: Any) -> None:
    out = io.StringIO()
    call_command("demo", scale=N, seed=7, stdout=out)
    assert "Scale data ready: 300 opportunities" in out.getvalue()


def test_counts_are_in_proportion(scaled: None) -> None:
    plan = scale.plan(N)
    assert Opportunity.objects.count() == N
    assert Account.objects.count() >= plan.accounts * 0.8
    assert Activity.objects.count() == 5 * N
    assert Contact.objects.count() >= N
    snapshots = WinRateSnapshot.objects.count()
    assert 2 * N <= snapshots <= 4 * N
    # One deal-history row at least per deal; a huge account with 300+ contacts.
    assert StageHistory.objects.values("opportunity").distinct().count() == N
    biggest = Account.objects.annotate(n=Count("contacts")).order_by("-n").first()
    assert biggest is not None and biggest.n >= scale.HUGE_CONTACTS
    # Most deals are small, a few large; stages skew early.
    assert Opportunity.objects.filter(grade="D").count() > N / 2
    early = Opportunity.objects.filter(stage__in=OPEN_STAGES[:3]).count()
    late = Opportunity.objects.filter(stage__in=OPEN_STAGES[4:]).count()
    assert early > 2 * late


def test_rows_are_consistent_for_the_app(scaled: None) -> None:
    # Visibility columns: a deal's team is its owner's team; team paths follow parents.
    assert not Opportunity.objects.exclude(team_id=F("owner__team_id")).exists()
    assert not Account.objects.exclude(team_id=F("owner__team_id")).exists()
    for team in Team.objects.select_related("parent"):
        expected = f"{team.parent.path if team.parent else '/'}{team.pk}/"
        assert team.path == expected
    # Win rates per METHOD.md §4.6: rated ⇔ a confirmed compelling event and a questionnaire
    # giving that rate; the last snapshot of an open rated deal is its current rate.
    rated = Opportunity.objects.filter(win_rate__isnull=False)
    assert rated.exists()
    confirmed = CompellingEvent.objects.filter(is_confirmed=True).values("opportunity")
    assert not rated.exclude(pk__in=confirmed).exists()
    for deal in rated[:20]:
        questionnaire = Questionnaire.objects.filter(opportunity=deal).latest("answered_at")
        assert questionnaire.win_rate == deal.win_rate
        assert WinRateSnapshot.objects.filter(opportunity=deal).latest("week").win_rate == (
            deal.win_rate
        )
    assert not Opportunity.objects.filter(stage__in=["won", "lost"], closed_on=None).exists()
    # Stage conversion (§8): the generated "went on to a later stage" flags are the ones the
    # stays themselves give.
    flags = dict(StageHistory.objects.values_list("pk", "advanced"))
    assert any(flags.values())
    mark_advanced()
    assert dict(StageHistory.objects.values_list("pk", "advanced")) == flags
    # Sequences moved past the explicit ids: the app can add rows.
    deal = Opportunity.objects.first()
    assert deal is not None
    new = Opportunity.objects.create(
        account=deal.account, owner=deal.owner, team=deal.team, name="after the load"
    )
    assert new.pk > Opportunity.objects.exclude(pk=new.pk).order_by("-pk").first().pk  # type: ignore[union-attr]


def test_a_sparse_rep_sees_their_deals_and_pages_answer(scaled: None) -> None:
    sparse = User.objects.get(username="scale_rep_1")
    owned = Opportunity.objects.filter(owner=sparse).count()
    assert owned == scale.SPARSE_DEALS
    on_team = OpportunityMember.objects.filter(user=sparse).exclude(opportunity__owner=sparse)
    assert visible(Opportunity, sparse).count() == owned + on_team.count()
    manager = User.objects.get(username="scale_mgr_1")
    executive = User.objects.get(username="scale_exec")
    assert visible(Opportunity, executive).count() == N
    team_deals = Opportunity.objects.filter(team=sparse.team).count()
    assert team_deals <= visible(Opportunity, manager).count() < N
    for user in (sparse, manager, executive):
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        for path in ("/api/v1/opportunities", "/opportunities/", "/insights/pipeline/"):
            assert client.get(path).status_code == 200, (user.username, path)


def _digest() -> str:
    rows = [
        *Opportunity.objects.order_by("pk").values_list(
            "name", "amount", "stage", "grade", "win_rate", "owner__username", "account__name"
        ),
        *Contact.objects.order_by("pk").values_list("name", "account__name", "title"),
        *Activity.objects.order_by("pk").values_list("kind", "occurred_on", "opportunity__name"),
        *WinRateSnapshot.objects.order_by("pk").values_list(
            "opportunity__name", "week", "win_rate"
        ),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _generate_digest(seed: int) -> str:
    with transaction.atomic():
        scale.generate(60, seed=seed, defer_indexes=connection.vendor == "postgresql")
        digest = _digest()
        transaction.set_rollback(True)
    return digest


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_rows() -> None:
    first = _generate_digest(3)
    assert _generate_digest(3) == first
    assert _generate_digest(4) != first
    assert not Opportunity.objects.filter(Q(name__contains="Deal")).exists()
