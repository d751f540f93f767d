"""Forms offer only what fits the worker's process and state the allowed range in words
(issue 11): a social counsellor is not asked about TYP consent or a work pair; a plan form
says "3–12 months" instead of sending the worker to the pathways page."""

from datetime import date

import pytest

from kaveri.access.roles import Role
from kaveri.casework import actions as casework
from tests.conftest import activation_plan, login

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 30)


@pytest.fixture
def today(settings):
    settings.KAVERI_TODAY = TODAY


def test_a_social_counsellor_is_not_offered_the_typ_fields(
    client, today, make_organisation, make_worker, make_client
):
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, make_organisation("SOC"))
    login(client, counsellor)
    page = client.get(f"/en/workspace/clients/{make_client().pk}/open-case/").content.decode()
    assert 'name="kind"' in page and 'name="worker"' in page
    for typ_field in ("consent_method", "consent_until", "consent_form", "second_worker"):
        assert f'name="{typ_field}"' not in page, typ_field


def test_a_typ_pair_is_asked_for_the_consent_and_the_second_worker(
    client, today, make_organisation, make_worker, make_client
):
    pair = make_worker(Role.TYP_PAIR_MEMBER, make_organisation("TYP"))
    login(client, pair)
    page = client.get(f"/en/workspace/clients/{make_client().pk}/open-case/").content.decode()
    for typ_field in ("consent_method", "consent_until", "consent_form", "second_worker"):
        assert f'name="{typ_field}"' in page, typ_field


def test_the_counsellor_opens_a_case_without_the_typ_fields(
    client, today, make_organisation, make_worker, make_client
):
    soc = make_organisation("SOC")
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, soc)
    person = make_client()
    login(client, counsellor)
    opened = client.post(
        f"/en/workspace/clients/{person.pk}/open-case/",
        {
            "occurred_on": "30.11.2026",
            "initiator": "CLIENT",
            "channel": "PHONE",
            "kind": "SOC_CLIENT",
            "worker": counsellor.pk,
        },
    )
    assert opened.status_code == 302, opened.content.decode()
    assert person.relationships.get().organisation == soc


def test_the_plan_form_offers_the_plans_of_the_process_and_states_the_allowed_range(
    client, today, make_organisation, make_worker, make_client
):
    soc = make_organisation("SOC")
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, soc)
    person = make_client()
    casework.open_relationship(
        person, soc, "SOC_CLIENT", date(2026, 10, 1), [("OWN_WORKER", counsellor)]
    )
    login(client, counsellor)
    page = client.get(f"/en/workspace/clients/{person.pk}/plans/new/").content.decode()
    assert 'value="ACTIVATION_PLAN"' in page and 'value="EMPLOYMENT_PLAN"' not in page
    assert "pathways page" not in page
    assert "The rules allow: Activation plan 3–12 months" in page


def test_the_review_form_states_the_range_of_the_plan_at_hand(
    client, today, make_organisation, make_worker, make_client
):
    soc, emp = make_organisation("SOC"), make_organisation("EMP")
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, soc)
    person = make_client()
    plan = activation_plan(person, counsellor, [soc, emp])
    login(client, counsellor)
    page = client.get(f"/en/workspace/plans/{plan.pk}/review/").content.decode()
    assert "The rules allow 3–12 months." in page
