"""The Kela side of the network (issue 10, item 7): a client's own contact with Kela (A5)
opens the Kela relationship without a pathway; an authority's contact (A6, step 1) needs
the client's consent naming Kela and that authority."""

from datetime import date

import pytest
from django.urls import reverse

from kaveri.access.roles import Role
from kaveri.casework import actions as casework
from kaveri.casework.models import ClientRelationship
from kaveri.consent import actions as consent_actions
from kaveri.consent.models import Consent, DataRequest
from kaveri.rules.violations import RuleViolation
from tests.conftest import login

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 2)


@pytest.fixture
def kela(make_organisation, make_worker, make_client):
    office = make_organisation("KELA")
    return office, make_organisation("SOC"), make_worker(Role.KELA_OFFICER, office), make_client()


def test_a_clients_own_contact_opens_the_kela_relationship_without_a_pathway(kela):
    office, _soc, officer, person = kela
    contact = casework.record_contact(person, office, DAY, "CLIENT", "PHONE")
    relationship = casework.open_relationship(
        person, office, "KELA_CLIENT", DAY, [("KELA_CONTACT", officer)], contact=contact
    )
    assert (relationship.kind, relationship.pathway) == ("KELA_CLIENT", "")


def test_an_authoritys_contact_with_kela_needs_the_clients_consent(kela):
    office, soc, officer, person = kela
    contact = casework.record_contact(person, office, DAY, "AUTHORITY", "PHONE", referred_by=soc)
    with pytest.raises(RuleViolation) as refused:
        casework.open_relationship(
            person, office, "KELA_CLIENT", DAY, [("KELA_CONTACT", officer)], contact=contact
        )
    assert refused.value.check == "consent_for_the_contact"
    assert "Kela" in refused.value.message and "Social welfare office" in refused.value.message
    assert not person.relationships.exists()

    Consent.objects.create(
        client=person,
        purpose="KELA_CONTACT",
        data_categories=["BASIC"],
        authorities=["KELA", "SOC"],
        valid_from=DAY,
        method="IN_PERSON",
    )
    opened = casework.open_relationship(
        person, office, "KELA_CLIENT", DAY, [("KELA_CONTACT", officer)], contact=contact
    )
    assert opened.kind == "KELA_CLIENT"


# --- requests between authorities (A2 step 3) ---


@pytest.fixture
def typ_case(make_organisation, make_worker, make_client):
    typ, office, health = (make_organisation(a) for a in ("TYP", "KELA", "HEALTH"))
    pair = make_worker(Role.TYP_PAIR_MEMBER, typ)
    officer = make_worker(Role.KELA_OFFICER, office)
    person = make_client()
    for org, kind in ((typ, "TYP_CLIENT"), (office, "KELA_CLIENT")):
        ClientRelationship.objects.create(
            client=person, organisation=org, kind=kind, opened_on=DAY, ruleset_version="fi-2026.1"
        )
    return typ, office, health, pair, officer, person


def give_consent(person, authorities, categories, valid_from=DAY):
    return Consent.objects.create(
        client=person,
        purpose="TYP_WORK",
        data_categories=categories,
        authorities=authorities,
        valid_from=valid_from,
        method="IN_PERSON",
    )


def test_the_typ_pair_asks_kela_under_a_consent_that_covers_it(typ_case):
    typ, _office, _health, pair, officer, person = typ_case
    with pytest.raises(RuleViolation) as refused:
        consent_actions.request_from_authority(person, typ, "KELA_INFORMATION", DAY)
    assert refused.value.check == "consent_covers_the_request"
    assert "Applications and decisions" in refused.value.message

    give_consent(person, ["TYP", "KELA"], ["BASIC"])  # names both, but not the benefits
    with pytest.raises(RuleViolation):
        consent_actions.request_from_authority(person, typ, "KELA_INFORMATION", DAY)

    covering = give_consent(person, ["TYP", "KELA", "EMP"], ["BASIC", "BENEFITS"])
    asked = consent_actions.request_from_authority(
        person, typ, "KELA_INFORMATION", DAY, "Pending applications", by=pair
    )
    assert (asked.to_authority, asked.due_on, asked.consent) == (
        "KELA",
        date(2026, 3, 16),
        covering,
    )
    answered = consent_actions.answer_data_request(
        asked, date(2026, 3, 10), "Rehabilitation subsidy pending", by=officer
    )
    assert (answered.state, answered.answered_on) == ("ANSWERED", date(2026, 3, 10))


def test_health_information_needs_a_consent_for_health_data(typ_case):
    typ, _office, _health, _pair, _officer, person = typ_case
    give_consent(person, ["TYP", "KELA", "EMP", "SOC"], ["BASIC", "BENEFITS", "PLANS"])
    with pytest.raises(RuleViolation) as refused:
        consent_actions.request_from_authority(person, typ, "HEALTH_INFORMATION", DAY)
    assert "Health information (a special category)" in refused.value.message
    give_consent(person, ["TYP", "HEALTH"], ["HEALTH"])
    asked = consent_actions.request_from_authority(person, typ, "HEALTH_INFORMATION", DAY)
    assert asked.to_authority == "HEALTH"


