"""Every page through axe-core at WCAG 2.1 levels A and AA (law 306/2019), and no page
scrolls sideways on a phone (issue 11).

The pages are found, not listed: for each page of the workers' and the client's sites,
the first record of a small demo region that the person may open. A page one role cannot
open is visited as another role who can; the public pages and the error pages too."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.test import Client as Http
from django.utils import timezone
from playwright.sync_api import Page

from kaveri.demo import region
from kaveri.demo.generator import generate
from kaveri.rules.registry import get_rules
from kaveri.watch.scan import scan
from tests.pages import first_page_they_may_open, workspace_patterns

pytestmark = [pytest.mark.django_db(transaction=True)]
TODAY = timezone.localdate()
WCAG_A_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PHONE = {"width": 360, "height": 740}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture
def demo_region(settings):
    generate(get_rules(), 40, TODAY, seed=11)
    scan(TODAY)
    return {username for username, *_rest in region.DEMO_LOGINS} | {region.CLIENT_LOGIN}


def violations(page: Page) -> list[str]:
    found = Axe().run(page, options=WCAG_A_AA).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in found
    ]


def scrolls_sideways(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(e => !e.closest('.table-scroll, .diagram'))
  .slice(-3)
  .map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""


def too_wide(page: Page) -> str:
    """Where a page scrolls sideways: the innermost elements past the right edge."""
    return ", ".join(page.evaluate(WIDEST))


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/fi/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(region.DEMO_PASSWORD)
    page.locator("form.stacked-form button[type=submit]").click()
    page.wait_for_load_state()


ROLES = ["asiakas", "sosiaaliohjaaja", "tyollisyys", "typ", "kela", "ohjaaja", "koordinaattori"]


def visit_all(page: Page, base: str, urls: list[str], width_checked: bool) -> list[str]:
    problems = []
    for url in urls:
        response = page.goto(base + url)
        if page.url != base + url or response.status not in (200, 404):
            problems.append(f"{url}: opened {page.url} with status {response.status}")
            continue
        problems += [f"{url}: {v}" for v in violations(page)]
        if width_checked and (extra := scrolls_sideways(page)) > 0:
            problems.append(f"{url}: scrolls {extra} px sideways: {too_wide(page)}")
    return problems


def test_every_public_page_passes_axe_at_level_aa(page: Page, live_server, demo_region):
    urls = ["/fi/", "/sv/", "/fi/login/", "/fi/help/", "/fi/accessibility/", "/fi/no-such-page/"]
    assert visit_all(page, live_server.url, urls, width_checked=False) == []
    page.set_viewport_size(PHONE)
    assert visit_all(page, live_server.url, urls, width_checked=True) == []


@pytest.mark.parametrize("username", ROLES)
def test_every_page_a_person_may_open_passes_axe_and_fits_a_phone(
    page: Page, browser, live_server, demo_region, username
):
    """Each page through axe at a desktop's width, then at a phone's: nothing sideways."""
    user = get_user_model().objects.get(username=username)
    http = Http()
    http.force_login(user)
    urls = [
        url
        for name, route in workspace_patterns()
        if (url := first_page_they_may_open(http, name, route)) is not None
    ]
    assert len(urls) >= 3, f"{username} opened only {urls}"
    log_in(page, live_server.url, username)
    problems = visit_all(page, live_server.url, sorted(set(urls)), width_checked=False)
    context = browser.new_context(viewport=PHONE, locale="fi-FI")
    phone = context.new_page()
    log_in(phone, live_server.url, username)
    for url in sorted(set(urls)):
        phone.goto(live_server.url + url)
        if (extra := scrolls_sideways(phone)) > 0:
            problems.append(f"{url}: scrolls {extra} px sideways: {too_wide(phone)}")
    context.close()
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("username", ["", "asiakas", "sosiaaliohjaaja"])
def test_the_portal_and_the_client_page_fit_a_phone(browser, live_server, demo_region, username):
    """At 360 px wide nothing scrolls sideways; a screenshot of each page is kept. The
    public pages (""), the client's and a worker's."""
    context = browser.new_context(viewport=PHONE, locale="fi-FI")
    phone = context.new_page()
    http = Http()
    if username:
        log_in(phone, live_server.url, username)
        http.force_login(get_user_model().objects.get(username=username))
    wanted = ["portal", "portal_consents", "portal_access_log", "portal_situation_change"]
    if username == "":
        wanted = ["pathways", "login", "help", "accessibility"]
    elif username != "asiakas":
        wanted = ["workspace:clients", "workspace:client", "workspace:consent_new"]
    routes = dict(workspace_patterns())
    urls = [first_page_they_may_open(http, name, routes[name]) for name in wanted]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for url in filter(None, urls):
        phone.goto(live_server.url + url)
        phone.screenshot(
            path=SCREENSHOTS / f"{username or 'public'}{url.replace('/', '_')}.png", full_page=True
        )
        if (extra := scrolls_sideways(phone)) > 0:
            problems.append(f"{url}: scrolls {extra} px sideways: {too_wide(phone)}")
    context.close()
    assert len(list(filter(None, urls))) == len(wanted)
    assert problems == [], "\n".join(problems)


def test_the_checker_finds_what_it_should(page: Page):
    """The same check on a page with known faults: an image without a text alternative,
    light grey text on white and a field without a label."""
    page.set_content(
        '<html><head><title>x</title></head><body><main><img src="x.png">'
        '<p style="color:#ccc">faint</p><input type="text"></main></body></html>'
    )
    found = " ".join(violations(page))
    assert "image-alt" in found and "color-contrast" in found and "label" in found
