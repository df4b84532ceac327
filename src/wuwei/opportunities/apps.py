from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpportunitiesConfig(AppConfig):
    name = "wuwei.opportunities"
    label = "opportunities"
    verbose_name = _("Opportunities")

    def ready(self) -> None:
        from datetime import timedelta

        from django.utils import timezone

        from wuwei.core.scheduler import register_job
        from wuwei.opportunities import visibility  # noqa: F401  (registers the rules)
        from wuwei.opportunities.winning import wiring as winning_wiring
        from wuwei.opportunities.winning.digest import scheduled_digest
        from wuwei.opportunities.winning.reminders import reevaluation_reminders
        from wuwei.opportunities.winning.snapshots import scheduled_snapshot

        # §4.6 weekly snapshot: checked hourly, written once per ISO week (idempotent).
        register_job("win_rate_snapshot", timedelta(hours=1), scheduled_snapshot)
        # §4.3 re-evaluation reminders: once per event and due date, checked every 6 hours.
        register_job(
            "compelling_event_reminders",
            timedelta(hours=6),
            lambda now: reevaluation_reminders(as_of=timezone.localdate(now)),
        )

        # issue 14: managers' daily win-rate digest, once per manager and day (idempotent).
        register_job("win_rate_digest", timedelta(hours=1), scheduled_digest)

        # Competitor intelligence (a lower app) reads deals through these lookups.
        from wuwei.competitors.hooks import DealLinks, register_deal_links
        from wuwei.opportunities import selectors

        register_deal_links(
            DealLinks(
                records=selectors.competitor_records,
                internal_deal=lambda user, pk: selectors.internal_opportunity_get(user=user, id=pk),
                product=lambda code: selectors.product_lines([code])[0],  # type: ignore[index]
            )
        )

        # The accounts area (a lower app) reads and creates deals through this source.
        from wuwei.accounts.deals import DealSource, register_deal_source
        from wuwei.opportunities import services

        register_deal_source(
            DealSource(
                open_pipeline=selectors.account_open_pipeline,
                for_account=selectors.account_deals,
                incubated=selectors.account_incubated,
                from_visit=services.opportunity_from_visit,
            )
        )

        winning_wiring.register()  # tabs and visibility rules
