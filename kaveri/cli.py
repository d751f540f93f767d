"""The `kaveri` console command: a thin wrapper over Django's management commands.

`kaveri demo`, `kaveri rules check PATH`, `kaveri migrate`, `kaveri createsuperuser` ...
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaveri.settings")
    if len(argv) > 1 and argv[1] == "demo":
        os.environ.setdefault("KAVERI_DEMO", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
