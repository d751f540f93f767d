"""Import and export of whole client records: all-or-nothing, idempotent, round trip."""

import copy
import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kaveri.access.models import Organisation
from kaveri.access.planner import BULK_LOAD_CLIENTS
from kaveri.casework.models import ClientRelationship
from kaveri.demo.generator import generate
from kaveri.exchange.records import write_export
from kaveri.people.models import Client
from kaveri.plans.models import Plan

pytestmark = pytest.mark.django_db


def export_text() -> str:
    out = io.StringIO()
    call_command("export", stdout=out)
    return out.getvalue()


@pytest.fixture
def region(rules):
    generate(rules, 40, date(2026, 11, 27))


def test_export_is_the_documented_format(region):
    data = json.loads(export_text())
    assert data["format"] == "kaveri-client-records" and data["format_version"] == 1
    assert len(data["clients"]) == 40
    assert any(c["service_episodes"] for c in data["clients"])
    statements = [s for c in data["clients"] for s in c["employment_statements"]]
    assert statements and all(s["goes_to"] == "KELA" for s in statements)


def test_round_trip_gives_the_same_data(region, tmp_path):
    """Into an empty Kaveri: read without the export command, whose audit events would keep
    the clients from being deleted (an access log outlives nothing it names)."""
    stream = io.StringIO()
    write_export(stream)
    before = stream.getvalue()
    path = tmp_path / "records.json"
    path.write_text(before)
    for client in Client.objects.all():
        client.delete()
    assert Client.objects.count() == 0
    call_command("import", str(path), stdout=io.StringIO())
    assert json.loads(export_text()) == json.loads(before)


def test_importing_the_same_file_twice_changes_nothing(region, tmp_path):
    path = tmp_path / "records.json"
    path.write_text(export_text())
    ids = sorted(ClientRelationship.objects.values_list("pk", flat=True))
    out = io.StringIO()
    call_command("import", str(path), stdout=out)
    assert "0 new, 0 updated, 40 unchanged" in out.getvalue()
    assert sorted(ClientRelationship.objects.values_list("pk", flat=True)) == ids


def test_a_changed_name_is_taken_with_update_and_the_records_stay(region, tmp_path):
    data = json.loads(export_text())
    record = next(c for c in data["clients"] if c["plans"])
    record["last_name"] = "Muutettu"
    path = tmp_path / "records.json"
    path.write_text(json.dumps(data))
    plans = sorted(Plan.objects.values_list("pk", flat=True))
    out = io.StringIO()
    call_command("import", str(path), "--update", stdout=out)
    assert "0 new, 1 updated, 39 unchanged, 0 records deleted" in out.getvalue()
    assert Client.objects.get(hetu=record["hetu"]).last_name == "Muutettu"
    assert sorted(Plan.objects.values_list("pk", flat=True)) == plans


def test_one_bad_record_writes_nothing_and_every_error_is_named(region, tmp_path, capsys):
    data = json.loads(export_text())
    good = copy.deepcopy(data["clients"][0])
    good["hetu"] = "010594Y9032"
    bad = copy.deepcopy(data["clients"][1])
    bad["hetu"] = "010594Y9033"
    bad["relationships"][0]["kind"] = "NO_SUCH_KIND"
    bad["relationships"][0]["organisation"] = "Nowhere"
    data["clients"] = [good, bad]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", str(path))
    errors = capsys.readouterr().err
    assert "clients[1].hetu: The check character does not match" in errors
    assert "clients[1].relationships[0].kind: unknown relationship kind 'NO_SUCH_KIND'" in errors
    assert "clients[1].relationships[0].organisation: no organisation 'Nowhere'" in errors
    assert not Client.objects.filter(hetu="010594Y9032").exists()


def test_shape_errors_name_the_record_and_field(tmp_path, capsys, db):
    path = tmp_path / "shape.json"
    path.write_text(
        json.dumps(
            {
                "format": "kaveri-client-records",
                "format_version": 1,
                "clients": [
                    {
                        "hetu": "010594Y9032",
                        "first_names": "A",
                        "last_name": "B",
                        "plans": [{"version": 0}],
                    }
                ],
            }
        )
    )
    with pytest.raises(CommandError):
        call_command("import", str(path))
    errors = capsys.readouterr().err
    assert "clients[0].plans[0].version" in errors and "clients[0].plans[0].series" in errors


def test_not_json_is_a_clear_error(tmp_path, db):
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON at line 1"):
        call_command("import", str(path))


def test_plan_versions_survive_the_round_trip(region, tmp_path):
    series_versions = sorted(Plan.objects.values_list("series", "version", "is_current"))
    path = tmp_path / "r.json"
    with path.open("w") as stream:
        write_export(stream)
    for client in Client.objects.all():
        client.delete()
    call_command("import", str(path), stdout=io.StringIO())
    assert sorted(Plan.objects.values_list("series", "version", "is_current")) == series_versions


# --- the import runs the same named checks as the pages (defect 2 of the sound-core issue) ---


