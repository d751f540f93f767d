"""The `kaveri` console command: a thin wrapper over Django's management commands.

`kaveri demo`, `kaveri rules check PATH`, `kaveri migrate`, `kaveri createsuperuser` ...
"""

import os
import sys

SECRET_HINT = (
    "Set SECRET_KEY (and DATABASE_URL, ALLOWED_HOSTS) in the environment.\n"
    "For the demo region that scripts/demo made, put KAVERI_DEMO=1 before the command, "
    "e.g. KAVERI_DEMO=1 .venv/bin/kaveri export"
)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaveri.settings")
    if len(argv) > 1 and argv[1] == "demo":
        os.environ.setdefault("KAVERI_DEMO", "1")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as error:
        hint = SECRET_HINT if "SECRET_KEY" in str(error) else ""
        sys.stderr.write(f"kaveri: configuration error: {error}\n{hint}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
