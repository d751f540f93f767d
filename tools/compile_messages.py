"""Compile kaveri/locale/*/LC_MESSAGES/django.po into .mo files without GNU gettext.

The .po files are the source of the translations; edit them, then run
`.venv/bin/python tools/compile_messages.py`. It lists any text still missing a
Finnish or Swedish translation and exits non-zero if there is one.
"""

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "kaveri" / "locale"
MUST_BE_TRANSLATED = {"fi", "sv"}


def compile_catalogue(po_path: Path) -> list[str]:
    catalogue = polib.pofile(str(po_path))
    catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
    language = po_path.parent.parent.name
    if language not in MUST_BE_TRANSLATED:
        return []
    return [f"{language}: {e.msgid!r}" for e in catalogue if not e.obsolete and not e.translated()]


def main() -> int:
    missing = [
        gap
        for po in sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))
        for gap in compile_catalogue(po)
    ]
    for gap in missing:
        print(f"no translation for {gap}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
