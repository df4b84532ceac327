"""Daily background jobs (README "Scheduled jobs"), registered by `playbook.wiring`:

- the nightly risk evaluation (§6): records when each rule started firing on each open deal
  (the coaching queue's "since the last review") and notifies owners of newly fired
  high-severity rules, once per deal and rule (the notification key);
- the interaction-level recompute (§3.2: the 180/90-day windows move with time, so levels
  decay only if something re-derives them) and the closeness snapshot (§3.4), the same work
  as `wuwei recompute_interaction` and `wuwei snapshot_closeness`.

Each is idempotent (a second run the same day changes nothing), so several processes or a
cron line running them too are harmless.
"""

import logging
from datetime import datetime

from django.core.management import call_command
from django.utils import timezone

from wuwei.playbook.services import risk_refresh

logger = logging.getLogger(__name__)


def nightly_risks(now: datetime) -> int:
    new = risk_refresh(now=now)
    logger.info("risk evaluation: %s new findings", new)
    return new


def daily_interaction_and_closeness(now: datetime) -> None:
    as_of = timezone.localdate(now)
    call_command("recompute_interaction", as_of=as_of, verbosity=0)
    call_command("snapshot_closeness", as_of=as_of, verbosity=0)
