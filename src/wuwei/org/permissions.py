"""Who may do what: the one permission policy (issue #12).

`Action` names everything a role unlocks; `POLICY` says, as data, which roles may do it;
`may()` answers for a user (services, views, API and templates alike — the template filter
is `{% load permissions %}{{ user|may:"deal.write" }}`), `require()` refuses with the same
`NotAllowed` (403) the services always raised. A superuser may do everything. The playbook
page shows `POLICY` read-only as a role × action matrix (`matrix()`).

What a user may *see* is not decided here but by the visibility rules (core.visibility);
where a rule needs a role (presales see the deals they support) it asks `roles_may()`, the
same table without the superuser shortcut.
"""

from collections.abc import Mapping, Set
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wuwei.core.errors import NotAllowed
from wuwei.org.models import Role


class Action(models.TextChoices):
    # accounts, contacts and connections (道, 本)
    ACCOUNT_WRITE = "account.write", _("Create and change accounts")
    CONTACT_WRITE = "contact.write", _("Create and change contacts and activities")
    CONNECTION_FOR_OTHERS = "connection.for_others", _("Record colleagues' connections")
    CONFLICT_DECIDE = "conflict.decide", _("Decide conflicts")
    TACTICS_LIBRARY = "tactics.library", _("Edit the tactics libraries")
    # deals (术)
    DEAL_WRITE = "deal.write", _("Create and change deals")
    DEAL_QUESTIONNAIRE = "deal.questionnaire", _("Answer the win-rate questionnaire")
    DEAL_COMPETITOR_PRICE = "deal.competitor_price", _("Record competitor prices")
    REGISTRATION_INTERNAL = "registration.internal", _("Register deals for a partner")
    COMPETITOR_WRITE = "competitor.write", _("Change competitor intelligence")
    # support (势)
    SUPPORT_REQUEST = "support.request", _("Request presales resources")
    SUPPORT_APPROVE = "support.approve", _("Approve presales over the budget")
    SUPPORT_POOL_ADMIN = "support.pool_admin", _("Manage the resource pool")
    SUPPORT_POOL_MEMBER = "support.pool_member", _("Join the resource pool")
    SUPPORT_WORK = "support.work", _("Work on the deals they support")
    SUPPORT_QUEUE_SEE = "support.queue_see", _("See their unit's presales queue")
    SUPPORT_QUEUE_LEAD = "support.queue_lead", _("Lead a presales queue")
    SUPPORT_HOTLINE_LEAD = "support.hotline_lead", _("Lead the hotline queue")
    SUPPORT_LEDGER_CORRECT = "support.ledger_correct", _("Correct the presales ledger")
    SUPPORT_STAGE_REASSIGN = "support.stage_reassign", _("Reassign any stage owner")
    SUPPORT_SCORE_PROMPT = "support.score_prompt", _("Asked for stage-exit scores")
    SUPPORT_PERFORMANCE_TEAM = "support.performance_team", _("Read their team's performance")
    # coaching, insights, data
    COACHING_AREA = "coaching.area", _("Open the coaching area")
    FORECAST_HOME = "forecast.home", _("See the team forecast on the home page")
    DATA_IMPORT = "data.import", _("Import data")
    # the method and the organisation (律)
    METHOD_CONFIGURE = "method.configure", _("Change the method configuration")
    PLAYBOOK_EDIT = "playbook.edit", _("Edit project rules and buying-process templates")
    RECORD_RESTORE = "record.restore", _("Restore archived records")
    ORG_MANAGE = "org.manage", _("Change the organisation")
    ORG_HANDOVER = "org.handover", _("Hand over a colleague's work")
    AUDIT_READ = "audit.read", _("Read the audit trail and every handover")
    JOBS_ALL = "jobs.all", _("See everyone's background jobs")
    TWOFACTOR_REQUIRED = "twofactor.required", _("Must sign in with a second factor")


R, M, P, D, E, A, U = (
    Role.REP,
    Role.MANAGER,
    Role.PRESALES,
    Role.DELIVERY_LEAD,
    Role.EXECUTIVE,
    Role.ADMIN,
    Role.PARTNER_USER,
)

