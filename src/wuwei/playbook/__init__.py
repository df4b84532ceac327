"""PRM project rules (律): risk rules, stage gates, buying-process templates."""
