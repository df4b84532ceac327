"""How PRM plugs into the other areas (from PlaybookConfig.ready()): the stage gate and the
after-move hook, the coaching change source, the deal timeline, the deal tab, the jobs."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from wuwei.accounts.timeline import TimelineEntry
from wuwei.coaching.changes import Change, DealWindow, register_change_source, window_deals
from wuwei.core.scheduler import register_job
from wuwei.core.visibility import scope_for
from wuwei.opportunities import gates as deal_gates
from wuwei.opportunities.models import Opportunity, Stage
from wuwei.opportunities.tabs import DealBadge, register_deal_badges, register_detail_tab
from wuwei.opportunities.timeline import register_deal_timeline_source
from wuwei.playbook import explain, gates
from wuwei.playbook.models import RiskFinding, RiskOverride
from wuwei.playbook.selectors import risk_items, risks_for, rules_in_force


def risk_changes(windows: Sequence[DealWindow], as_of: datetime) -> Mapping[int, list[Change]]:
    """§4.10: rules that started firing after the window opened (the nightly evaluation
    records when each began) and still fire now. One query when none did; five otherwise.
    Only the deals with such a finding are evaluated live, only for those rules, and only
    those findings are put into words (the others could never be shown)."""
    since = {w.opportunity_id: w.since for w in windows}
    first_seen = {
        (deal_id, rule_id): at
        for deal_id, rule_id, at in RiskFinding.objects.filter(
            opportunity_id__in=window_deals(windows), first_seen_at__gt=min(since.values())
        ).values_list("opportunity_id", "rule_id", "first_seen_at")
        if deal_id in since and at > since[deal_id]
    }
    if not first_seen:
        return {}
    rows, specs = rules_in_force()
    asked = {rule_id for _d, rule_id in first_seen}
    found = risks_for(
        sorted({deal_id for deal_id, _r in first_seen}),
        as_of=timezone.localdate(as_of),
        rules=[spec for spec in specs if spec.id in asked],
    )
    changes: dict[int, list[Change]] = {}
    for window in windows:
        new = [
            f
            for f in found.get(window.opportunity_id, ())
            if (window.opportunity_id, f.rule_id) in first_seen
        ]
        for item in explain.items(new, rows, window.opportunity_id):
            message = _("Risk: %(rule)s — %(message)s") % {
                "rule": item.name,
                "message": item.message,
            }
            changes.setdefault(window.opportunity_id, []).append(
                Change(
                    "risk",
                    message,
                    first_seen[window.opportunity_id, item.rule_id],
                    new=item.rule_code,
                )
            )
    return changes


def risk_badges(user: Any, ids: Sequence[int]) -> Mapping[int, list[DealBadge]]:
    """The number of risk rules firing, on deal rows and board cards (four queries a page);
    none for partner users (risks are internal)."""
    if scope_for(user).is_partner:
        return {}
    found = risk_items(ids)
    css = {"high": "text-bg-danger", "medium": "text-bg-warning", "low": "text-bg-secondary"}
    badges: dict[int, list[DealBadge]] = {}
    for deal_id, items in found.items():
        if not items:
            continue
        title = ngettext(
            "%(count)s risk rule fires: %(names)s",
            "%(count)s risk rules fire: %(names)s",
            len(items),
        ) % {"count": len(items), "names": "; ".join(i.name for i in items)}
        badges[deal_id] = [
            DealBadge(
                key="risks",
                text=str(len(items)),
                title=title,
                css=css.get(items[0].severity, css["low"]),
                icon="bi-exclamation-triangle",
                anchor="#risks",
            )
        ]
    return badges


def _stage_label(value: str) -> str:
    return str(dict(Stage.choices).get(value, value))


def override_entries(user: Any, opportunity: Opportunity, limit: int) -> Iterable[TimelineEntry]:
    """Gate overrides on the deal timeline (internal: never shown to partner users)."""
    if scope_for(user).is_partner:
        return
    rows = (
        RiskOverride.objects.filter(opportunity=opportunity)
        .select_related("overridden_by")
        .order_by("-created_at", "-id")[:limit]
    )
    for row in rows:
        yield TimelineEntry(
            when=row.created_at,
            kind="risk_override",
            title=_("Stage gate overridden: %(from)s → %(to)s")
            % {"from": _stage_label(row.from_stage), "to": _stage_label(row.to_stage)},
            who=row.overridden_by,
            details=(
                _("Reason: %(reason)s") % {"reason": row.reason},
                *(str(item.get("message", "")) for item in row.rules),
            ),
        )


def _nightly(now: datetime) -> object:
    from wuwei.playbook.jobs import nightly_risks

    return nightly_risks(now)


def _daily_levels(now: datetime) -> None:
    from wuwei.playbook.jobs import daily_interaction_and_closeness

    daily_interaction_and_closeness(now)


def register() -> None:
    from wuwei.playbook import visibility

    visibility.register_rules()  # the buying-process records
    deal_gates.register_stage_gate(gates.risk_gate)
    deal_gates.register_after_move(gates.after_move)
    for code, message in gates.MESSAGES.items():
        deal_gates.register_reason_message(code, message)
    register_change_source("risk", risk_changes)
    register_deal_timeline_source(override_entries)
    register_deal_badges(risk_badges)
    register_detail_tab("risks", gettext_lazy("Risks"), "playbook:deal_tab", before="timeline")
    register_detail_tab("buying", gettext_lazy("Buying process"), "playbook:buying_tab")
    # §6 nightly evaluation, §3.2 daily decay and §3.4 closeness: once a day per process,
    # idempotent (jobs.py).
    register_job("risk_evaluation", timedelta(days=1), _nightly)
    register_job("interaction_and_closeness", timedelta(days=1), _daily_levels)
