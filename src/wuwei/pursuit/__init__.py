"""Pursuing a deal (METHOD.md §4.7 strategy and tactics, §4.8 value proposition): models in
`opportunities.models.pursuit` (their tables and migrations stay with the deals), reads in
`selectors`, writes in `services`, the API in `api`, the deal page's "Strategy" and "Value
proposition" tabs in `views`, and `wiring.register()`, called from PursuitConfig.ready()."""
