"""The audit log is a keyed, sealed and anchored chain: `kaveri audit verify` finds a changed,
removed or forged event, a cut-off head and a chain rebuilt without the key; the database
refuses UPDATE, DELETE and TRUNCATE."""

import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from kaveri.access import chain
from kaveri.access.chain import seal_all, seal_pending, verify_chain
from kaveri.access.models import GENESIS_HASH, AuditEvent, AuditSeal
from kaveri.access.roles import Role
from tests.conftest import login

pytestmark = pytest.mark.django_db

AUDIT_TRIGGERS = {
    "sqlite": ("audit_no_delete", "audit_only_sealed", "seal_no_delete", "seal_no_update"),
}


@pytest.fixture
def viewed_client(client, make_organisation, make_worker, make_client, open_relationship):
    organisation = make_organisation("SOC")
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, organisation)
    person = make_client()
    open_relationship(person, organisation)
    login(client, counsellor)
    return person


def view(client, person, times: int) -> None:
    for _ in range(times):
        assert client.get(reverse("workspace:client", args=[person.pk])).status_code == 200


@pytest.fixture
def sealed_log(client, viewed_client, django_capture_on_commit_callbacks):
    """Two seals, each anchored: three views, then three more."""
    for _ in range(2):
        view(client, viewed_client, 3)
        with django_capture_on_commit_callbacks(execute=True):
            seal_pending()
    return list(AuditEvent.objects.order_by("id"))


