"""ESP+ test data, built through the real services."""

from typing import Any

from wuwei.accounts.models import Account, AccountGrading, AccountPlan
from wuwei.accounts.services import account_grade, plan_create
from wuwei.competitors.models import Competitor
from wuwei.core import services as core_services
from wuwei.methodology.grading import AccountScores


def grade(account: Account, scores: tuple[int, int, int, int], by: Any = None) -> AccountGrading:
    return account_grade(user=by or account.owner, account=account, scores=AccountScores(*scores))


def make_plan(account: Account, year: int = 2027, **fields: Any) -> AccountPlan:
    return plan_create(user=fields.pop("by", account.owner), account=account, year=year, **fields)


def make_competitor(name: str) -> Competitor:
    return core_services.save_new(Competitor(name=name), user=None)
