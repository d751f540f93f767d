"""Raw codes never reach a page (issue 11): every page a person of each role may open in
a small demo region, in Finnish and in Swedish, shows no code of the rule set or of a
record's state ("SOC, EMP", "PENDING") where words belong."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.test import Client as Http
from django.utils import timezone

from kaveri.benefits.models import Appeal, Application, InformationRequest
from kaveri.consent.models import Consent, DataRequest
from kaveri.demo import region
from kaveri.demo.generator import generate
from kaveri.plans.models import Measure, Plan
from kaveri.rules.registry import get_rules, registry
from kaveri.watch.models import Signal
from kaveri.watch.scan import scan
from tests.pages import first_page_they_may_open, workspace_patterns

pytestmark = pytest.mark.django_db
ROLES = ["asiakas", "sosiaaliohjaaja", "tyollisyys", "typ", "kela", "ohjaaja", "koordinaattori"]
TOKEN = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b|\b[A-Z]{3,}\b")
STATE_MODELS = [
    Application,
    Appeal,
    InformationRequest,
    Consent,
    DataRequest,
    Plan,
    Measure,
    Signal,
]


class VisibleText(HTMLParser):
    """The text a reader sees: no tags, attributes, scripts or styles."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "svg"):
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "svg"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def codes_that_must_not_show() -> set[str]:
    """Every code of every rule set and every stored state, less those that are words of
    some label themselves (TYP, URA, Kela's system names)."""
    codes, words = set(), set()
    for rules in registry().sets:
        for kind in rules.labels.values():
            for code, label in kind.items():
                codes.add(code)
                for language in ("fi", "sv", "en"):
                    words |= set(TOKEN.findall(label.get(language)))
    for model in STATE_MODELS:
        for field in model._meta.fields:
            codes |= {value for value, _label in field.choices or [] if isinstance(value, str)}
    return {c for c in codes if TOKEN.fullmatch(c)} - words


@pytest.fixture
def demo_region(settings):
    today = timezone.localdate()
    generate(get_rules(), 40, today, seed=11)
    scan(today)


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("language", ["fi", "sv"])
def test_no_page_shows_a_raw_code(demo_region, username, language):
    forbidden = codes_that_must_not_show()
    http = Http()
    http.force_login(get_user_model().objects.get(username=username))
    found = {}
    for name, route in workspace_patterns():
        url = first_page_they_may_open(http, name, route)
        if url is None:
            continue
        url = url.replace("/fi/", f"/{language}/", 1)
        text = visible_text(http.get(url).content.decode())
        shown = sorted(set(TOKEN.findall(text)) & forbidden)
        if shown:
            found[url] = shown
    assert found == {}, "\n".join(f"{url}: {codes}" for url, codes in found.items())


def test_the_check_sees_a_code_in_the_text_but_not_in_an_attribute():
    html = '<p>Valtuutetut: SOC, EMP</p><a href="?authority=KELA" data-x="KELA">Kela</a>'
    assert set(TOKEN.findall(visible_text(html))) & codes_that_must_not_show() == {"SOC", "EMP"}


def test_the_demo_logins_are_the_ones_checked():
    assert {username for username, *_ in region.DEMO_LOGINS} >= set(ROLES) - {"asiakas"}


@pytest.mark.parametrize(
    "stored",
    [["label:authority:SOC", "label:authority:EMP"], "label:authority:SOC, label:authority:EMP"],
)
def test_a_fact_naming_several_authorities_is_worded_whole(stored):
    """A consent's authorities in a deadline's explanation: a list of labels, or the one
    string earlier versions stored, whose second code reached the page as it was."""
    from kaveri.watch.explain import fact_text

    rules = get_rules()
    expected = f"{rules.label('authority', 'SOC', 'fi')}, {rules.label('authority', 'EMP', 'fi')}"
    assert fact_text(stored, rules, "fi", {}) == expected
