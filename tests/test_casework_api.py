"""The casework operations through the API: same checks, 422 with a message per field."""

from datetime import date

import pytest

from kaveri.access.roles import Role
from kaveri.demo.identity import synthetic_hetu
from kaveri.people.models import Client
from kaveri.services.models import ServiceEpisode
from tests.conftest import login

pytestmark = pytest.mark.django_db


def post(client, url, body, status):
    response = client.post(
        f"/api/v1{url}", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == status, response.content.decode()
    return response.json()


def test_rehabilitative_work_activity_through_the_api(client, make_organisation, make_worker):
    soc, emp, place = (make_organisation(a) for a in ("SOC", "EMP", "PROVIDER"))
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, soc)
    official = make_worker(Role.EMPLOYMENT_OFFICIAL, emp)
    person = Client.objects.create(
        hetu=synthetic_hetu(1_300_000), first_names="Api", last_name="Asiakas"
    )

    login(client, counsellor)
    hits = post(client, "/search/clients", {"query": person.hetu}, 200)
    assert [h["id"] for h in hits] == [person.pk]
    bad = post(
        client,
        f"/clients/{person.pk}/cases",
        {
            "occurred_on": "2026-01-05",
            "initiator": "CLIENT",
            "channel": "PHONE",
            "kind": "SOC_CLIENT",
            "workers": [],
        },
        422,
    )
    assert bad["detail"][0]["loc"] == ["body", "workers"]
    post(
        client,
        f"/clients/{person.pk}/cases",
        {
            "occurred_on": "2026-01-05",
            "initiator": "CLIENT",
            "channel": "PHONE",
            "kind": "SOC_CLIENT",
            "pathway": "P3",
            "workers": [{"worker_id": counsellor.pk, "role": "OWN_WORKER"}],
        },
        201,
    )
    client.logout()

    login(client, official)
    post(
        client,
        f"/clients/{person.pk}/cases",
        {
            "occurred_on": "2026-01-07",
            "initiator": "CLIENT",
            "channel": "ONLINE_SERVICE",
            "kind": "EMP_CLIENT",
            "workers": [{"worker_id": official.pk, "role": "RESPONSIBLE_OFFICIAL"}],
        },
        201,
    )
    post(client, f"/clients/{person.pk}/registrations", {"registered_on": "2026-01-07"}, 201)
    client.logout()

    login(client, counsellor)
    post(
        client,
        f"/clients/{person.pk}/plans",
        {
            "plan_type": "ACTIVATION_PLAN",
            "made_on": "2026-01-12",
            "review_months": 6,
            "party_ids": [soc.pk, emp.pk],
            "measures": [
                {"measure": "REHABILITATIVE_WORK_ACTIVITY", "responsible_authority": "SOC"}
            ],
        },
        201,
    )
    refused = post(
        client,
        f"/clients/{person.pk}/episodes",
        {
            "service": "REHABILITATIVE_WORK_ACTIVITY",
            "decision_on": "2026-01-14",
            "starts_on": "2026-01-19",
            "ends_on": "2026-04-18",
            "days_per_week": 2,
            "hours_per_day": "3",
            "provider_id": place.pk,
        },
        422,
    )
    assert refused["detail"][0]["loc"] == ["body", "hours_per_day"]
    created = post(
        client,
        f"/clients/{person.pk}/episodes",
        {
            "service": "REHABILITATIVE_WORK_ACTIVITY",
            "decision_on": "2026-01-14",
            "starts_on": "2026-01-19",
            "ends_on": "2026-04-18",
            "days_per_week": 2,
            "hours_per_day": "4",
            "provider_id": place.pk,
        },
        201,
    )
    episode = ServiceEpisode.objects.get(pk=created["id"])
    for day in ("2026-01-19", "2026-01-21"):
        post(client, f"/episodes/{episode.pk}/participation", {"day": day}, 201)
    report = client.get(
        f"/api/v1/episodes/{episode.pk}/report", {"start": "2026-01-01", "end": "2026-01-31"}
    ).json()
    assert report["days_attended"] == ["2026-01-19", "2026-01-21"]
    assert report["total_compensation"] == "18.00"
    assert post(
        client,
        f"/episodes/{episode.pk}/end",
        {"ended_on": "2026-03-01", "end_reason": "EMPLOYED"},
        200,
    ) == {"next_service": None}
    assert episode.end_reason == "" and ServiceEpisode.objects.get(pk=episode.pk).ended_on == date(
        2026, 3, 1
    )


