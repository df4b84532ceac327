"""Opportunity writes. The TAS+ lifecycle issue owns the rules (stage moves, routing…)."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from wuwei.core import services as core_services
from wuwei.core.config import method_config
from wuwei.core.errors import NotAllowed
from wuwei.methodology.grading import grade_opportunity, track_for_grade
from wuwei.opportunities.models import Opportunity
from wuwei.org.models import Role, User

CREATOR_ROLES = {Role.REP, Role.MANAGER, Role.EXECUTIVE, Role.ADMIN, Role.PARTNER_USER}


@transaction.atomic
def opportunity_create(
    *,
    user: User,
    account: Any,
    name: str,
    amount: Decimal = Decimal(0),
    owner: User | None = None,
    **fields: Any,
) -> Opportunity:
    if not (user.is_superuser or user.role_slugs & CREATOR_ROLES):
        raise NotAllowed(_("Your role cannot create opportunities."))
    owner = owner or user
    opportunity = Opportunity(
        account=account, name=name.strip(), amount=amount, owner=owner, **fields
    )
    if opportunity.team_id is None and owner.team_id:
        opportunity.team = owner.team
    grade = grade_opportunity(Decimal(amount), method_config().opportunity_grade)
    is_partner_led = opportunity.partner_id is not None
    opportunity.grade = "E" if is_partner_led else str(grade)
    opportunity.track = str(track_for_grade(grade, is_partner_led=is_partner_led))
    return core_services.save_new(opportunity, user=user)
