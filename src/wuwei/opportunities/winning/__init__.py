"""The TAS+ winning engine (METHOD.md §4.3, §4.5, §4.6): compelling events, the weekly
questionnaire with the manager's adjustment, the win rate it gives and the weekly curve.

selectors (reads) → services (writes, `win_rate_refresh`) → api / views; `explain` turns the
methodology's reasons into sentences; `wiring` registers the deal-page tabs, the visibility
rules and the presales warning (`register()`, called from `OpportunitiesConfig.ready()`);
`snapshots` writes the
weekly curve in bulk and raises the week-over-week change events (§4.6)."""