#: The policy: which roles may do each action. A superuser may do everything.
POLICY: Mapping[Action, frozenset[Role]] = {
    Action.ACCOUNT_WRITE: frozenset({R, M, E, A}),
    Action.CONTACT_WRITE: frozenset({R, M, P, E, A}),
    Action.CONNECTION_FOR_OTHERS: frozenset({M, E, A}),
    Action.CONFLICT_DECIDE: frozenset({M, E, A}),
    Action.TACTICS_LIBRARY: frozenset({M, E, A}),
    Action.DEAL_WRITE: frozenset({R, M, E, A, U}),
    Action.DEAL_QUESTIONNAIRE: frozenset({R, M, E, A}),
    Action.DEAL_COMPETITOR_PRICE: frozenset({R, M, E, A}),
    Action.REGISTRATION_INTERNAL: frozenset({R, M, E, A}),
    Action.COMPETITOR_WRITE: frozenset({R, M, P, E, A}),
    Action.SUPPORT_REQUEST: frozenset({R, M, P, D, E, A}),
    Action.SUPPORT_APPROVE: frozenset({M, E, A}),
    Action.SUPPORT_POOL_ADMIN: frozenset({D, A}),
    Action.SUPPORT_POOL_MEMBER: frozenset({P, D}),
    Action.SUPPORT_WORK: frozenset({P, D}),
    Action.SUPPORT_QUEUE_SEE: frozenset({D}),
    Action.SUPPORT_QUEUE_LEAD: frozenset({M, D, E, A}),
    Action.SUPPORT_HOTLINE_LEAD: frozenset({D, E, A}),
    Action.SUPPORT_LEDGER_CORRECT: frozenset({M, D, E, A}),
    Action.SUPPORT_STAGE_REASSIGN: frozenset({M, E, A}),
    Action.SUPPORT_SCORE_PROMPT: frozenset({P}),
    Action.SUPPORT_PERFORMANCE_TEAM: frozenset({M, D, E, A}),
    Action.COACHING_AREA: frozenset({M, E, A}),
    Action.FORECAST_HOME: frozenset({M, E, A}),
    Action.DATA_IMPORT: frozenset({R, M, A}),
    Action.METHOD_CONFIGURE: frozenset({A}),
    Action.PLAYBOOK_EDIT: frozenset({A}),
    Action.RECORD_RESTORE: frozenset({A}),
    Action.ORG_MANAGE: frozenset({A}),
    Action.ORG_HANDOVER: frozenset({M, A}),
    Action.AUDIT_READ: frozenset({A}),
    Action.JOBS_ALL: frozenset({A}),
    Action.TWOFACTOR_REQUIRED: frozenset({M, E, A}),
}

#: Not a permission but a grouping the pages need, kept with the table so that every set of
#: roles lives here: who counts as a sales person in owner pickers (reps and their managers).
SALES_ROLES: tuple[Role, ...] = (R, M)

#: What `require()` says when it refuses (the messages the services have always used).
REFUSALS: Mapping[Action, Promise] = {
    Action.ACCOUNT_WRITE: _("Your role cannot create or change accounts."),
    Action.CONTACT_WRITE: _("Your role cannot create or change contacts."),
    Action.CONNECTION_FOR_OTHERS: _("You can only record your own connections."),
    Action.CONFLICT_DECIDE: _("Only a manager other than the one who raised it can decide."),
    Action.TACTICS_LIBRARY: _("Only managers and administrators edit the tactics library."),
    Action.DEAL_WRITE: _("Your role cannot create or change opportunities."),
    Action.DEAL_QUESTIONNAIRE: _("Your role cannot answer the questionnaire."),
    Action.DEAL_COMPETITOR_PRICE: _("Your role cannot record competitor prices."),
    Action.REGISTRATION_INTERNAL: _("Your role cannot register deals."),
    Action.COMPETITOR_WRITE: _("Your role cannot change competitor intelligence."),
    Action.SUPPORT_REQUEST: _("Your role cannot request presales resources."),
    Action.SUPPORT_APPROVE: _("Only a manager can approve presales over the budget."),
    Action.SUPPORT_POOL_ADMIN: _(
        "Only delivery leads and administrators manage the resource pool."
    ),
    Action.SUPPORT_LEDGER_CORRECT: _("Only a manager or a delivery lead corrects the ledger."),
    Action.SUPPORT_STAGE_REASSIGN: _("Only the deal owner or a manager can reassign a stage."),
    Action.METHOD_CONFIGURE: _("Only administrators can change the method configuration."),
    Action.RECORD_RESTORE: _("Only administrators can restore archived records."),
    Action.ORG_MANAGE: _("Only administrators can change the organisation."),
}
DEFAULT_REFUSAL = _("Your role does not allow this action.")


def roles_may(roles: Set[str], action: Action | str) -> bool:
    """Whether one of `roles` unlocks `action` (the table alone, no superuser shortcut): for
    visibility rules that see a `Scope`, and for rules about another person's roles."""
    return any(role in roles for role in POLICY[Action(action)])


def _object_allows(user: Any, action: Action, obj: Any) -> bool:
    """The few actions whose answer also depends on the object (`obj` given)."""
    if action == Action.CONFLICT_DECIDE:
        # never the person who raised it, unless they see everything
        return bool(user.sees_everything or obj.raised_by_id != user.pk)
    if action == Action.ORG_HANDOVER:
        # obj is the colleague handed over: administrators any, managers their subtree
        if may(user, Action.ORG_MANAGE):
            return True
        if user.team is None or obj.team is None:
            return False
        return bool(obj.team.path.startswith(user.team.path))
    return True


def may(user: Any, action: Action | str, obj: Any = None) -> bool:
    """Whether `user` may do `action` (to `obj`, for the actions that look at one)."""
    action = Action(action)
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not (user.is_superuser or roles_may(user.role_slugs, action)):
        return False
    return obj is None or _object_allows(user, action, obj)


def require(user: Any, action: Action | str, obj: Any = None) -> None:
    """Refuse with `NotAllowed` (403) unless `may(user, action, obj)`."""
    action = Action(action)
    if not may(user, action, obj):
        raise NotAllowed(str(REFUSALS.get(action, DEFAULT_REFUSAL)))


@dataclass(frozen=True, slots=True)
class MatrixRow:
    action: Action
    label: str
    allowed: tuple[bool, ...]  # one per `Role`, in `Role` order


def matrix() -> tuple[list[str], list[MatrixRow]]:
    """The policy as a role × action table for the playbook page: role labels, then a row
    per action."""
    roles = list(Role)
    rows = [
        MatrixRow(action, str(action.label), tuple(role in POLICY[action] for role in roles))
        for action in Action
    ]
    return [str(role.label) for role in roles], rows
