"""Demo buying processes (METHOD.md §7.1): a few open big-project deals follow the template
suggested for their customer, with the decision-map contacts mapped to the roles they hold —
procurement and legal left open, as seed 003 says they usually are. Idempotent (a deal that
already follows a template is left alone); built through the real services."""

from wuwei.opportunities.models import OPEN_STAGES, Opportunity
from wuwei.people.models import DecisionParticipant
from wuwei.playbook.buying import selectors, services
from wuwei.playbook.models import BuyingProcessTemplate, BuyingRole, OpportunityBuyingProcess

DEALS = 6
# decision role on the map → the functions of the roles it fills, in order of preference
FILLS = {
    "decision_maker": ("business_owner", "executive"),
    "approver": ("executive", "finance"),
    "evaluator": ("it", "administration", "users"),
    "user": ("users",),
}


def _roles(template: BuyingProcessTemplate) -> list[BuyingRole]:
    return list(
        BuyingRole.objects.filter(
            step__template=template, archived_at__isnull=True, step__archived_at__isnull=True
        ).order_by("step__number", "id")
    )


def load() -> str:
    templates = list(BuyingProcessTemplate.objects.filter(archived_at__isnull=True))
    if not templates:
        return "no buying-process templates"
    deals = (
        Opportunity.objects.filter(
            track="big_project", stage__in=OPEN_STAGES, archived_at__isnull=True
        )
        .exclude(pk__in=OpportunityBuyingProcess.objects.values("opportunity_id"))
        .filter(pk__in=DecisionParticipant.objects.values("opportunity_id"))
        .select_related("account", "owner")
        .order_by("id")[:DEALS]
    )
    followed = 0
    for deal in deals:
        template = selectors.suggested_template(templates, deal.account) or templates[0]
        roles = _roles(template)
        mappings = []
        taken: set[int] = set()
        for participant in DecisionParticipant.objects.filter(opportunity=deal).select_related(
            "contact"
        ):
            for function in FILLS.get(participant.decision_role, ()):
                role = next(
                    (r for r in roles if r.function == function and r.pk not in taken), None
                )
                if role is not None:
                    mappings.append((role, participant.contact))
                    taken.add(role.pk)
                    break
        services.buying_process_set(
            user=deal.owner,
            opportunity=deal,
            template=template,
            mappings=mappings,
            expected_version=None,
        )
        followed += 1
    return f"{followed} deals follow a buying process"
