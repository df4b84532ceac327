"""Presales hand-off notifications (issue 14): a request reaches its queue lead, an assignment
the engineer and the deal's rep, a budget overrun the approving managers, their decision the
requester and the rep. One notification per event and person (the event key), never to the
person who acted, a partner, or anyone who cannot see the request."""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext

from wuwei.notifications.recipients import audience, nearest_with_role
from wuwei.notifications.services import notify
from wuwei.org.models import Role, TeamKind, User
from wuwei.support.models import (
    ApprovalStatus,
    Assignment,
    BudgetApproval,
    PresalesRequest,
    Queue,
    StageOwner,
)

KIND_REQUEST = "presales_request"
KIND_ASSIGNMENT = "presales_assignment"
KIND_APPROVAL = "presales_approval"
KIND_DECISION = "presales_decision"


def request_url(request: PresalesRequest) -> str:
    return reverse("support:request", args=[request.pk])


def queue_leads(request: PresalesRequest, *, exclude: tuple[int, ...] = ()) -> list[User]:
    """The lead of the routed queue: the delivery lead of the unit (or the nearest above it),
    else its nearest manager; for the hotline, the HQ presales delivery leads."""
    if request.queue == Queue.HOTLINE:
        return list(
            User.objects.filter(
                is_active=True,
                role_links__role=Role.DELIVERY_LEAD,
                team__kind=TeamKind.HQ_PRESALES,
            )
            .exclude(pk__in=exclude)
            .distinct()
            .order_by("pk")
        )
    if request.unit is None:
        return []
    path = request.unit.path
    return nearest_with_role(path, Role.DELIVERY_LEAD, exclude=exclude) or nearest_with_role(
        path, Role.MANAGER, exclude=exclude
    )


def _request_title(deal: str) -> str:
    return gettext("Presales request for %(deal)s") % {"deal": deal}


def _request_body(deal: str, days: str, queue: Callable[[], str]) -> str:
    return gettext("%(days)s days of presales requested for %(deal)s (%(queue)s).") % {
        "days": days,
        "deal": deal,
        "queue": queue(),
    }


def request_created(request: PresalesRequest, *, actor: User) -> int:
    deal = request.opportunity.name
    recipients = audience(queue_leads(request, exclude=(actor.pk,)), actor=actor, record=request)
    return notify(
        recipients=recipients,
        kind=KIND_REQUEST,
        title=partial(_request_title, deal),
        body=partial(_request_body, deal, str(request.effort_days), request.get_queue_display),
        url=request_url(request),
        key=f"{KIND_REQUEST}:{request.pk}",
        opportunity=request.opportunity,
    )


def _assignment_title(person: str, deal: str) -> str:
    return gettext("%(person)s assigned to %(deal)s") % {"person": person, "deal": deal}


def _assignment_body(person: str, deal: str, days: str, start: str, end: str) -> str:
    return gettext("%(person)s works %(days)s days on %(deal)s from %(start)s to %(end)s.") % {
        "person": person,
        "days": days,
        "deal": deal,
        "start": start,
        "end": end,
    }


def assignment_created(assignment: Assignment, *, actor: User) -> int:
    request = assignment.request
    opportunity = request.opportunity
    person = str(assignment.resource)
    recipients = audience(
        [assignment.resource.user, opportunity.owner], actor=actor, record=assignment
    )
    return notify(
        recipients=recipients,
        kind=KIND_ASSIGNMENT,
        title=partial(_assignment_title, person, opportunity.name),
        body=partial(
            _assignment_body,
            person,
            opportunity.name,
            str(assignment.days),
            assignment.start.isoformat(),
            assignment.end.isoformat(),
        ),
        url=request_url(request),
        key=f"{KIND_ASSIGNMENT}:{assignment.pk}",
        opportunity=opportunity,
    )


def approvers(request: PresalesRequest, *, actor: User) -> list[User]:
    """The nearest managers above the deal's owner other than the requester (who cannot
    approve their own request) and the owner."""
    owner = request.opportunity.owner
    team = request.opportunity.team or owner.team
    if team is None:
        return []
    return nearest_with_role(team.path, Role.MANAGER, exclude=(actor.pk, owner.pk))


