"""Issue 8, trust that holds under attack: each attack as it was made, and what stops it now.

The audit chain's attacks are in test_audit_chain.py, test_audit_concurrency.py and
test_app_role.py; the rest are here."""

import io
import json
import os
import stat
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from kaveri.access.actions import Action
from kaveri.access.models import AuditEvent
from kaveri.access.roles import Role
from kaveri.benefits.models import Application
from kaveri.casework.models import ClientRelationship
from kaveri.consent.models import Consent
from kaveri.demo.generator import generate
from kaveri.exchange.records import write_export
from kaveri.people.models import Client
from kaveri.services.models import Participation
from kaveri.transitions.models import StateChange
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(rules):
    generate(rules, 30, date(2026, 11, 27))


def exported() -> dict:
    stream = io.StringIO()
    write_export(stream)
    return json.loads(stream.getvalue())


def a_client_with_history(data: dict) -> dict:
    return next(c for c in data["clients"] if c["relationships"] and c["service_episodes"])


# --- 1. A worker granted themselves another authority's data ----------------------------------


@pytest.fixture
def kela_data(make_organisation, make_worker, make_client, open_relationship, rules):
    """A social counsellor and a Kela officer serve one client; Kela holds an application."""
    soc, kela = make_organisation("SOC"), make_organisation("KELA")
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, soc)
    officer = make_worker(Role.KELA_OFFICER, kela)
    person = make_client()
    open_relationship(person, soc)
    open_relationship(person, kela, kind="KELA_CLIENT")
    Application.objects.create(
        client=person,
        benefit="REHABILITATION_SUBSIDY",
        deciding_organisation=kela,
        submitted_on=date(2026, 10, 1),
        ruleset_version=rules.version,
    )
    return counsellor, officer, person


def consent_fields(valid_from: date, method: str = "IN_PERSON") -> dict:
    return {
        "purpose": "KELA_CONTACT",
        "data_categories": ["BENEFITS"],
        "authorities": ["SOC", "KELA"],
        "valid_from": valid_from.isoformat(),
        "method": method,
        "confirmed": "on",
    }


def test_a_backdated_consent_is_refused_on_the_page_and_in_the_api(client, kela_data):
    counsellor, _officer, person = kela_data
    login(client, counsellor)
    backdated = consent_fields(date(2020, 1, 1))
    page = client.post(reverse("workspace:consent_new", args=[person.pk]), backdated)
    assert page.status_code == 422
    assert "no earlier than the day it is recorded" in page.content.decode()
    api = client.post(
        f"/api/v1/clients/{person.pk}/consents", backdated, content_type="application/json"
    )
    assert api.status_code == 422 and "valid_from" in str(api.json())
    assert not Consent.objects.exists()
    assert "Rehabilitation subsidy" not in client.get(client_page(person)).content.decode()


