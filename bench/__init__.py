"""Benchmarks: `python -m bench [name …] [--n N]` (or `make bench`). Each runs in a throwaway
test database, never the development one."""