def as_attacker(sql: str, params=()) -> None:
    """Change the tables behind the application's back, as an operator who owns them would:
    with the guards switched off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE access_auditevent DISABLE TRIGGER USER")
            cursor.execute("ALTER TABLE access_auditseal DISABLE TRIGGER USER")
        else:
            for trigger in AUDIT_TRIGGERS["sqlite"]:
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        cursor.execute(sql, params)


def newest_ids(count: int) -> list[int]:
    return list(AuditEvent.objects.order_by("-id").values_list("id", flat=True)[:count])


def test_events_are_sealed_in_a_chain_and_anchored(sealed_log, audit_anchor):
    first, second = AuditSeal.objects.order_by("sequence")
    assert first.previous_digest == GENESIS_HASH and second.previous_digest == first.digest
    assert all(e.seal_id in (1, 2) and len(e.mac) == 64 for e in sealed_log)
    assert f"seal=2 digest={second.digest}" in audit_anchor.read_text().splitlines()[-1]
    result = verify_chain()
    assert (result.events, result.seals, result.unsealed, result.broken) == (
        len(sealed_log),
        2,
        0,
        None,
    )


def test_verify_command_passes_on_an_intact_log(sealed_log, capsys):
    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert f"intact: {len(sealed_log)} events, 2 seals" in out
    assert "matches the anchor" in out


def test_seal_command_seals_what_requests_left_pending(client, viewed_client, capsys):
    view(client, viewed_client, 2)
    pending = AuditEvent.objects.filter(seal__isnull=True).count()
    call_command("audit", "seal")
    assert f"Sealed {pending} events in 1 seals" in capsys.readouterr().out
    assert not AuditEvent.objects.filter(seal__isnull=True).exists()


def test_a_request_seals_when_its_process_has_not_for_a_while(
    client, viewed_client, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.KAVERI_AUDIT_SEAL_SECONDS = 0
    monkeypatch.setattr(chain, "_last_seal_attempt", 0.0)
    with django_capture_on_commit_callbacks(execute=True):
        view(client, viewed_client, 1)
    assert AuditSeal.objects.exists()
    assert not AuditEvent.objects.filter(seal__isnull=True).exists()


def test_an_altered_sealed_row_is_detected(sealed_log):
    as_attacker(
        "UPDATE access_auditevent SET username = %s WHERE id = %s",
        ["someone-else", sealed_log[1].pk],
    )
    with pytest.raises(CommandError, match=rf"event id {sealed_log[1].pk}.*content has changed"):
        call_command("audit", "verify")


def test_an_altered_unsealed_row_is_detected(client, viewed_client):
    view(client, viewed_client, 2)
    as_attacker("UPDATE access_auditevent SET basis = 'consent' WHERE id = %s", [newest_ids(1)[0]])
    assert "content has changed" in verify_chain().broken.problem


def test_deleting_the_newest_three_rows_is_detected(sealed_log):
    as_attacker(
        "DELETE FROM access_auditevent WHERE id IN (%s, %s, %s)" % tuple(newest_ids(3))  # noqa: UP031
    )
    with pytest.raises(CommandError, match=r"seal #2: it sealed \d+ events but \d+ are there"):
        call_command("audit", "verify")


def test_cutting_off_the_newest_seal_with_its_events_is_found_by_the_anchor(sealed_log):
    as_attacker("DELETE FROM access_auditevent WHERE seal_id = 2")
    as_attacker("DELETE FROM access_auditseal WHERE sequence = 2")
    with pytest.raises(CommandError, match=r"seal #2: the anchor .* no longer holds it"):
        call_command("audit", "verify")


def test_a_row_edited_and_the_chain_recomputed_without_the_key_is_detected(sealed_log):
    """The attacker knows the algorithm but not the key: a plain SHA-256 or a guessed key."""
    victim = sealed_log[0]
    victim.username = "someone-else"
    forged = hashlib.sha256(victim.content().encode()).hexdigest()
    as_attacker(
        "UPDATE access_auditevent SET username = %s, mac = %s WHERE id = %s",
        ["someone-else", forged, victim.pk],
    )
    assert "content has changed" in verify_chain().broken.problem


def test_a_chain_rebuilt_with_another_key_is_detected(sealed_log, settings):
    settings.KAVERI_AUDIT_KEY = "the-attackers-guess"
    rebuilt = [chain.event_mac(event) for event in sealed_log]
    settings.KAVERI_AUDIT_KEY = "kaveri-demo-only-audit-key-not-for-production-use"
    for event, mac in zip(sealed_log, rebuilt, strict=True):
        as_attacker("UPDATE access_auditevent SET mac = %s WHERE id = %s", [mac, event.pk])
    assert "content has changed" in verify_chain().broken.problem


def test_application_refuses_changes(sealed_log):
    event = sealed_log[0]
    with pytest.raises(Exception, match="append-only"):
        event.save()
    with pytest.raises(Exception, match="append-only"):
        event.delete()
    with pytest.raises(Exception, match="append-only"):
        AuditSeal.objects.first().delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE access_auditevent SET username = 'x'",
        "UPDATE access_auditevent SET seal_id = NULL",
        "DELETE FROM access_auditevent",
        "UPDATE access_auditseal SET digest = 'x'",
        "DELETE FROM access_auditseal",
    ],
)
def test_database_refuses_update_and_delete(sealed_log, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
@pytest.mark.parametrize("table", ["access_auditevent", "access_auditseal"])
def test_database_refuses_truncate_on_postgresql(sealed_log, table):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {table} CASCADE")


def test_worker_sees_who_has_viewed(client, sealed_log):
    person = sealed_log[0].client
    page = client.get(reverse("workspace:access_log", args=[person.pk]))
    assert page.status_code == 200
    assert sealed_log[0].username in page.content.decode()


def test_client_reads_own_access_log_from_the_api(client, sealed_log, django_user_model):
    person = sealed_log[0].client
    person.user = django_user_model.objects.create_user("own", password="test-password-123")
    person.save()
    client.logout()
    login(client, person.user)
    entries = client.get("/api/v1/me/access-log").json()
    viewers = {e["role"] for e in entries}
    assert Role.SOCIAL_COUNSELLOR in viewers
    assert all(e["action"] for e in entries)
    again = client.get("/api/v1/me/access-log").json()
    assert Role.CLIENT not in {e["role"] for e in again}, "the client's own reading is left out"


def test_seal_all_seals_in_blocks(client, viewed_client, monkeypatch):
    monkeypatch.setattr(chain, "SEAL_SIZE", 2)
    view(client, viewed_client, 3)
    pending = AuditEvent.objects.filter(seal__isnull=True).count()
    assert seal_all() == -(-pending // 2)
    assert verify_chain().broken is None


def test_events_beyond_one_statement_are_all_written_and_verify(make_client, monkeypatch):
    """Events go in multi-row INSERTs of ROWS_A_STATEMENT rows: every event of a longer
    list is written once, with its own client and MAC."""
    from kaveri.access import audit
    from kaveri.access.actions import Action

    monkeypatch.setattr(audit, "ROWS_A_STATEMENT", 4)
    people = [make_client() for _ in range(10)]
    before = AuditEvent.objects.count()
    audit.record_console_access(Action.CONSOLE_EXPORT, people, basis="statement test")
    written = AuditEvent.objects.filter(basis="statement test").order_by("pk")
    assert AuditEvent.objects.count() - before == 10
    assert [e.client_id for e in written] == [p.pk for p in people]
    seal_all()
    assert verify_chain().broken is None
