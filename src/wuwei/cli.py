"""The `wuwei` command: Wuwei's own commands (serve, demo, token, createadmin…) and Django's."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wuwei.settings")
    from django.core.management import execute_from_command_line
    from django.db import OperationalError, connection

    try:
        execute_from_command_line(sys.argv)
    except OperationalError as exc:
        if connection.connection is not None:
            raise  # connected, then failed: a real fault, keep the traceback
        # Could not connect at all (connect_timeout in settings bounds the wait): one sentence.
        from wuwei.core.database import unreachable_message

        sys.stderr.write(unreachable_message(exc) + "\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
