"""The visibility matrix (METHOD.md §1) over accounts and contacts."""

import pytest

from tests.factories import make_account, make_contact
from wuwei.accounts.models import Account
from wuwei.core.errors import NotFound
from wuwei.core.visibility import get_visible, visible
from wuwei.people.models import Contact

# viewer → can see an account owned by `rep` in East KA
MATRIX = [
    ("rep", True),
    ("peer_rep", False),
    ("manager", True),
    ("manager_above", True),
    ("other_manager", False),
    ("executive", True),
    ("admin", True),
    ("partner", False),
    ("presales", False),
]


@pytest.mark.parametrize(("viewer", "sees"), MATRIX)
def test_account_visibility_matrix(org, viewer, sees):
    # given
    account = make_account(org.rep, team=org.east_ka)
    contact = make_contact(account)
    user = getattr(org, viewer)
    # then
    assert (account in visible(Account, user)) is sees
    assert (contact in visible(Contact, user)) is sees
    assert visible(Account, user).filter(pk=account.pk).count() == (1 if sees else 0)


def test_peer_rep_sees_account_once_added_to_coverage_team(org):
    account = make_account(org.rep)
    assert not visible(Account, org.peer_rep).filter(pk=account.pk).exists()
    account.members.add(org.peer_rep)
    assert list(visible(Account, org.peer_rep).filter(pk=account.pk)) == [account]


def test_manager_sees_accounts_owned_by_team_members_even_without_team_field(org):
    account = make_account(org.rep, team=None)
    Account.objects.filter(pk=account.pk).update(team=None)
    assert visible(Account, org.manager).filter(pk=account.pk).exists()
    assert not visible(Account, org.other_manager).filter(pk=account.pk).exists()


def test_partner_user_sees_only_what_they_own(org):
    own = make_account(org.partner, by=org.admin)
    other = make_account(org.rep)
    assert list(visible(Account, org.partner)) == [own]
    assert other not in visible(Account, org.partner)


def test_inactive_or_anonymous_user_sees_nothing(org):
    make_account(org.rep)
    org.rep.is_active = False
    assert visible(Account, org.rep).count() == 0


def test_get_visible_hides_existence(org):
    account = make_account(org.rep)
    with pytest.raises(NotFound):
        get_visible(Account, org.other_manager, pk=account.pk)
    with pytest.raises(NotFound):
        get_visible(Account, org.other_manager, pk=999999)


def test_grants_widen_a_rule_and_are_removable(org):
    from django.db.models import Q

    from wuwei.core import visibility

    account = make_account(org.rep)
    assert not visible(Account, org.presales).filter(pk=account.pk).exists()

    @visibility.grant(Account)
    def presales_sees_everything_named_like_this(scope):
        return Q(name=account.name) if "presales" in scope.roles else None

    try:
        org.presales.__dict__.pop("_wuwei_scope", None)
        assert list(visible(Account, org.presales).filter(pk=account.pk)) == [account]
        assert not visible(Account, org.other_manager).filter(pk=account.pk).exists()
    finally:
        visibility._grants[Account].remove(presales_sees_everything_named_like_this)
