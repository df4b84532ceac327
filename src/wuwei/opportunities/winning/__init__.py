"""TAS+ winning engine services (METHOD.md §4.3-4.6)."""