def test_a_worker_cannot_record_a_consent_as_given_in_the_portal(client, kela_data):
    counsellor, _officer, person = kela_data
    login(client, counsellor)
    api = client.post(
        f"/api/v1/clients/{person.pk}/consents",
        consent_fields(timezone.localdate(), method="PORTAL"),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert api.status_code == 422 and "Only the client" in str(api.json())
    assert not Consent.objects.exists()


def client_page(person) -> str:
    return reverse("workspace:client", args=[person.pk])


def test_the_owner_sees_a_consent_at_once_and_a_dispute_stops_it(client, kela_data, settings):
    counsellor, officer, person = kela_data
    settings.MEDIA_ROOT = str(settings.VAR_DIR / "test-media")
    login(client, counsellor)
    today = timezone.localdate()
    client.post(reverse("workspace:consent_new", args=[person.pk]), consent_fields(today))
    consent = Consent.objects.get(client=person)
    assert consent.recorded_without_form
    shown = client.get(client_page(person)).content.decode()
    assert "Rehabilitation subsidy" in shown and "without a signed form" in shown

    client.logout()
    login(client, officer)  # Kela, whose data it opens, sees it on the start page
    start = client.get(reverse("workspace:clients")).content.decode()
    assert "New consents that name your authority" in start and "without a signed form" in start
    dispute_url = reverse("workspace:consent_dispute", args=[consent.pk])
    assert client.post(dispute_url, {"reason": ""}).status_code == 422
    response = client.post(
        dispute_url,
        {"reason": "The client says they never signed this.", "row_version": consent.row_version},
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.state == "DISPUTED" and consent.disputed_by == officer
    assert StateChange.objects.filter(entity_id=consent.pk, to_state="DISPUTED").exists()

    client.logout()
    login(client, counsellor)
    assert "Rehabilitation subsidy" not in client.get(client_page(person)).content.decode()
    form = SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    attach = client.post(
        reverse("workspace:consent_attach_form", args=[consent.pk]),
        {"signed_form": form, "row_version": consent.row_version},
    )
    assert attach.status_code == 302, attach.content.decode()[-800:]
    consent.refresh_from_db()
    assert consent.state == "GIVEN" and consent.given_by_the_client
    assert stat.S_IMODE(os.stat(consent.signed_form.path).st_mode) == 0o600
    shown = client.get(client_page(person)).content.decode()
    assert "Rehabilitation subsidy" in shown
    assert "Shown under a consent recorded without a signed form" not in shown
    download = client.get(reverse("workspace:consent_signed_form", args=[person.pk, consent.pk]))
    assert download.status_code == 200
    assert AuditEvent.objects.filter(action=Action.CONSENT_FORM_VIEW, client=person).exists()


# --- 4. An import silently replaced a person --------------------------------------------------


def test_an_import_that_differs_is_refused_field_by_field_and_changes_nothing(
    region, tmp_path, capsys
):
    data = exported()
    record = a_client_with_history(data)
    before = (Client.objects.get(hetu=record["hetu"]).last_name, ClientRelationship.objects.count())
    record["last_name"] = "Toinen"
    record["relationships"] = record["relationships"][:-1]
    path = tmp_path / "other.json"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", str(path))
    errors = capsys.readouterr().err
    assert "last_name: Kaveri holds" in errors and "'Toinen'" in errors and "--update" in errors
    assert "relationships: Kaveri holds" in errors and "deletes nothing" in errors
    after = (Client.objects.get(hetu=record["hetu"]).last_name, ClientRelationship.objects.count())
    assert after == before


def test_update_alone_never_deletes(region, tmp_path):
    data = exported()
    record = a_client_with_history(data)
    record["service_episodes"] = []
    path = tmp_path / "fewer.json"
    path.write_text(json.dumps(data))
    participation = Participation.objects.count()
    with pytest.raises(CommandError):
        call_command("import", str(path), "--update", stderr=io.StringIO())
    assert Participation.objects.count() == participation


def test_delete_missing_lists_and_audits_every_deletion(region, tmp_path):
    data = exported()
    record = a_client_with_history(data)
    person = Client.objects.get(hetu=record["hetu"])
    relationships = set(person.relationships.values_list("pk", flat=True))
    record["relationships"] = record["relationships"][:1]
    path = tmp_path / "replace.json"
    path.write_text(json.dumps(data))
    out = io.StringIO()
    call_command("import", str(path), "--update", "--delete-missing", stdout=out)
    text = out.getvalue()
    for pk in relationships:
        assert f"deleted client relationship #{pk}" in text
    audited = AuditEvent.objects.filter(client=person, action=Action.CONSOLE_IMPORT_DELETE)
    assert {f"kaveri import deleted clientrelationship #{pk}" for pk in relationships} <= set(
        audited.values_list("basis", flat=True)
    )
    assert all(e.username.startswith("console:") for e in audited)


# --- 2. Console commands that read or write client data are audited --------------------------


def test_export_and_import_write_audit_events(region, tmp_path):
    path = tmp_path / "all.json"
    call_command("export", "--output", str(path), stderr=io.StringIO())
    exported_events = AuditEvent.objects.filter(action=Action.CONSOLE_EXPORT)
    assert exported_events.values("client").distinct().count() == Client.objects.count()
    data = json.loads(path.read_text())
    newcomer = {"hetu": "010594Y9032", "first_names": "Uusi", "last_name": "Tulija"}
    path.write_text(json.dumps(data | {"clients": [newcomer]}))
    call_command("import", str(path), stdout=io.StringIO())
    new = Client.objects.get(hetu="010594Y9032")
    assert AuditEvent.objects.filter(client=new, action=Action.CONSOLE_IMPORT).exists()


def test_subject_access_at_the_console_is_audited(region, tmp_path):
    person = Client.objects.first()
    call_command("gdpr", "export", str(person.pk), "--output", str(tmp_path / "p.json"))
    event = AuditEvent.objects.get(client=person, action=Action.CONSOLE_SUBJECT_ACCESS)
    assert event.method == "CLI" and event.username.startswith("console:")


# --- 8. Small doors -----------------------------------------------------------------------------


def test_export_files_are_readable_by_their_owner_only(region, tmp_path):
    old_umask = os.umask(0o022)
    try:
        everyone_could_read = tmp_path / "old.json"
        everyone_could_read.write_text("{}")
        everyone_could_read.chmod(0o644)
        call_command("export", "--output", str(everyone_could_read), stderr=io.StringIO())
        person = Client.objects.first()
        gdpr = tmp_path / "person.json"
        call_command("gdpr", "export", str(person.pk), "--output", str(gdpr))
    finally:
        os.umask(old_umask)
    for path in (everyone_could_read, gdpr):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


# --- 7. Enumeration ---------------------------------------------------------------------------


@pytest.fixture
def two_organisations(make_organisation, make_worker, make_client, open_relationship):
    mine, theirs = make_organisation("SOC"), make_organisation("SOC")
    worker = make_worker(Role.SOCIAL_COUNSELLOR, mine)
    own = make_client(last_name="Omainen")
    other = make_client(last_name="Omavarainen")
    open_relationship(own, mine)
    open_relationship(other, theirs)
    return worker, own, other


def test_an_empty_or_one_letter_search_finds_no_one(client, two_organisations):
    worker, _own, _other = two_organisations
    login(client, worker)
    for query in ("", " ", "O"):
        page = client.post(reverse("workspace:search"), {"query": query})
        assert page.status_code == 200 and "Omainen" not in page.content.decode()
        api = client.post(
            "/api/v1/search/clients", {"query": query}, content_type="application/json"
        )
        assert api.status_code == 200 and api.json() == []


def test_a_name_finds_only_the_organisations_clients_and_a_code_finds_anyone(
    client, two_organisations
):
    worker, own, other = two_organisations
    login(client, worker)
    page = client.post(reverse("workspace:search"), {"query": "Omai"}).content.decode()
    assert "Omainen" in page
    names = client.post(reverse("workspace:search"), {"query": "Oma"}).content.decode()
    assert "Omainen" in names and "Omavarainen" not in names
    api = client.post("/api/v1/search/clients", {"query": "Oma"}, content_type="application/json")
    assert [hit["id"] for hit in api.json()] == [own.pk]
    exact = client.post(
        "/api/v1/search/clients", {"query": other.hetu}, content_type="application/json"
    )
    assert [hit["id"] for hit in exact.json()] == [other.pk]
    assert AuditEvent.objects.filter(client=other, action=Action.CLIENT_SEARCH).exists()


def test_missing_and_forbidden_records_answer_alike(client, two_organisations):
    worker, _own, other = two_organisations
    login(client, worker)
    for path in ("/api/v1/clients/{}", "/api/v1/clients/{}/records", "/api/v1/clients/{}/consents"):
        hidden = client.get(path.format(other.pk))
        missing = client.get(path.format(other.pk + 10_000))
        assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json()), path
        assert hidden.status_code == 404


# --- 8. Small doors ------------------------------------------------------------------------------


def test_one_address_cannot_try_a_password_against_many_usernames(
    client, settings, make_worker, make_organisation
):
    settings.AXES_ENABLED = True
    settings.KAVERI_LOGIN_ADDRESS_LIMIT = 6
    organisation = make_organisation("SOC")
    victims = [make_worker(Role.SOCIAL_COUNSELLOR, organisation) for _ in range(4)]
    statuses = []
    for victim in victims:  # two tries per username: under the per-username limit
        for _ in range(2):
            statuses.append(
                client.post(
                    "/en/login/", {"username": victim.user.username, "password": "Kesä2026!"}
                ).status_code
            )
    assert 429 in statuses and statuses.index(429) == settings.KAVERI_LOGIN_ADDRESS_LIMIT
    fresh = make_worker(Role.SOCIAL_COUNSELLOR, organisation)
    right = client.post(
        "/en/login/", {"username": fresh.user.username, "password": "test-password-123"}
    )
    assert right.status_code == 429  # the address is locked out for every username


def test_a_token_prefix_beginning_with_a_dash_can_be_revoked(make_worker, make_organisation):
    from kaveri.access.models import ApiToken
    from kaveri.access.tokens import hash_key, new_key

    worker = make_worker(Role.SOCIAL_COUNSELLOR, make_organisation("SOC"))
    token = ApiToken.objects.create(
        user=worker.user, name="old", prefix="-Ab3dEf9", key_hash=hash_key("kav_-Ab3dEf9x")
    )
    out = io.StringIO()
    call_command("token", "revoke", "--prefix=-Ab3dEf9", stdout=out)
    token.refresh_from_db()
    assert token.revoked_at is not None and "revoked" in out.getvalue()
    assert all(new_key()[4] not in "-_" for _ in range(200))


def test_the_embedded_database_is_readable_by_its_owner_only(tmp_path):
    from kaveri.settings import private_sqlite_file

    old_umask = os.umask(0o022)
    try:
        fresh = private_sqlite_file(tmp_path / "var" / "new.sqlite3")
        existing = tmp_path / "old.sqlite3"
        existing.write_bytes(b"")
        existing.chmod(0o644)
        private_sqlite_file(existing)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    assert stat.S_IMODE(existing.stat().st_mode) == 0o600


def test_a_name_search_lists_names_in_order_whatever_their_case(
    make_organisation, make_client, open_relationship
):
    """The search orders by the upper-case names its trigram indexes hold (a name written
    in small letters sorts among the others), and on PostgreSQL those indexes exist."""
    mine = make_organisation("SOC")
    for last, first in [("Ojanen", "Ulla"), ("af Ojanen", "Eva"), ("ojala", "Pekka")]:
        open_relationship(make_client(last_name=last, first_names=first), mine)
    found = [c.last_name for c in Client.objects.matching("oja", mine)]
    assert found == ["ojala", "Ojanen"]  # 'af Ojanen' starts with 'af'
    by_first_name = Client.objects.matching("ev", mine)
    assert [c.last_name for c in by_first_name] == ["af Ojanen"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'people_client'")
            names = {row[0] for row in cursor.fetchall()}
            assert {"client_last_name_trgm", "client_first_names_trgm"} <= names
