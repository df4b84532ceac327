"""One tactics library for every strategy kind (issue 12 item 5).

The account strategies' tactics (§2.4, `accounts.Tactic`) and the competitive strategies'
tactics (§4.7, `opportunities.CompetitiveTactic`) are the same thing for a different set of
strategies: bilingual title and description, a position, seeded and editable by the library
editors, archived rather than deleted. Each app keeps its table and declares its model on
`TacticBase`, then builds its service (`TacticLibrary`), its API router (`tactics_router`)
and its pages (`TacticLibraryPages`) from the one implementation here.
"""
