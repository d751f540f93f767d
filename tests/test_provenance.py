"""Provenance that tells the truth (issue 10, item 12): a record made in Kaveri says so;
a source system is recorded only for what was imported from it."""

from datetime import date

import pytest

from kaveri.access.roles import Role
from kaveri.casework import actions as casework
from kaveri.consent.models import Consent

pytestmark = pytest.mark.django_db


def test_a_typ_relationship_opened_in_kaveri_is_not_stamped_as_from_typpi(
    make_organisation, make_worker, make_client
):
    typ = make_organisation("TYP")
    pair_emp = make_worker(Role.TYP_PAIR_MEMBER, typ)
    pair_soc = make_worker(Role.TYP_PAIR_MEMBER, typ)
    pair_emp.home_authority, pair_soc.home_authority = "EMP", "SOC"
    pair_emp.save()
    pair_soc.save()
    person = make_client()
    Consent.objects.create(
        client=person,
        purpose="TYP_WORK",
        data_categories=["BASIC"],
        authorities=["TYP", "EMP", "SOC"],
        valid_from=date(2026, 3, 2),
        method="IN_PERSON",
    )
    contact = casework.record_contact(person, typ, date(2026, 3, 2), "REFERRAL_KELA", "PHONE")
    relationship = casework.open_relationship(
        person,
        typ,
        "TYP_CLIENT",
        date(2026, 3, 2),
        [("WORK_PAIR_EMPLOYMENT", pair_emp), ("WORK_PAIR_SOCIAL", pair_soc)],
        contact=contact,
    )
    assert relationship.source_system == "KAVERI"


def test_records_made_here_say_kaveri_and_an_import_keeps_its_source(
    tmp_path, make_organisation, make_worker, make_client
):
    """Plans, episodes, assessments, participation and consents carry provenance; an
    export and import round trip keeps it."""
    import io
    import json

    from django.core.management import call_command

    from kaveri.exchange.records import iter_records
    from kaveri.people.models import Client
    from kaveri.plans import actions as plans
    from kaveri.plans.actions import MeasureInput
    from kaveri.services import actions as services

    soc, emp, place = (
        make_organisation("SOC"),
        make_organisation("EMP"),
        make_organisation("PROVIDER"),
    )
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, soc)
    make_worker(Role.EMPLOYMENT_OFFICIAL, emp)
    person = make_client()
    relationship = casework.open_relationship(
        person, soc, "SOC_CLIENT", date(2026, 3, 2), [("OWN_WORKER", counsellor)]
    )
    casework.record_assessment(relationship, date(2026, 3, 3), counsellor, "", [], [])
    casework.register_job_seeker(person, emp, date(2026, 3, 2))
    plans.make_plan(
        person,
        "ACTIVATION_PLAN",
        "A1",
        relationship,
        [soc, emp],
        date(2026, 3, 4),
        6,
        [MeasureInput("REHABILITATIVE_WORK_ACTIVITY", "SOC")],
    )
    episode = services.decide_service(
        person,
        "REHABILITATIVE_WORK_ACTIVITY",
        soc,
        date(2026, 3, 5),
        date(2026, 3, 9),
        date(2026, 6, 8),
        days_per_week=3,
        hours_per_day=4,
        provider=place,
    )
    services.record_participation(episode, date(2026, 3, 9), True, today=date(2026, 3, 10))
    Consent.objects.create(
        client=person,
        purpose="TYP_WORK",
        data_categories=["BASIC"],
        authorities=["SOC", "EMP"],
        valid_from=date(2026, 3, 2),
        method="IN_PERSON",
    )
    made_here = [
        person.assessments.get(),
        person.plans.get(),
        person.service_episodes.get(),
        episode.participation.get(),
        person.consents.get(),
        relationship,
    ]
    assert {record.source_system for record in made_here} == {"KAVERI"}

    [exported] = [r for r in iter_records() if r["hetu"] == person.hetu]
    exported["plans"][0]["source_system"] = "EFFICA"
    exported["service_episodes"][0]["participation"][0]["source_system"] = "EFFICA"
    exported["consents"][0]["source_system"] = "EFFICA"
    person.delete()
    path = tmp_path / "in.json"
    path.write_text(
        json.dumps(
            {"format": "kaveri-client-records", "format_version": 1, "clients": [exported]},
            default=str,
        )
    )
    call_command("import", str(path), stdout=io.StringIO())
    back = Client.objects.get(hetu=exported["hetu"])
    assert back.plans.get().source_system == "EFFICA"
    assert back.service_episodes.get().participation.get().source_system == "EFFICA"
    assert back.consents.get().source_system == "EFFICA"
    assert back.assessments.get().source_system == "KAVERI"
