"""Dispatch to the benchmark modules: `python -m bench` runs them all, `python -m bench
opportunities --n 20000` one of them with options."""

import argparse
import importlib
import os
import sys

BENCHMARKS = {"opportunities": "bench.opportunities"}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", choices=[[], *BENCHMARKS], default=[])
    parser.add_argument("--n", type=int, default=100_000, help="rows to generate (default 100k)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wuwei.settings")
    os.environ.setdefault("WUWEI_TESTING", "1")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        for name in args.names or list(BENCHMARKS):
            importlib.import_module(BENCHMARKS[name]).run(n=args.n, repeat=args.repeat)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main(sys.argv[1:])