def test_schema_errors_are_422_per_field(client, make_organisation, make_worker, make_client):
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, make_organisation("SOC"))
    person = make_client()
    login(client, counsellor)
    body = post(client, f"/clients/{person.pk}/cases", {"occurred_on": "not a date"}, 422)
    fields = {error["loc"][-1] for error in body["detail"]}
    assert {"occurred_on", "initiator", "kind", "workers"} <= fields


def test_an_integration_reads_what_the_pages_show(client, make_organisation, make_worker):
    """The start page's list, the client page's records with what is withheld, the access log."""
    from kaveri.casework import actions as casework
    from kaveri.consent.models import Consent

    soc, kela = make_organisation("SOC"), make_organisation("KELA")
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, soc)
    person = Client.objects.create(
        hetu=synthetic_hetu(1_300_010), first_names="Luku", last_name="Rajapinta"
    )
    casework.open_relationship(
        person, soc, "SOC_CLIENT", date(2026, 1, 5), [("OWN_WORKER", counsellor)]
    )
    casework.open_relationship(person, kela, "KELA_CLIENT", date(2026, 1, 5), [])
    login(client, counsellor)
    listed = client.get("/api/v1/workspace/clients").json()
    assert listed["count"] == 1 and listed["clients"][0]["id"] == person.pk
    records = client.get(f"/api/v1/clients/{person.pk}/records", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [r["kind"] for r in records["records"]["relationships"]] == ["SOC_CLIENT"]
    assert records["withheld"][0]["section"] == "relationships"
    assert "No consent in force" in records["withheld"][0]["reason"]
    Consent.objects.create(
        client=person,
        purpose="KELA_CONTACT",
        data_categories=["BASIC"],
        authorities=["SOC", "KELA"],
        valid_from=date(2026, 1, 5),
        method="IN_PERSON",
    )
    records = client.get(f"/api/v1/clients/{person.pk}/records").json()
    assert sorted(r["kind"] for r in records["records"]["relationships"]) == [
        "KELA_CLIENT",
        "SOC_CLIENT",
    ]
    log = client.get(f"/api/v1/clients/{person.pk}/access-log").json()
    assert log and log[0]["what"] and log[0]["who"]


def test_emergency_access_through_the_api(client, make_organisation, make_worker):
    from kaveri.access.models import AuditEvent

    soc = make_organisation("SOC")
    worker = make_worker(Role.SOCIAL_COUNSELLOR, soc)
    supervisor = make_worker(Role.SOCIAL_COUNSELLOR, soc)
    supervisor.is_supervisor = True
    supervisor.save()
    person = Client.objects.create(
        hetu=synthetic_hetu(1_300_011), first_names="Hätä", last_name="Tilanne"
    )
    login(client, worker)
    hidden = client.get(f"/api/v1/clients/{person.pk}/records")
    missing = client.get(f"/api/v1/clients/{person.pk + 1000}/records")
    assert hidden.status_code == missing.status_code == 404  # ids cannot be counted
    assert hidden.json() == missing.json()
    url = f"/clients/{person.pk}/emergency-access"
    short = post(client, url, {"reason_category": "DANGER_TO_LIFE", "reason": "urgent"}, 422)
    assert short["detail"][0]["loc"] == ["body", "reason"]
    reason = "The client is in hospital and the ward asks who their social worker is."
    opened = post(client, url, {"reason_category": "DANGER_TO_LIFE", "reason": reason}, 201)
    assert client.get(f"/api/v1/clients/{person.pk}/records").status_code == 200
    assert AuditEvent.objects.filter(client=person, basis=f"emergency:{opened['id']}").exists()
    client.logout()
    login(client, supervisor)
    pending = client.get("/api/v1/emergency-accesses").json()
    assert [p["id"] for p in pending] == [opened["id"]]
    reviewed = post(client, f"/emergency-accesses/{opened['id']}/review", {"note": "OK"}, 200)
    assert reviewed["reviewed_at"] and client.get("/api/v1/emergency-accesses").json() == []
