"""Every user-facing text has a Finnish and a Swedish translation, compiled."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "kaveri" / "locale"


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_catalogue_is_complete_and_compiled(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in po if not e.obsolete and not e.translated()]
    assert untranslated == []
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    assert {e.msgid: e.msgstr for e in mo} == {
        e.msgid: e.msgstr for e in po if not e.obsolete and e.translated()
    }


def test_finnish_page_is_in_finnish(client, db):
    page = client.get("/fi/").content.decode()
    assert "Asiakkaan palvelupolut" in page and "Päivitys: 3–12 kuukautta" in page


def test_swedish_page_is_in_swedish(client, db):
    page = client.get("/sv/").content.decode()
    assert "Klientens servicestigar" in page and "Uppdatering: 3–12 månader" in page