@pytest.fixture
def places(make_organisation, make_worker):
    from kaveri.access.roles import Role

    orgs = {a: make_organisation(a, f"{a} office") for a in ("SOC", "EMP", "TYP", "PROVIDER")}
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, orgs["SOC"])
    first = make_worker(Role.TYP_PAIR_MEMBER, orgs["TYP"])
    second = make_worker(Role.TYP_PAIR_MEMBER, orgs["TYP"])
    for worker in (first, second):
        worker.home_authority = "SOC"
        worker.save()
    return orgs, counsellor, (first, second)


def rwa_record(counsellor, **episode) -> dict:
    """A client in rehabilitative work activity, as a file would bring them in."""
    return {
        "hetu": "010594Y9032",
        "first_names": "Tuoma",
        "last_name": "Tuotu",
        "relationships": [
            {
                "organisation": "SOC office",
                "kind": "SOC_CLIENT",
                "pathway": "P3",
                "opened_on": "2026-01-05",
                "ruleset_version": "fi-2026.1",
                "named_workers": [
                    {
                        "worker": counsellor.user.username,
                        "role": "OWN_WORKER",
                        "from_date": "2026-01-05",
                    }
                ],
            }
        ],
        "job_seeker_registrations": [{"organisation": "EMP office", "registered_on": "2026-01-06"}],
        "plans": [
            {
                "series": "6f1c2b4e-8d1a-4c1e-9a51-0b2f3c4d5e6f",
                "version": 1,
                "is_current": True,
                "plan_type": "ACTIVATION_PLAN",
                "process": "A1",
                "made_on": "2026-01-10",
                "review_interval": "6M",
                "next_review_on": "2026-07-10",
                "ruleset_version": "fi-2026.1",
                "parties": ["SOC office", "EMP office"],
                "measures": [
                    {"measure": "REHABILITATIVE_WORK_ACTIVITY", "responsible_authority": "SOC"}
                ],
            }
        ],
        "service_episodes": [
            {
                "key": "e0",
                "service": "REHABILITATIVE_WORK_ACTIVITY",
                "decided_by": "SOC office",
                "provider": "PROVIDER office",
                "decision_on": "2026-01-12",
                "starts_on": "2026-01-19",
                "ends_on": "2026-04-18",
                "days_per_week": 2,
                "hours_per_day": "4",
                "ruleset_version": "fi-2026.1",
            }
            | episode
        ],
    }


def import_errors(tmp_path, capsys, *clients) -> str:
    path = tmp_path / "in.json"
    path.write_text(
        json.dumps({"format": "kaveri-client-records", "format_version": 1, "clients": clients})
    )
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", str(path))
    assert not Client.objects.exists()
    return capsys.readouterr().err


def test_a_valid_record_imports(places, tmp_path):
    _orgs, counsellor, _pair = places
    path = tmp_path / "in.json"
    document = {"format": "kaveri-client-records", "format_version": 1}
    path.write_text(json.dumps(document | {"clients": [rwa_record(counsellor)]}))
    call_command("import", str(path), stdout=io.StringIO())
    assert Client.objects.get().service_episodes.get().days_per_week == 2


@pytest.mark.parametrize(
    ("episode", "field", "message"),
    [
        ({"days_per_week": 5}, "days_per_week", "Rehabilitative work activity: at most 4 days"),
        ({"ends_on": "2028-02-18"}, "ends_on", "A decision on this service covers 3–24 months"),
        ({"hours_per_day": "1000000"}, "hours_per_day", "Input should be less than or equal to 24"),
        ({"decided_by": "EMP office"}, "service", "Rehabilitative work activity is granted by SOC"),
    ],
)
def test_the_import_refuses_what_the_pages_refuse(
    places, tmp_path, capsys, episode, field, message
):
    _orgs, counsellor, _pair = places
    errors = import_errors(tmp_path, capsys, rwa_record(counsellor, **episode))
    assert f"clients[0].service_episodes[0].{field}: {message}" in errors


def test_the_import_refuses_work_activity_without_an_activation_plan(places, tmp_path, capsys):
    _orgs, counsellor, _pair = places
    record = rwa_record(counsellor)
    record["plans"] = []
    errors = import_errors(tmp_path, capsys, record)
    assert "clients[0].service_episodes[0].service: Make the activation plan" in errors


def test_the_import_refuses_a_typ_relationship_without_consent_or_pair(places, tmp_path, capsys):
    _orgs, _counsellor, (first, second) = places
    record = {
        "hetu": "010594Y9032",
        "first_names": "T",
        "last_name": "Y",
        "relationships": [
            {
                "organisation": "TYP office",
                "kind": "TYP_CLIENT",
                "opened_on": "2026-01-05",
                "ruleset_version": "fi-2026.1",
                "named_workers": [
                    {
                        "worker": w.user.username,
                        "role": "WORK_PAIR_SOCIAL",
                        "from_date": "2026-01-05",
                    }
                    for w in (first, second)
                ],
            }
        ],
    }
    errors = import_errors(tmp_path, capsys, record)
    assert "clients[0].relationships[0].consent: Record the client's consent to TYP work" in errors
    record["consents"] = [
        {
            "purpose": "TYP_WORK",
            "data_categories": ["BASIC"],
            "authorities": ["TYP", "SOC"],
            "valid_from": "2026-01-05",
            "method": "IN_PERSON",
        }
    ]
    errors = import_errors(tmp_path, capsys, record)
    assert "clients[0].relationships[0].workers: Name 1 to 1 workers as" in errors