def test_requests_on_the_client_page_and_in_the_api(client, typ_case):
    _typ, _office, _health, pair, officer, person = typ_case
    give_consent(person, ["TYP", "KELA"], ["BASIC", "BENEFITS"])
    login(client, pair)
    made = client.post(
        f"/api/v1/clients/{person.pk}/data-requests",
        {"kind": "KELA_INFORMATION", "requested_on": "2026-03-02", "what": "Decisions"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["due_on"], body["state"]) == ("2026-03-16", "OPEN")
    page = client.get(f"/en/workspace/clients/{person.pk}/").content.decode()
    assert "asked Kela on 2.3.2026: Kela&#x27;s information" in page
    assert "answer due 16.3.2026" in page
    # Only Kela answers a request made to Kela.
    assert (
        client.post(
            f"/api/v1/data-requests/{body['id']}/answer",
            {"answered_on": "2026-03-05"},
            content_type="application/json",
        ).status_code
        == 403
    )
    login(client, officer)
    page = client.get(reverse("workspace:client", args=[person.pk])).content.decode()
    assert reverse("workspace:data_request_answer", args=[body["id"]]) in page
    response = client.post(
        reverse("workspace:data_request_answer", args=[body["id"]]),
        {"answered_on": "2026-03-05", "answer": "Two decisions sent", "row_version": 0},
    )
    assert response.status_code == 302
    assert DataRequest.objects.get().answer == "Two decisions sent"


# --- the employment authority's statements (item 8) ---


@pytest.mark.parametrize(
    ("day", "version", "giver"),
    [
        (date(2024, 6, 3), "fi-2024.1", "TE office or municipal employment trial"),
        (DAY, "fi-2026.1", "Employment services"),
    ],
)
def test_the_labour_policy_statement_goes_to_the_benefits_decider(
    make_organisation, make_client, day, version, giver
):
    from kaveri.benefits import actions as benefits
    from kaveri.rules.registry import rules_of

    emp, kela = make_organisation("EMP"), make_organisation("KELA")
    person = make_client()
    with pytest.raises(RuleViolation) as refused:
        benefits.give_statement(
            person, kela, "LABOUR_POLICY_STATEMENT", "LABOUR_MARKET_SUBSIDY", day
        )
    assert refused.value.message == f"Labour policy statement is given by {giver}."
    with pytest.raises(RuleViolation) as refused:
        benefits.give_statement(person, emp, "LABOUR_POLICY_STATEMENT", "SICKNESS_ALLOWANCE", day)
    assert refused.value.check == "statement_for_benefit"
    statement = benefits.give_statement(
        person, emp, "LABOUR_POLICY_STATEMENT", "EARNINGS_RELATED_ALLOWANCE", day, "No obstacle"
    )
    assert (statement.goes_to, statement.ruleset_version) == ("UNEMPLOYMENT_FUND", version)
    assert rules_of(version).label("authority", "EMP", "en") == giver


def test_statements_through_the_page_and_the_api(
    client, make_organisation, make_worker, make_client
):
    emp = make_organisation("EMP")
    official = make_worker(Role.EMPLOYMENT_OFFICIAL, emp)
    person = make_client()
    ClientRelationship.objects.create(
        client=person,
        organisation=emp,
        kind="EMP_CLIENT",
        opened_on=DAY,
        ruleset_version="fi-2026.1",
    )
    login(client, official)
    made = client.post(
        f"/api/v1/clients/{person.pk}/statements",
        {
            "kind": "LABOUR_POLICY_STATEMENT",
            "benefit": "LABOUR_MARKET_SUBSIDY",
            "given_on": "2026-03-02",
        },
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["goes_to"] == "KELA"
    page = client.get(f"/en/workspace/clients/{person.pk}/").content.decode()
    assert "Labour policy statement (Labour market subsidy): given 2.3.2026 by" in page
    assert "goes to Kela" in page


def test_a_request_waits_on_the_watch_until_it_is_answered(typ_case):
    from kaveri.watch.explain import explain
    from kaveri.watch.models import Deadline

    typ, _office, _health, _pair, officer, person = typ_case
    give_consent(person, ["TYP", "KELA"], ["BASIC", "BENEFITS"])
    asked = consent_actions.request_from_authority(person, typ, "KELA_INFORMATION", DAY)
    due = Deadline.objects.get(client=person, kind="DATA_REQUEST_ANSWER")
    assert (due.due_on, due.authority, sorted(due.owners)) == (
        date(2026, 3, 16),
        "KELA",
        ["KELA", "TYP"],
    )
    assert explain(due, language="en") == (
        "Multisectoral joint service promoting employment (TYP) asked on 2.3.2026 for "
        "Kela's information (benefits and applications); "
        "the answer from Kela is due by 16.3.2026."
    )
    consent_actions.answer_data_request(asked, date(2026, 3, 9), by=officer)
    assert not Deadline.objects.filter(client=person, kind="DATA_REQUEST_ANSWER").exists()
