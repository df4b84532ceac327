"""The JSON API under /api/v1/ (API.md). Each domain app contributes a router."""

from wuwei.core.api import BearerAuth, SessionAuth, WuweiAPI, install_error_handlers
from wuwei.core.middleware import docs_require_login
from wuwei.web.api_docs import SelfHostedSwagger

api = WuweiAPI(
    title="Wuwei API",
    version="1",
    description="Wuwei (五维) B2B key-account sales management. Conventions: API.md.",
    auth=[BearerAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
    docs=SelfHostedSwagger(),
    openapi_url="/openapi.json",
    # Open while DEBUG is on; in production only for a session or a bearer token.
    docs_decorator=docs_require_login,
)
install_error_handlers(api)


def _mount() -> None:
    from wuwei.accounts.api import conflicts_router, tactics_router
    from wuwei.accounts.api import router as accounts_router
    from wuwei.coaching.api import router as coaching_router
    from wuwei.competitors.api import router as competitor_router
    from wuwei.insights.api import router as reports_router
    from wuwei.insights.forecast.api import router as forecast_router
    from wuwei.insights.scorecard.api import collections_router
    from wuwei.insights.scorecard.api import router as scorecard_router
    from wuwei.notifications.api import router as notifications_router
    from wuwei.opportunities.api import members_router, registration_router
    from wuwei.opportunities.api import router as opportunities_router
    from wuwei.opportunities.winning.api import router as winning_router
    from wuwei.org.api import router as org_router
    from wuwei.people.api import (
        account_map_router,
        activities_router,
        connections_router,
        decision_map_router,
    )
    from wuwei.people.api import router as people_router
    from wuwei.playbook.api import router as playbook_router
    from wuwei.playbook.buying.api import deal_router as buying_deal_router
    from wuwei.playbook.buying.api import router as buying_router
    from wuwei.pursuit.api import router as pursuit_router
    from wuwei.pursuit.library_api import library_router as competitive_tactics_router
    from wuwei.support.api import ledger_router
    from wuwei.support.api import router as support_router

    api.add_router("", org_router)
    api.add_router("/accounts", accounts_router)
    api.add_router("/conflicts", conflicts_router)
    api.add_router("/tactics", tactics_router)
    api.add_router("/contacts", people_router)
    api.add_router("/opportunities", opportunities_router)
    # The deal team and the competitors on a deal: /opportunities/{id}/members|competitors.
    api.add_router("/opportunities", members_router)
    api.add_router("/competitors", competitor_router)
    api.add_router("/registrations", registration_router)
    api.add_router("/presales", support_router)
    # Only /opportunities/{id}/ledger; the opportunities app mounts its own router here too.
    api.add_router("/opportunities", ledger_router)
    # Compelling events, questionnaires and the win rate: /opportunities/{id}/… paths only.
    api.add_router("/opportunities", winning_router)
    # Relationship maps sit next to the accounts/opportunities routers (their own paths only).
    api.add_router("/accounts", account_map_router)
    api.add_router("/opportunities", decision_map_router)
    api.add_router("/activities", activities_router)
    api.add_router("/connections", connections_router)
    api.add_router("/notifications", notifications_router)
    api.add_router("/coaching", coaching_router)
    # Strategy, tactics and value proposition of a deal (§4.7, §4.8), and their library.
    api.add_router("/opportunities", pursuit_router)
    api.add_router("/competitive-tactics", competitive_tactics_router)
    # The customer's buying process (§7.1): templates, and /opportunities/{id}/buying-process.
    api.add_router("/buying-processes", buying_router)
    api.add_router("/opportunities", buying_deal_router)
    api.add_router("/reports", reports_router)
    api.add_router("/forecast", forecast_router)
    # The five-dimension scorecard (§8) and /opportunities/{id}/collections (回款).
    api.add_router("/scorecard", scorecard_router)
    api.add_router("/opportunities", collections_router)
    # PRM (§6): /opportunities/{id}/risks, /opportunities/{id}/lesson, /risks, /risk-rules.
    api.add_router("", playbook_router)


_mount()
