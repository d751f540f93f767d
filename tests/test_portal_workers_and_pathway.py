"""The client's own page says how to reach each worker and whom to contact while the
worker is away, and where the client is on each pathway map, what comes next and when
(issue 11, "my workers" and "my pathway")."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from kaveri.access import staff
from kaveri.access.roles import Role
from kaveri.casework import actions as casework
from kaveri.rules.violations import RuleViolation
from tests.conftest import PASSWORD, login

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 30)


@pytest.fixture
def served(settings, make_organisation, make_worker, make_client):
    settings.KAVERI_TODAY = TODAY
    soc = make_organisation("SOC")
    soc.phone, soc.service_hours = "09 000 0100", "9.00–15.00"
    soc.save()
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, soc, first_name="Outi", last_name="Ohjaaja")
    counsellor.phone = "040 900 0001"
    counsellor.save()
    colleague = make_worker(Role.SOCIAL_COUNSELLOR, soc, first_name="Sanna", last_name="Sijainen")
    colleague.phone = "040 900 0002"
    colleague.save()
    person = make_client()
    person.user = get_user_model().objects.create_user("asiakas-yhteys", password=PASSWORD)
    person.save()
    casework.open_relationship(
        person, soc, "SOC_CLIENT", date(2026, 10, 1), [("OWN_WORKER", counsellor)]
    )
    return person, counsellor, colleague


def test_the_client_sees_how_to_reach_their_worker_and_the_organisation(client, served):
    person, *_workers = served
    login(client, person.user)
    page = client.get("/en/portal/").content.decode()
    assert "Outi Ohjaaja" in page and 'href="tel:0409000001"' in page
    assert "If you cannot reach your worker, call" in page and "09 000 0100" in page
    assert "(9.00–15.00)" in page
    assert "Away until" not in page


def test_an_absent_worker_names_a_deputy_and_the_client_sees_whom_to_contact(client, served):
    person, counsellor, colleague = served
    login(client, counsellor.user)
    form = client.get("/en/workspace/absence/").content.decode()
    assert "Sanna Sijainen" in form and "Outi Ohjaaja" not in form.split("<select")[1]
    saved = client.post(
        "/en/workspace/absence/", {"away_until": "2026-12-18", "deputy": colleague.pk}
    )
    assert saved.status_code == 302, saved.content.decode()
    start = client.get("/en/workspace/").content.decode()
    assert "Your clients see that you are away until 18.12.2026" in start
    client.logout()
    login(client, person.user)
    page = client.get("/en/portal/").content.decode()
    assert "Away until 18.12.2026." in page
    assert "Meanwhile, contact Sanna Sijainen" in page and "040 900 0002" in page


def test_when_the_deputy_is_away_too_the_client_is_sent_to_the_organisation(client, served):
    person, counsellor, colleague = served
    staff.set_absence(counsellor, date(2026, 12, 18), colleague, TODAY)
    colleague.away_until = date(2026, 12, 31)
    colleague.save()
    login(client, person.user)
    page = client.get("/en/portal/").content.decode()
    assert "Meanwhile, call" in page and "09 000 0100" in page
    assert "Meanwhile, contact Sanna Sijainen" not in page


def test_an_absence_in_the_past_or_a_deputy_elsewhere_is_refused(
    served, make_organisation, make_worker
):
    _person, counsellor, _colleague = served
    stranger = make_worker(Role.EMPLOYMENT_OFFICIAL, make_organisation("EMP"))
    with pytest.raises(RuleViolation, match="already past"):
        staff.set_absence(counsellor, date(2026, 11, 1), None, TODAY)
    with pytest.raises(RuleViolation, match="colleague of your own organisation"):
        staff.set_absence(counsellor, date(2026, 12, 18), stranger, TODAY)
    with pytest.raises(RuleViolation, match="colleague of your own organisation"):
        staff.set_absence(counsellor, date(2026, 12, 18), counsellor, TODAY)
    counsellor.refresh_from_db()
    assert (counsellor.away_until, counsellor.deputy) == (None, None)


def test_the_client_sees_where_they_are_on_the_map_and_what_comes_next(client, served):
    person, *_workers = served
    login(client, person.user)
    page = client.get("/en/portal/").content.decode()
    assert "Where I am now" in page
    assert 'aria-current="step"' in page
    here = page.split('aria-current="step" class="here">')[1].split("<")[0]
    assert f"You are now at: <strong>{here}</strong>." in page
    assert "Next: " in page


def test_a_late_decision_says_so_and_whom_to_ask(client, served, make_organisation):
    from kaveri.benefits import actions as benefits

    person, *_workers = served
    application = benefits.record_application(person, "SICKNESS_ALLOWANCE", date(2026, 9, 1))
    assert application.expected_decision_on < TODAY
    login(client, person.user)
    page = client.get("/en/portal/").content.decode()
    expected = application.expected_decision_on
    assert (
        f"the decision is late: it was expected by {expected.day}.{expected.month}.{expected.year}."
        " Ask Kela what it waits for." in page
    )
