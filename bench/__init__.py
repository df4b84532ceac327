"""Benchmarks: `make bench` (or `python -m bench [name …] [--scale N]`).

Each module exposes `run(scale: int) -> list[Result]`; a result carries its target, so the run
fails (exit 1) when a target is missed. Targets live here, never as timing asserts in tests.
"""