def _approval_title(deal: str) -> str:
    return gettext("Approval needed: presales over budget for %(deal)s") % {"deal": deal}


def _approval_body(deal: str, total: str, budget: str) -> str:
    return gettext(
        "Presales cost of %(deal)s would reach %(total)s, over the budget of %(budget)s: "
        "approve or reject the request."
    ) % {"deal": deal, "total": total, "budget": budget}


def approval_needed(approval: BudgetApproval, *, actor: User) -> int:
    request = approval.request
    deal = request.opportunity.name
    recipients = audience(approvers(request, actor=actor), actor=actor, record=request)
    return notify(
        recipients=recipients,
        kind=KIND_APPROVAL,
        title=partial(_approval_title, deal),
        body=partial(_approval_body, deal, str(approval.projected_total), str(approval.budget)),
        url=request_url(request),
        key=f"{KIND_APPROVAL}:{approval.pk}",
        opportunity=request.opportunity,
    )


def _decision_title(approved: bool, deal: str) -> str:
    if approved:
        return gettext("Presales over budget approved for %(deal)s") % {"deal": deal}
    return gettext("Presales over budget rejected for %(deal)s") % {"deal": deal}


def _decision_body(approved: bool, manager: str, comment: str) -> str:
    text = (
        gettext("%(manager)s approved the overrun; the request joins its queue.")
        if approved
        else gettext("%(manager)s rejected the overrun.")
    ) % {"manager": manager}
    return f"{text}\n{comment}" if comment else text


def approval_decided(approval: BudgetApproval, *, actor: User) -> int:
    request = approval.request
    opportunity = request.opportunity
    approved = approval.status == ApprovalStatus.APPROVED
    recipients = audience([request.requested_by, opportunity.owner], actor=actor, record=request)
    return notify(
        recipients=recipients,
        kind=KIND_DECISION,
        title=partial(_decision_title, approved, opportunity.name),
        body=partial(_decision_body, approved, str(actor), approval.comment),
        url=request_url(request),
        key=f"{KIND_DECISION}:{approval.pk}",
        opportunity=opportunity,
    )


KIND_STAGE_SCORES = "stage_scores"


def scores_url(opportunity_id: int) -> str:
    return reverse("support:deal_scores", args=[opportunity_id])


def _scores_title(deal: str, stage: str) -> str:
    return gettext("Score the team: %(deal)s left %(stage)s") % {"deal": deal, "stage": stage}


def _scores_body(count: int) -> str:
    return gettext(
        "As the stage owner you score each participant of the stage (0–100); "
        "%(count)s still to score."
    ) % {"count": count}


def stage_exit_scores(move: Any, opportunity: Any) -> None:
    """After a stage move (registered with `opportunities.gates.register_after_move`): a
    presales owner of the stage just left is asked, once per deal and stage, to score its
    participants (§5.4). The mover is asked too when they own the stage themselves."""
    from wuwei.opportunities.models import Stage
    from wuwei.support.selectors import pending_scores

    term = (
        StageOwner.objects.filter(opportunity=opportunity, stage=move.current, left_at__isnull=True)
        .select_related("owner")
        .first()
    )
    if term is None:
        return
    owed = pending_scores(user=term.owner, opportunity_id=opportunity.pk)
    count = next((len(p.participants) for p in owed if p.stage == move.current), 0)
    if not count:
        return
    stage = Stage(move.current)
    notify(
        recipients=audience([term.owner], actor=None, record=opportunity),
        kind=KIND_STAGE_SCORES,
        title=partial(_scores_title, opportunity.name, _Label(stage)),  # type: ignore[arg-type]
        body=partial(_scores_body, count),
        url=scores_url(opportunity.pk),
        key=f"{KIND_STAGE_SCORES}:{opportunity.pk}:{move.current}",
        opportunity=opportunity,
    )


class _Label:
    """A stage's label in the language active when the notification is rendered."""

    def __init__(self, stage: Any) -> None:
        self.stage = stage

    def __str__(self) -> str:
        return str(self.stage.label)
