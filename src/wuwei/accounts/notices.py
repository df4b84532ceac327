"""Registration and ownership conflicts reach the managers concerned (issue 14): every
manager whose subtree holds the account's owning team or its owner's team — the people who
decide it (§7.3). Never the person who raised it, never a partner."""

from collections.abc import Callable
from functools import partial

from django.urls import reverse
from django.utils.translation import gettext

from wuwei.accounts.models import OwnershipConflict
from wuwei.notifications.recipients import audience, managers_covering
from wuwei.notifications.services import notify
from wuwei.org.models import User

KIND = "account_conflict"


def _title(account: str) -> str:
    return gettext("Conflict to decide on %(account)s") % {"account": account}


def _body(kind: Callable[[], str], summary: str) -> str:
    return f"{kind()}: {summary}"


def conflict_raised(conflict: OwnershipConflict, *, actor: User) -> int:
    account = conflict.account
    paths = [account.team.path if account.team else ""]
    if account.owner is not None and account.owner.team is not None:
        paths.append(account.owner.team.path)
    recipients = audience(managers_covering(paths), actor=actor, record=conflict)
    return notify(
        recipients=recipients,
        kind=KIND,
        title=partial(_title, account.name),
        body=partial(_body, conflict.get_kind_display, conflict.summary),
        url=reverse("accounts:conflict", args=[conflict.pk]),
        key=f"{KIND}:{conflict.pk}",
        opportunity=conflict.opportunity,
    )
