"""Every page, every person (issue 11): error pages in the site's layout and the reader's
language, a language choice that wins over the browser's, the accessibility statement with
its feedback channel, a focus ring one can see, and help for each role."""

import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client as Browser
from django.test import RequestFactory
from django.utils import translation

from kaveri.access.models import AccessibilityFeedback
from kaveri.access.roles import Role
from kaveri.access.views import server_error
from kaveri.rules.loader import DATA_DIR
from tests.conftest import PASSWORD, login

pytestmark = pytest.mark.django_db


# --- the language the reader chose ---


@pytest.mark.parametrize("page", ["/fi/", "/fi/login/", "/fi/accessibility/"])
def test_choosing_swedish_wins_over_the_browsers_own_language(client, page):
    """The browser asks for English; the reader chose svenska on a Finnish page."""
    chosen = client.post(
        "/i18n/setlang/", {"language": "sv", "next": page}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert chosen.status_code == 302 and chosen["Location"] == page.replace("/fi/", "/sv/")
    again = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert again["Location"] == "/sv/", "the choice lasts for the session"


def test_a_workers_page_follows_the_choice_too(client, make_worker):
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR)
    login(client, counsellor)
    chosen = client.post(
        "/i18n/setlang/",
        {"language": "sv", "next": "/fi/workspace/"},
        HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9",
    )
    assert chosen["Location"] == "/sv/workspace/"
    page = client.get(chosen["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="sv">' in page


# --- error pages ---

MISSING = {"fi": "Sivua ei löydy", "sv": "Sidan finns inte", "en": "Page not found"}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_missing_page_says_so_in_the_layout_and_the_readers_language(client, language):
    response = client.get(f"/{language}/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{language}">' in page
    assert f"<title>{MISSING[language]} – Kaveri</title>" in page
    assert f'<a href="/{language}/">' in page, "says where to go"


def test_a_page_the_role_may_not_open_says_why_and_where_to_go(client, make_client):
    person = make_client()
    person.user = get_user_model().objects.create_user("asiakas-403", password=PASSWORD)
    person.save()
    login(client, person.user)
    response = client.get("/sv/workspace/")
    page = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="sv">' in page and "<title>Ingen åtkomst – Kaveri</title>" in page
    assert "Din roll tillåter inte den här sidan." in page
    assert 'href="/sv/home/"' in page


def test_an_expired_form_says_what_to_do(db):
    browser = Browser(enforce_csrf_checks=True)
    response = browser.post("/fi/login/", {"username": "x", "password": "y"})
    page = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="fi">' in page and "Lomake vanheni" in page


def test_a_bad_request_is_in_the_layout(client):
    response = client.get("/en/", HTTP_HOST="not-a-host-of-ours.example")
    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>Bad request – Kaveri</title>" in page


def test_a_server_error_page_needs_nothing_that_may_have_failed():
    """Rendered without the database or the session, in the language of the address."""
    request = RequestFactory().get("/sv/portal/")
    with translation.override("sv"):
        response = server_error(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="sv">' in page and "Ett fel uppstod" in page


# --- accessibility (law 306/2019) ---


@pytest.mark.parametrize("path", ["/fi/", "/fi/login/", "/fi/no-such-page/"])
def test_every_page_links_to_the_accessibility_statement(client, path):
    assert 'href="/fi/accessibility/"' in client.get(path).content.decode()


def test_feedback_reaches_the_administrators_list_with_an_answer_date(
    client, settings, django_user_model
):
    settings.KAVERI_TODAY = date(2026, 11, 30)
    statement = client.get("/en/accessibility/").content.decode()
    assert "14 days" in statement
    sent = client.post(
        "/en/accessibility/feedback/",
        {"message": "The map has no text alternative.", "page": "/fi/", "contact": ""},
    )
    assert sent.status_code == 302
    feedback = AccessibilityFeedback.objects.get()
    assert (feedback.received_on, feedback.answer_due_on) == (
        date(2026, 11, 30),
        date(2026, 12, 14),
    )
    admin = django_user_model.objects.create_superuser(username="root", password=PASSWORD)
    login(client, admin)
    listed = client.get("/admin/access/accessibilityfeedback/").content.decode()
    assert "The map has no text alternative." in listed and "14. joulukuuta 2026" in listed


def test_empty_feedback_is_refused_and_nothing_is_kept(client):
    response = client.post("/en/accessibility/feedback/", {"message": "  ", "page": ""})
    assert response.status_code == 400
    assert "Write what did not work" in response.content.decode()
    assert not AccessibilityFeedback.objects.exists()


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_the_focus_ring_stands_out_from_white_by_at_least_3_to_1():
    css = (DATA_DIR.parent.parent / "static" / "kaveri" / "site.css").read_text()
    focus = re.search(r"--focus:\s*(#[0-9a-fA-F]{6})", css).group(1)
    ratio = (1.05) / (_luminance(focus) + 0.05)
    assert ratio >= 3, f"{focus} has {ratio:.2f}:1 against white"


# --- help ---


def test_the_login_page_says_whom_to_ask_for_an_account_or_a_password(client):
    page = client.get("/en/login/").content.decode()
    assert "account" in page and "password" in page and 'href="/en/help/"' in page


@pytest.mark.parametrize(
    ("role", "words"),
    [
        (Role.SOCIAL_COUNSELLOR, "Your start page lists"),
        (Role.KELA_OFFICER, "Your start page lists"),
        (Role.ACTIVITY_INSTRUCTOR, "the clients placed with you"),
        (Role.COORDINATOR, "how long clients in the region wait"),
    ],
)
def test_each_role_has_a_short_help_page(client, make_worker, role, words):
    login(client, make_worker(role))
    page = client.get("/en/help/").content.decode()
    assert words in page


def test_an_identity_code_in_an_address_is_refused_on_a_page_that_says_why(client):
    response = client.get("/sv/workspace/search/?q=010594Y9032")
    page = response.content.decode()
    assert response.status_code == 400
    assert '<html lang="sv">' in page and "<title>Felaktig begäran – Kaveri</title>" in page
    assert "personbeteckning" in page and "010594Y9032" not in page


def test_the_client_page_names_the_authorities_of_a_consent_in_words(
    client, make_organisation, make_worker, make_client
):
    """Codes never reach a page: a consent lists "Kela, Social welfare office", not
    "KELA, SOC"."""
    from kaveri.casework import actions as casework
    from kaveri.consent.models import Consent

    soc = make_organisation("SOC")
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, soc)
    person = make_client()
    casework.open_relationship(
        person, soc, "SOC_CLIENT", date(2026, 1, 5), [("OWN_WORKER", counsellor)]
    )
    Consent.objects.create(
        client=person,
        purpose="KELA_CONTACT",
        data_categories=["BENEFITS"],
        authorities=["KELA", "SOC"],
        valid_from=date(2026, 1, 5),
        method="IN_PERSON",
    )
    login(client, counsellor)
    page = client.get(f"/en/workspace/clients/{person.pk}/").content.decode()
    assert "Kela, Social welfare office" in page and "KELA, SOC" not in page


def test_swedish_pages_write_dates_the_finland_swedish_way(
    client, make_organisation, make_worker, make_client
):
    from kaveri.casework import actions as casework

    soc = make_organisation("SOC")
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, soc)
    person = make_client()
    casework.open_relationship(
        person, soc, "SOC_CLIENT", date(2026, 10, 6), [("OWN_WORKER", counsellor)]
    )
    login(client, counsellor)
    page = client.get(f"/sv/workspace/clients/{person.pk}/").content.decode()
    assert "6.10.2026" in page
    assert '<time datetime="2026-10-06">6.10.2026</time>' in page, "ISO only for machines"
    assert ">2026-10-06" not in page


def test_one_finnish_word_for_one_thing():
    """Ending a service and deciding are different acts: the Finnish pages no longer call
    both "Päätä"."""
    from django.utils.translation import gettext

    with translation.override("fi"):
        end, close = gettext("End the service"), gettext("Close the client relationship")
        decide = gettext("Record the decision")
    assert end == "Lopeta palvelu" and close == "Päätä asiakkuus"
    assert "Päätä" not in decide and len({end, close, decide}) == 3


# --- dates in the reader's convention ---


def test_a_date_field_takes_the_finnish_way_whatever_the_browser():
    """The browser's own date picker would show 12/07/2026 in an English browser; the
    field is text in the convention of Finland (and of Finland-Swedish), ISO accepted."""
    from kaveri.access.dates import DayField

    field = DayField(label="From")
    for written in ("7.12.2026", "07.12.2026", "7.12.26", "2026-12-07"):
        assert field.clean(written) == date(2026, 12, 7), written
    with pytest.raises(ValidationError, match=r"day\.month\.year, for example 7\.12\.2026"):
        field.clean("12/07/2026")
    html = field.widget.render("starts_on", date(2026, 12, 7))
    assert 'type="text"' in html and 'value="7.12.2026"' in html and 'inputmode="numeric"' in html


def test_the_form_says_how_to_write_a_date_in_the_readers_language(
    client, make_worker, make_organisation
):
    login(client, make_worker(Role.SOCIAL_COUNSELLOR, make_organisation("SOC")))
    page = client.get("/sv/workspace/absence/").content.decode()
    assert 'type="date"' not in page
    assert "dag.månad.år, till exempel 7.12.2026" in page


# --- the admin in the reader's language ---


def test_the_admin_names_codes_in_the_readers_language(client, django_user_model, settings):
    """An organisation's authority, in the list, the filter and the form: words, not SOC."""
    from kaveri.access.models import Organisation
    from kaveri.rules.registry import get_rules

    Organisation.objects.create(name="Testilän palvelut", authority="SOC", region="Testi")
    label = get_rules().label("authority", "SOC", "fi")
    admin = django_user_model.objects.create_superuser(username="root-fi", password=PASSWORD)
    login(client, admin)
    listed = client.get("/admin/access/organisation/", HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    row = listed.split("Testilän palvelut</a>")[1].split("</tr>")[0]
    assert label in row and ">SOC<" not in row
    assert f'?authority=SOC">{label}</a>' in listed, "the filter names it too"
    organisation = Organisation.objects.get(name="Testilän palvelut")
    form = client.get(
        f"/admin/access/organisation/{organisation.pk}/change/", HTTP_ACCEPT_LANGUAGE="fi"
    ).content.decode()
    assert f'<option value="SOC" selected>{label}</option>' in form
