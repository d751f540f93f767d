"""The client's own journeys in the portal, in a real browser, in Finnish and in Swedish."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Page, expect

from kaveri.access.roles import Role
from kaveri.benefits import actions as benefits
from kaveri.casework import actions as casework
from kaveri.plans import actions as plans
from kaveri.plans.actions import MeasureInput
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True)]
TODAY = timezone.localdate()


def log_in(page: Page, base: str, language: str, username: str) -> None:
    page.goto(f"{base}/{language}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.stacked-form button[type=submit]").click()
    expect(page.locator("form.inline-form .link-button")).to_be_visible()


def log_out(page: Page) -> None:
    page.locator("form.inline-form .link-button").click()


@pytest.fixture
def person_with_a_plan(make_organisation, make_worker, make_client):
    soc, emp = make_organisation("SOC", name="Sosiaalitoimi Turku"), make_organisation("EMP")
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, soc)
    person = make_client(first_names="Selma")
    person.user = get_user_model().objects.create_user("selma", password=PASSWORD)
    person.save()
    opened = TODAY - timedelta(days=40)
    relationship = casework.open_relationship(
        person, soc, "SOC_CLIENT", opened, [("OWN_WORKER", counsellor)]
    )
    plan = plans.make_plan(
        person,
        "ACTIVATION_PLAN",
        "A1",
        relationship,
        [soc, emp],
        TODAY - timedelta(days=3),
        6,
        [MeasureInput("JOB_SEARCH")],
    )
    return person, counsellor, plan


@pytest.mark.parametrize(
    ("language", "approve", "thanks"),
    [
        ("fi", "Hyväksyn tämän suunnitelman", "Suunnitelmasi on hyväksytty"),
        ("sv", "Jag godkänner den här planen", "Din plan är godkänd"),
    ],
)
def test_the_client_approves_a_plan(
    page: Page, live_server, person_with_a_plan, language, approve, thanks
):
    _person, _counsellor, plan = person_with_a_plan
    log_in(page, live_server.url, language, "selma")
    page.locator(f'a[href="/{language}/portal/plans/{plan.pk}/"]').first.click()
    page.get_by_role("button", name=approve).click()
    expect(page.get_by_role("status")).to_contain_text(thanks)
    plan.refresh_from_db()
    assert plan.client_approved_on == TODAY


CONSENT_WORDS = {
    "fi": {
        "for": "Mihin se on?",
        "kela": "Kela",
        "soc": "Sosiaalitoimi",
        "data": "Hakemukset ja päätökset",
        "give": "Anna suostumus",
        "given": "Suostumuksesi on voimassa",
        "revoke": "Peru tämä suostumus",
        "revoked": "Suostumuksesi on peruttu",
        "benefit": "Sairauspäiväraha",
    },
    "sv": {
        "for": "Vad är det till för?",
        "kela": "FPA",
        "soc": "Socialväsendet",
        "data": "Ansökningar och beslut",
        "give": "Ge samtycket",
        "given": "Ditt samtycke gäller",
        "revoke": "Återkalla detta samtycke",
        "revoked": "Ditt samtycke är återkallat",
        "benefit": "Sjukdagpenning",
    },
}


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_a_revoked_consent_takes_the_workers_access_at_once(
    page: Page, live_server, person_with_a_plan, language
):
    words = CONSENT_WORDS[language]
    person, counsellor, _plan = person_with_a_plan
    benefits.record_application(person, "SICKNESS_ALLOWANCE", TODAY - timedelta(days=5))
    base = live_server.url
    log_in(page, base, language, "selma")
    page.goto(f"{base}/{language}/portal/consents/")
    page.get_by_label(words["for"]).select_option("KELA_CONTACT")
    page.get_by_label(words["kela"], exact=True).check()
    page.get_by_label(words["soc"], exact=True).check()
    page.get_by_label(words["data"]).check()
    page.get_by_role("button", name=words["give"]).click()
    expect(page.get_by_role("status")).to_contain_text(words["given"])
    log_out(page)

    log_in(page, base, language, counsellor.user.username)
    page.goto(f"{base}/{language}/workspace/clients/{person.pk}/")
    application = page.get_by_text(re.compile(rf"^{words['benefit']}: "))
    expect(application).to_be_visible()
    log_out(page)

    log_in(page, base, language, "selma")
    page.goto(f"{base}/{language}/portal/consents/")
    page.get_by_role("button", name=words["revoke"]).click()
    expect(page.get_by_role("status")).to_contain_text(words["revoked"])
    log_out(page)

    log_in(page, base, language, counsellor.user.username)
    page.goto(f"{base}/{language}/workspace/clients/{person.pk}/")
    expect(page.get_by_text(words["benefit"])).to_have_count(0)


@pytest.mark.parametrize(
    ("language", "basis", "own_visit"),
    [
        ("fi", "Peruste: olet heidän asiakkaansa.", "Luki omaa sivuaan"),
        ("sv", "Grund: du är deras klient.", "Läste sin egen sida"),
    ],
)
def test_the_client_reads_who_has_seen_their_data(
    page: Page, live_server, person_with_a_plan, language, basis, own_visit
):
    person, counsellor, _plan = person_with_a_plan
    base = live_server.url
    log_in(page, base, language, counsellor.user.username)
    page.goto(f"{base}/{language}/workspace/clients/{person.pk}/")
    log_out(page)
    log_in(page, base, language, "selma")
    page.goto(f"{base}/{language}/portal/access-log/")
    entries = page.locator("ul.access-log")
    expect(entries).to_contain_text("Sosiaalitoimi Turku")
    expect(entries).to_contain_text(basis)
    expect(entries).not_to_contain_text(own_visit)


ANSWER_WORDS = {
    "fi": (
        "Vastaa lisätietopyyntöön",
        "Vastauksesi",
        "Liitä tiedosto",
        "Lähetä vastaus",
        "Vastauksesi on lähetetty",
    ),
    "sv": (
        "Svara på begäran om tilläggsuppgifter",
        "Ditt svar",
        "Bifoga en fil",
        "Skicka svaret",
        "Ditt svar har skickats",
    ),
}


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_client_answers_a_request_with_an_attachment(
    page: Page, live_server, person_with_a_plan, make_organisation, make_worker, language
):
    person, _counsellor, _plan = person_with_a_plan
    kela = make_organisation("KELA")
    officer = make_worker(Role.KELA_OFFICER, kela)
    casework.open_relationship(
        person, kela, "KELA_CLIENT", TODAY - timedelta(days=30), [("KELA_CONTACT", officer)]
    )
    application = benefits.record_application(
        person,
        "SICKNESS_ALLOWANCE",
        TODAY - timedelta(days=2),
        complete=False,
        missing="Lääkärintodistus A",
    )
    link, answer, attach, send, thanks = ANSWER_WORDS[language]
    log_in(page, live_server.url, language, "selma")
    page.get_by_role("link", name=re.compile(link)).click()
    page.get_by_label(answer).fill("Todistus liitteenä.")
    page.get_by_label(re.compile(attach)).set_input_files(
        files=[
            {
                "name": "todistus.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
            }
        ]
    )
    page.get_by_role("button", name=send).click()
    expect(page.get_by_role("status")).to_contain_text(thanks)
    answered = application.information_requests.get()
    assert answered.answered_on == TODAY and person.documents.get().file_type == "application/pdf"


def _gap_between_box_and_its_words(page: Page, box) -> float:
    """Pixels from a checkbox's right edge to where its label's words begin."""
    box_edge = box.bounding_box()
    words = page.evaluate(
        """(box) => {
            const label = box.closest('label') || document.querySelector(`label[for="${box.id}"]`);
            const range = document.createRange();
            const text = [...label.childNodes].find(n => n.nodeType === 3 && n.textContent.trim());
            range.selectNodeContents(text);
            return range.getBoundingClientRect().left;
        }""",
        box.element_handle(),
    )
    return words - (box_edge["x"] + box_edge["width"])


def test_checkboxes_stand_beside_their_labels(page: Page, live_server, person_with_a_plan):
    """On the client's consent form and the worker's: the words follow the box closely."""
    person, counsellor, _plan = person_with_a_plan
    base = live_server.url
    log_in(page, base, "en", "selma")
    page.goto(f"{base}/en/portal/consents/")
    assert 0 <= _gap_between_box_and_its_words(page, page.get_by_label("Kela", exact=True)) < 16
    log_out(page)
    log_in(page, base, "en", counsellor.user.username)
    page.goto(f"{base}/en/workspace/clients/{person.pk}/consents/new/")
    box = page.locator("input[type=checkbox][value=KELA]")
    assert 0 <= _gap_between_box_and_its_words(page, box) < 16


@pytest.mark.parametrize(
    ("language", "link", "change", "when", "send", "thanks", "on_start_page"),
    [
        (
            "fi",
            "Kerro muutoksesta elämässäsi",
            "Työ tai opinnot alkavat",
            "Mistä päivästä alkaen?",
            "Lähetä työntekijöilleni",
            "Työntekijäsi näkevät muutoksen",
            "Asiakas ilmoitti muutoksesta",
        ),
        (
            "sv",
            "Berätta om en förändring i ditt liv",
            "Arbete eller studier börjar",
            "Från vilken dag?",
            "Skicka till mina handläggare",
            "Dina handläggare ser förändringen",
            "Klienten meddelade en förändring",
        ),
    ],
)
def test_the_client_reports_a_change_and_the_worker_sees_it_on_the_start_page(
    page: Page,
    live_server,
    person_with_a_plan,
    language,
    link,
    change,
    when,
    send,
    thanks,
    on_start_page,
):
    person, counsellor, _plan = person_with_a_plan
    base = live_server.url
    starts = TODAY + timedelta(days=7)
    log_in(page, base, language, "selma")
    page.get_by_role("link", name=re.compile(link)).click()
    page.get_by_label(change).check()
    page.get_by_label(when).fill(f"{starts.day}.{starts.month}.{starts.year}")
    page.get_by_role("button", name=send).click()
    expect(page.get_by_role("status")).to_contain_text(thanks)
    log_out(page)

    log_in(page, base, language, counsellor.user.username)
    page.goto(f"{base}/{language}/workspace/")
    row = page.locator("table.worklist tr", has_text=on_start_page)
    expect(row).to_contain_text(person.last_name)
    expect(row).to_contain_text(f"{starts.day}.{starts.month}.{starts.year}")


def test_a_worker_records_the_clients_approval_given_by_phone(
    page: Page, live_server, person_with_a_plan
):
    """A client without online banking credentials approves by phone; the worker records
    it with the channel and the client's confirmation, and the history says so."""
    person, counsellor, plan = person_with_a_plan
    base = live_server.url
    log_in(page, base, "fi", counsellor.user.username)
    page.goto(f"{base}/fi/workspace/clients/{person.pk}/")
    page.get_by_role("link", name="Kirjaa asiakkaan hyväksyntä").click()
    page.get_by_label("Miten asiakas kertoi sinulle").select_option("PHONE")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.locator(".error-summary")).to_be_visible()
    page.get_by_label("Asiakas antoi tai vahvisti tämän itse").check()
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("status")).to_contain_text("Asiakkaan hyväksyntä on kirjattu")
    expect(page.locator("ol.timeline")).to_contain_text(
        "kirjasi sen asiakkaan puolesta (puhelin, asiakas vahvisti sen)"
    )
    plan.refresh_from_db()
    assert plan.client_approved_on == TODAY