def test_a_plan_series_that_is_not_a_uuid_names_the_field(places, tmp_path, capsys):
    _orgs, counsellor, _pair = places
    record = rwa_record(counsellor)
    record["plans"][0]["series"] = "not-a-uuid"
    errors = import_errors(tmp_path, capsys, record)
    assert "clients[0].plans[0].series: Input should be a valid UUID" in errors


def test_a_historical_record_is_said_so_and_shows_it(places, tmp_path, client):
    _orgs, counsellor, _pair = places
    record = rwa_record(
        counsellor, days_per_week=5, historical="Decided in 2019 in Effica before the 4-day rule"
    )
    path = tmp_path / "in.json"
    path.write_text(
        json.dumps({"format": "kaveri-client-records", "format_version": 1, "clients": [record]})
    )
    call_command("import", str(path), stdout=io.StringIO())
    episode = Client.objects.get().service_episodes.get()
    assert episode.imported_as_history.startswith("Decided in 2019")
    assert "at most 4 days a calendar week by law" in episode.refused_by_rules
    from tests.conftest import login

    login(client, counsellor)
    page = client.get(f"/en/workspace/clients/{episode.client_id}/").content.decode()
    assert "Imported as history" in page and "Decided in 2019 in Effica" in page


def test_replacing_a_record_with_requests_and_statements_keeps_them(region, tmp_path):
    """--delete-missing deletes a client's records, requests between authorities (which
    hold on to their consent) and statements first, and writes the file's back."""
    data = json.loads(export_text())
    record = next(c for c in data["clients"] if c["data_requests"] and c["relationships"])
    record["employment_statements"].append(
        {
            "kind": "LABOUR_POLICY_STATEMENT",
            "benefit": "LABOUR_MARKET_SUBSIDY",
            "given_on": "2026-10-01",
            "given_by": next(
                o.name for o in Organisation.objects.filter(authority="EMP").order_by("pk")
            ),
            "goes_to": "KELA",
            "content": "Oikeus työmarkkinatukeen",
            "ruleset_version": "fi-2026.1",
            "source_system": "URA",
        }
    )
    record["relationships"][-1]["source_system"] = "EFFICA"
    path = tmp_path / "replace.json"
    path.write_text(json.dumps(data))
    call_command("import", str(path), "--update", "--delete-missing", stdout=io.StringIO())
    after = next(c for c in json.loads(export_text())["clients"] if c["hetu"] == record["hetu"])
    assert after["data_requests"] == record["data_requests"]
    assert after["employment_statements"] == record["employment_statements"]


def test_a_reported_change_moves_with_the_record_and_an_unknown_one_is_refused(region, tmp_path):
    data = json.loads(export_text())
    record = next(c for c in data["clients"] if c["relationships"])
    change = {
        "kind": "MOVING",
        "starts_on": "2026-12-01",
        "details": "Muutan Turkuun",
        "reported_on": "2026-11-20",
        "told": ["SOC"],
        "channel": "PHONE",
        "client_confirmed": True,
        "ruleset_version": "fi-2026.1",
    }
    record["situation_changes"] = [change]
    path = tmp_path / "changes.json"
    path.write_text(json.dumps(data))
    refusal = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", str(path), stdout=io.StringIO(), stderr=refusal)
    assert "situation_changes: Kaveri holds 0 record(s) that differ" in refusal.getvalue()
    call_command("import", str(path), "--update", "--delete-missing", stdout=io.StringIO())
    after = next(c for c in json.loads(export_text())["clients"] if c["hetu"] == record["hetu"])
    assert after["situation_changes"] == [change]
    record["situation_changes"] = [change | {"kind": "LOTTERY_WIN"}]
    path.write_text(json.dumps(data))
    refusal = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import",
            str(path),
            "--update",
            "--delete-missing",
            stdout=io.StringIO(),
            stderr=refusal,
        )
    assert "unknown situation change 'LOTTERY_WIN'" in refusal.getvalue()


def test_a_bulk_import_refreshes_the_planner_statistics(rules, tmp_path, monkeypatch):
    """Without fresh statistics SQLite's planner took 56 s for a start page at 100,000."""
    import importlib

    command = importlib.import_module("kaveri.exchange.management.commands.import")
    refreshed = []
    monkeypatch.setattr(command, "refresh_planner_statistics", lambda: refreshed.append(1))
    generate(rules, BULK_LOAD_CLIENTS, date(2026, 11, 27))
    path = tmp_path / "records.json"
    stream = io.StringIO()
    write_export(stream)
    path.write_text(stream.getvalue())
    call_command("import", str(path), stdout=io.StringIO())
    assert refreshed == []  # nothing new was written
    for client in Client.objects.all():
        client.delete()
    call_command("import", str(path), stdout=io.StringIO())
    assert refreshed == [1]
