"""The managers' daily win-rate digest (issue 14): the automatic win-rate moves recorded on one
day collapse into one message per manager — how many deals of their team moved, each with its
link — instead of one message per deal. Idempotent per manager and day (the event key)."""

from datetime import date, datetime, time, timedelta
from functools import partial

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from wuwei.notifications.services import Draft, notify_many
from wuwei.opportunities.models import WinRateChange
from wuwei.opportunities.winning.changes import (
    digest_enabled,
    managers_by_team_path,
    nearest_managers,
    signed_points,
    strategy_url,
)
from wuwei.org.models import User

KIND = "win_rate_digest"


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def _title(count: int) -> str:
    return ngettext(
        "Win rate moved on %(count)s deal of your team",
        "Win rate moved on %(count)s deals of your team",
        count,
    ) % {"count": count}


def _body(lines: list[tuple[str, int, int, str]], day: date) -> str:
    site = getattr(settings, "WUWEI_SITE_URL", "").rstrip("/")
    head = gettext("Automatic win-rate moves recorded on %(day)s:") % {"day": day.isoformat()}
    rows = [
        f"• {name}: {previous} % → {current} % ({signed_points(current - previous)}) {site}{url}"
        for name, previous, current, url in lines
    ]
    return "\n".join([head, *rows])


def manager_digest(*, day: date) -> int:
    """One digest per manager for the moves recorded on `day` (local date) in the deals of
    the people they manage (the owner's nearest managers, as per-deal messages would go).
    Returns how many digests were created; a second run creates none."""
    start, end = _day_bounds(day)
    changes = (
        WinRateChange.objects.filter(created_at__gte=start, created_at__lt=end)
        .select_related("opportunity")
        .order_by("opportunity__name", "pk")
    )
    rows = [
        (c.opportunity_id, c.opportunity.name, c.opportunity.owner_id, c.previous, c.current)
        for c in changes
    ]
    if not rows:
        return 0
    owners = User.objects.select_related("team").in_bulk({row[2] for row in rows})
    managers = managers_by_team_path()
    per_manager: dict[int, tuple[User, list[tuple[str, int, int, str]]]] = {}
    for deal_id, name, owner_id, previous, current in rows:
        for manager in nearest_managers(owners[owner_id], managers):
            entry = per_manager.setdefault(manager.pk, (manager, []))
            entry[1].append((name, previous, current, strategy_url(deal_id)))
    drafts = [
        Draft(
            recipients=[manager],
            kind=KIND,
            title=partial(_title, len(lines)),
            body=partial(_body, lines, day),
            url=reverse("coaching:queue"),
            key=f"{KIND}:{manager.pk}:{day.isoformat()}",
        )
        for manager, lines in per_manager.values()
    ]
    return notify_many(drafts)


def scheduled_digest(now: datetime) -> int:
    """The daily job: yesterday's moves (the day is complete), when the digest is on."""
    if not digest_enabled():
        return 0
    return manager_digest(day=timezone.localdate(now) - timedelta(days=1))
