"""Run benchmarks against a throwaway database (SQLite under a temp dir unless DATABASE_URL)."""

import argparse
import importlib
import os
import pkgutil
import sys
import tempfile
from pathlib import Path


def _modules() -> list[str]:
    here = Path(__file__).parent
    return sorted(
        m.name
        for m in pkgutil.iter_modules([str(here)])
        if m.name not in {"common", "__main__", "server", "serverdata", "peer"}
    )


def _on_postgres(args: argparse.Namespace) -> int:
    import psycopg

    name = args.database or f"wuwei_bench_{os.getpid()}"
    server = args.postgres.rstrip("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        os.environ["DATABASE_URL"] = f"{server}/{name}"
        sys.argv = [sys.argv[0], *args.names, "--scale", str(args.scale)]
        return main()
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def main() -> int:
    if sys.argv[1:2] == ["server"]:
        # The server runner (bench/server.py) has its own options and its own database.
        from bench import server

        return server.main(sys.argv[2:])
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default all: {_modules()})")
    parser.add_argument("--scale", type=int, default=100_000, help="rows of the main table")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="server URL (postgres://user@host:5432); a throwaway database "
        "is created there and dropped afterwards",
    )
    parser.add_argument(
        "--database",
        metavar="NAME",
        help="name of the throwaway PostgreSQL database (default wuwei_bench_<pid>)",
    )
    args = parser.parse_args()
    if args.postgres:
        return _on_postgres(args)

    workdir = tempfile.mkdtemp(prefix="wuwei-bench-")
    os.environ["WUWEI_VAR"] = workdir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wuwei.settings")
    os.environ["WUWEI_TESTING"] = "0"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    print(f"database: {connection.vendor} ({workdir if connection.vendor == 'sqlite' else ''})")
    failed = False
    for name in args.names or _modules():
        module = importlib.import_module(f"bench.{name}")
        print(f"\n== {name} (scale {args.scale:,})")
        for result in module.run(args.scale):
            target = f"  target ≤ {result.target:g} {result.unit}" if result.target else ""
            verdict = "" if result.ok else "  MISSED"
            print(f"  {result.name:<48} {result.value:>10.1f} {result.unit}{target}{verdict}")
            failed |= not result.ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
