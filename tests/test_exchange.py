"""Import and export of whole client records: all-or-nothing, idempotent, round trip."""

import copy
import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kaveri.casework.models import ClientRelationship
from kaveri.demo.generator import generate
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


def test_round_trip_gives_the_same_data(region, tmp_path):
    before = export_text()
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


def test_a_changed_record_replaces_the_old_one(region, tmp_path):
    data = json.loads(export_text())
    record = next(c for c in data["clients"] if c["plans"])
    record["last_name"] = "Muutettu"
    path = tmp_path / "records.json"
    path.write_text(json.dumps(data))
    out = io.StringIO()
    call_command("import", str(path), stdout=out)
    assert "0 new, 1 updated, 39 unchanged" in out.getvalue()
    assert Client.objects.get(hetu=record["hetu"]).last_name == "Muutettu"


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
    path.write_text(export_text())
    for client in Client.objects.all():
        client.delete()
    call_command("import", str(path), stdout=io.StringIO())
    assert sorted(Plan.objects.values_list("series", "version", "is_current")) == series_versions
