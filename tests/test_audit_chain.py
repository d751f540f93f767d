"""The audit log is an append-only hash chain; `kaveri audit verify` finds any change."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from kaveri.access.chain import verify_chain
from kaveri.access.models import GENESIS_HASH, AuditEvent
from kaveri.access.roles import Role
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_events(client, make_organisation, make_worker, make_client, open_relationship):
    organisation = make_organisation("SOC")
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, organisation)
    person = make_client()
    open_relationship(person, organisation)
    login(client, counsellor)
    for _ in range(3):
        client.get(reverse("workspace:client", args=[person.pk]))
    return list(AuditEvent.objects.order_by("sequence"))


def raw_sql(sql: str, params=()) -> None:
    """Change the table behind the application's back, as an attacker with SQL would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE access_auditevent DISABLE TRIGGER audit_append_only")
        cursor.execute(sql, params)


def test_events_form_a_chain(three_events):
    first, second, third = three_events
    assert [e.sequence for e in three_events] == [1, 2, 3]
    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.hash and third.previous_hash == second.hash
    assert verify_chain() == (3, None)


def test_verify_command_passes_on_an_intact_log(three_events, capsys):
    call_command("audit", "verify")
    assert "intact: 3 events" in capsys.readouterr().out


def test_altered_row_is_detected(three_events):
    raw_sql("UPDATE access_auditevent SET username = %s WHERE sequence = 2", ["someone-else"])
    with pytest.raises(CommandError, match=r"event #2 .*content has changed"):
        call_command("audit", "verify")


def test_deleted_row_is_detected(three_events):
    raw_sql("DELETE FROM access_auditevent WHERE sequence = 2")
    with pytest.raises(CommandError, match=r"event #2 is missing"):
        call_command("audit", "verify")


def test_rewritten_hash_is_detected_by_the_next_link(three_events):
    raw_sql("UPDATE access_auditevent SET action = 'x', hash = %s WHERE sequence = 2", ["f" * 64])
    _, broken = verify_chain()
    assert broken.sequence == 2


def test_application_refuses_changes(three_events):
    event = three_events[0]
    with pytest.raises(Exception, match="append-only"):
        event.save()
    with pytest.raises(Exception, match="append-only"):
        event.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the guard is PostgreSQL's")
def test_database_refuses_update_and_delete_on_postgresql(three_events):
    for sql in ("UPDATE access_auditevent SET username = 'x'", "DELETE FROM access_auditevent"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)


def test_worker_sees_who_has_viewed(client, three_events):
    person = three_events[0].client
    page = client.get(reverse("workspace:access_log", args=[person.pk]))
    assert page.status_code == 200
    assert three_events[0].username in page.content.decode()


def test_client_reads_own_access_log_from_the_api(client, three_events, django_user_model):
    person = three_events[0].client
    person.user = django_user_model.objects.create_user("own", password="test-password-123")
    person.save()
    client.logout()
    login(client, person.user)
    entries = client.get("/api/v1/me/access-log").json()
    viewers = {e["role"] for e in entries}
    assert Role.SOCIAL_COUNSELLOR in viewers
    assert all(e["action"] for e in entries)
