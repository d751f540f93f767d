"""The main journeys of the workers, clicked through in a real browser."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from kaveri.access.roles import Role
from kaveri.demo.identity import synthetic_hetu
from kaveri.rules.durations import add_months
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True)]
TODAY = timezone.localdate()


def iso(day) -> str:
    return day.isoformat()


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/en/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name=re.compile("Log out"))).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name=re.compile("Log out")).click()


def save(page: Page) -> None:
    page.get_by_role("button", name="Save").click()


def find_and_open_case(page: Page, base: str, hetu: str) -> None:
    page.goto(f"{base}/en/workspace/search/")
    page.get_by_label("Name or personal identity code").fill(hetu)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Record a contact").click()


@pytest.fixture
def network(make_organisation, make_worker):
    orgs = {
        a: make_organisation(a, name=f"{a} Turku")
        for a in ("SOC", "EMP", "TYP", "KELA", "PROVIDER")
    }
    workers = {
        "counsellor": make_worker(Role.SOCIAL_COUNSELLOR, orgs["SOC"]),
        "official": make_worker(Role.EMPLOYMENT_OFFICIAL, orgs["EMP"]),
        "pair_emp": make_worker(Role.TYP_PAIR_MEMBER, orgs["TYP"]),
        "pair_soc": make_worker(Role.TYP_PAIR_MEMBER, orgs["TYP"]),
    }
    for key, home in (("pair_emp", "EMP"), ("pair_soc", "SOC")):
        workers[key].home_authority = home
        workers[key].save()
    return orgs, workers


def test_social_counsellor_takes_a_client_to_rehabilitative_work_and_closure(
    page: Page, live_server, network
):
    _orgs, workers = network
    base = live_server.url
    hetu = synthetic_hetu(1_400_000)
    counsellor, official = workers["counsellor"].user.username, workers["official"].user.username

    log_in(page, base, counsellor)
    page.goto(f"{base}/en/workspace/search/")
    page.get_by_label("Name or personal identity code").fill(hetu)
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("No client found.")).to_be_visible()
    assert hetu not in page.url
    page.get_by_role("link", name="Register a new client").first.click()
    page.get_by_label("Personal identity code").fill(hetu)
    page.get_by_label("First names").fill("Selma")
    page.get_by_label("Last name").fill("Selain")
    page.get_by_label("Municipality").fill("Turku")
    save(page)

    page.get_by_label("Date of contact").fill(iso(TODAY - timedelta(days=60)))
    page.get_by_label("Who made contact").select_option(label="The client")
    page.get_by_label("Channel").select_option(label="In person")
    page.get_by_label("Client relationship", exact=True).select_option(
        label="Social welfare client relationship"
    )
    page.get_by_label("Pathway").select_option(label="Rehabilitative work activity")
    page.get_by_label("Named worker").select_option(label=counsellor)
    save(page)
    expect(page.get_by_role("heading", name="Selma Selain")).to_be_visible()

    page.get_by_role("link", name="Assessment").click()
    page.get_by_label("Date").fill(iso(TODAY - timedelta(days=55)))
    page.get_by_label("Findings").fill("Wants a daily rhythm and a path to work.")
    page.get_by_label("Rehabilitative work activity").check()
    save(page)
    log_out(page)

    log_in(page, base, official)
    find_and_open_case(page, base, hetu)
    page.get_by_label("Who made contact").select_option(label="The client")
    page.get_by_label("Client relationship", exact=True).select_option(
        label="Employment services client relationship"
    )
    page.get_by_label("Named worker").select_option(label=official)
    save(page)
    page.get_by_role("link", name="Record a job seeker registration").click()
    page.get_by_label("Registered on").fill(iso(TODAY - timedelta(days=50)))
    save(page)
    log_out(page)

    log_in(page, base, counsellor)
    find_and_open_case(page, base, hetu)
    page.get_by_role("link", name="← Selma Selain").click()
    page.get_by_role("link", name="Make a plan").click()
    page.get_by_label("Plan", exact=True).select_option(label="Activation plan")
    page.get_by_label("Made on").fill(iso(TODAY - timedelta(days=45)))
    page.get_by_label("Review every (months)").fill("6")
    page.get_by_label("SOC Turku").check()
    page.get_by_label("EMP Turku").check()
    page.get_by_label("Rehabilitative work activity").check()
    save(page)
    expect(page.get_by_text(re.compile("Activation plan \\(version 1\\)"))).to_be_visible()

    starts = TODAY - timedelta(days=35)
    page.get_by_role("link", name="Decide on a service").click()
    page.get_by_label("Service").select_option(label="Rehabilitative work activity")
    page.get_by_label("Starts on").fill(iso(starts))
    page.get_by_label("Ends on").fill(iso(add_months(starts, 3) - timedelta(days=1)))
    page.get_by_label("Days a week").fill("5")
    page.get_by_label("Hours a day").fill("4")
    page.get_by_label("Place").select_option(label="PROVIDER Turku")
    save(page)
    expect(
        page.get_by_text(
            "Rehabilitative work activity: at most 4 days a calendar week by law; 5 was given."
        )
    ).to_be_visible()
    page.get_by_label("Days a week").fill("3")
    save(page)
    expect(page.get_by_text("Step 5: Participates in rehabilitative work activity")).to_be_visible()

    page.get_by_role("link", name="Record participation").click()
    page.get_by_label("Day", exact=True).fill(iso(starts))
    save(page)
    page.get_by_role("link", name="End the service", exact=True).click()
    page.get_by_label("Ended on").fill(iso(TODAY - timedelta(days=1)))
    page.get_by_label("Reason").select_option(label="The client was employed")
    save(page)
    page.get_by_role("link", name="Close the client relationship", exact=True).click()
    page.get_by_label("Reason").select_option(label="The client was employed")
    save(page)
    expect(page.get_by_role("heading", name="My clients: what is due")).to_be_visible()


def test_typ_pair_from_referral_to_final_assessment(page: Page, live_server, network):
    _orgs, workers = network
    base = live_server.url
    pair_emp, pair_soc = workers["pair_emp"].user.username, workers["pair_soc"].user.username
    from kaveri.people.models import Client

    person = Client.objects.create(
        hetu=synthetic_hetu(1_400_001), first_names="Topi", last_name="Typpi"
    )
    log_in(page, base, pair_emp)
    find_and_open_case(page, base, person.hetu)
    page.get_by_label("Date of contact").fill(iso(TODAY - timedelta(days=200)))
    page.get_by_label("Who made contact").select_option(label="Referral from Kela")
    page.get_by_label("Channel").select_option(label="Secure e-mail")
    page.get_by_label("Named worker").select_option(label=pair_emp)
    page.get_by_label("Second worker of the pair").select_option(label=pair_soc)
    save(page)
    expect(page.get_by_text("consent to TYP work first")).to_be_visible()
    page.get_by_label("TYP: how the client gave consent to TYP work").select_option(
        label="In writing"
    )
    save(page)
    expect(page.get_by_text("Work pair member from social welfare")).to_be_visible()

    page.get_by_role("link", name="Assessment").click()
    page.get_by_label("Date").fill(iso(TODAY - timedelta(days=190)))
    page.get_by_label("Findings").fill("Ready for a work trial.")
    save(page)
    page.get_by_role("link", name="Make a plan").click()
    page.get_by_label("Plan", exact=True).select_option(label="Multisectoral employment plan")
    page.get_by_label("Made on").fill(iso(TODAY - timedelta(days=185)))
    page.get_by_label("Review every (months)").fill("3")
    for name in ("TYP Turku", "EMP Turku", "SOC Turku", "KELA Turku"):
        page.get_by_label(name).check()
    page.get_by_label("Work trial").check()
    save(page)
    page.get_by_role("link", name="Review the plan").click()
    page.get_by_label("Made on").fill(iso(TODAY - timedelta(days=95)))
    page.get_by_label("Job search").check()
    save(page)
    expect(
        page.get_by_text(re.compile("Multisectoral employment plan \\(version 2\\)"))
    ).to_be_visible()

    page.get_by_role("link", name="Close the client relationship", exact=True).click()
    page.get_by_label("Reason").select_option(label="The client was employed")
    save(page)
    expect(page.get_by_text("Record the final assessment")).to_be_visible()
    page.get_by_role("link", name=re.compile("Topi Typpi")).click()
    page.get_by_role("link", name="Assessment").click()
    page.get_by_label("Findings").fill("Employed with a wage subsidy.")
    page.get_by_label("Final assessment (TYP)").check()
    save(page)
    page.get_by_role("link", name="Feedback").click()
    page.get_by_label("The client's feedback (if given)").fill("The pair was easy to reach.")
    save(page)
    page.get_by_role("link", name="Close the client relationship", exact=True).click()
    page.get_by_label("Reason").select_option(label="The client was employed")
    save(page)
    expect(page.get_by_role("heading", name="My clients: what is due")).to_be_visible()
