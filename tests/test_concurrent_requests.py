"""Two people saving the same thing at the same moment, over HTTP against a running
server (its own threads and database connections): one wins, the other is told, and
nothing is lost or written twice. Two imports of the same file at once end as one."""

import io
import json
import threading
import urllib.error
import urllib.request
from datetime import date

import pytest
from django.db import connection

from kaveri.access.roles import Role
from kaveri.access.tokens import create_token
from kaveri.benefits import actions as benefits
from kaveri.benefits.models import Application
from kaveri.casework import actions as casework
from kaveri.demo.generator import generate
from kaveri.exchange.importer import import_document
from kaveri.exchange.records import write_export
from kaveri.people.models import Client
from kaveri.plans import actions as plan_actions
from kaveri.plans.actions import MeasureInput
from kaveri.plans.models import Plan
from kaveri.transitions.models import StateChange

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 3


def at_once(*calls) -> list:
    """Run the calls in threads released together; their results, in the calls' order."""
    results, start = [None] * len(calls), threading.Barrier(len(calls))

    def run(index, call):
        try:
            start.wait()
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def post_json(url: str, key: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={
            "Authorization": f"Bearer {key}",
            "Content-Type": "application/json",
            "Accept-Language": "en",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_two_officers_deciding_one_application_at_once_one_wins(
    live_server, make_organisation, make_worker, make_client
):
    kela = make_organisation("KELA")
    officers = [make_worker(Role.KELA_OFFICER, kela) for _ in range(2)]
    keys = [create_token(officer.user, "race")[1] for officer in officers]
    person = make_client()
    casework.open_relationship(
        person, kela, "KELA_CLIENT", date(2026, 3, 2), [("KELA_CONTACT", officers[0])]
    )
    for _round in range(ROUNDS):
        application = benefits.record_application(
            person, "SICKNESS_ALLOWANCE", date(2026, 3, 2), deciding_organisation=kela
        )
        url = f"{live_server.url}/api/v1/applications/{application.pk}/decision"
        bodies = [
            {"decided_on": "2026-03-20", "outcome": outcome, "row_version": 0}
            | ({"granted_until": "2026-09-01"} if outcome == "GRANTED" else {})
            for outcome in ("GRANTED", "DENIED")
        ]
        answers = at_once(
            *(lambda u=url, k=k, b=b: post_json(u, k, b) for k, b in zip(keys, bodies, strict=True))
        )
        statuses = sorted(status for status, _ in answers)
        assert statuses == [200, 409], answers
        winner = next(
            body for (status, _), body in zip(answers, bodies, strict=True) if status == 200
        )
        refused = next(answer for status, answer in answers if status == 409)
        assert "decided" in refused["detail"] or "changed" in refused["detail"]
        stored = Application.objects.get(pk=application.pk)
        assert stored.outcome == winner["outcome"]
        decisions = StateChange.objects.filter(
            entity="benefits.Application", entity_id=application.pk, from_state="PENDING"
        )
        assert decisions.count() == 1


def test_two_counsellors_revising_one_plan_at_once_one_wins(
    live_server, make_organisation, make_worker, make_client
):
    soc, emp = make_organisation("SOC"), make_organisation("EMP")
    counsellors = [make_worker(Role.SOCIAL_COUNSELLOR, soc) for _ in range(2)]
    keys = [create_token(counsellor.user, "race")[1] for counsellor in counsellors]
    person = make_client()
    day = date(2026, 3, 2)
    relationship = casework.open_relationship(
        person, soc, "SOC_CLIENT", day, [("OWN_WORKER", counsellors[0])], pathway="P3"
    )
    plan = plan_actions.make_plan(
        person,
        "ACTIVATION_PLAN",
        "A1",
        relationship,
        [soc, emp],
        day,
        6,
        [MeasureInput("REHABILITATIVE_WORK_ACTIVITY", "SOC")],
    )
    url = f"{live_server.url}/api/v1/plans/{plan.pk}/revisions"
    bodies = [
        {
            "made_on": "2026-04-01",
            "review_months": months,
            "measures": [{"measure": "REHABILITATIVE_WORK_ACTIVITY"}],
            "summary": f"review every {months} months",
            "row_version": plan.row_version,
        }
        for months in (3, 6)
    ]
    answers = at_once(
        *(lambda k=k, b=b: post_json(url, k, b) for k, b in zip(keys, bodies, strict=True))
    )
    assert sorted(status for status, _ in answers) == [201, 409], answers
    winner = next(body for (status, _), body in zip(answers, bodies, strict=True) if status == 201)
    current = Plan.objects.get(client=person, is_current=True)
    assert current.summary == winner["summary"]
    assert Plan.objects.filter(client=person).count() == 2


def test_two_imports_of_one_file_at_once_end_as_one(rules, tmp_path):
    generate(rules, 12, date(2026, 11, 27))
    stream = io.StringIO()
    write_export(stream)
    document = json.loads(stream.getvalue())
    exported = stream.getvalue()
    for client in Client.objects.all():
        client.delete()

    results = at_once(lambda: import_document(document), lambda: import_document(document))
    assert sorted((r.created, r.unchanged) for r in results) == [(0, 12), (12, 0)], results
    assert Client.objects.count() == 12
    again = io.StringIO()
    write_export(again)
    assert json.loads(again.getvalue()) == json.loads(exported)
