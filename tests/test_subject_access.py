"""Subject access: all data held on a client, from the console and the API, audited."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kaveri.access.models import AuditEvent
from kaveri.access.roles import Role
from kaveri.demo.generator import generate
from kaveri.people.models import Client
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich_client(rules):
    from datetime import date

    generate(rules, 5, date(2026, 11, 27))
    return Client.objects.order_by("pk").first()  # the demo's first client walks pathway P3


def test_console_export_holds_every_kind_of_record(rich_client, capsys):
    call_command("gdpr", "export", str(rich_client.pk))
    data = json.loads(capsys.readouterr().out)
    assert data["client"]["hetu"] == rich_client.hetu
    for section in (
        "relationships",
        "named_workers",
        "plans",
        "measures",
        "service_episodes",
        "applications",
        "consents",
    ):
        assert data[section], section
    event = AuditEvent.objects.get(client=rich_client, action="console.subject_access")
    assert event.username.startswith("console:") and event.method == "CLI"


def test_console_export_reads_the_identity_code_from_stdin(rich_client, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(rich_client.hetu + "\n"))
    call_command("gdpr", "export", "--hetu-stdin")
    assert json.loads(capsys.readouterr().out)["client"]["id"] == rich_client.pk


def test_unknown_client_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No client with id 999999"):
        call_command("gdpr", "export", "999999")


def test_api_export_for_administrators_only(
    client, rich_client, django_user_model, make_worker, make_organisation
):
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, make_organisation("SOC"))
    login(client, counsellor)
    assert client.get(f"/api/v1/clients/{rich_client.pk}/export").status_code == 403
    client.logout()
    admin = django_user_model.objects.create_superuser("dpo", password="test-password-123")
    login(client, admin)
    response = client.get(f"/api/v1/clients/{rich_client.pk}/export")
    assert response.status_code == 200 and response.json()["plans"]
    assert AuditEvent.objects.filter(client=rich_client, username="dpo").exists()


def test_client_downloads_own_data(client, rich_client):
    from kaveri.demo.region import DEMO_PASSWORD

    assert client.login(username=rich_client.user.username, password=DEMO_PASSWORD)
    data = client.get("/api/v1/me/data").json()
    assert data["client"]["id"] == rich_client.pk and data["access_log"]
