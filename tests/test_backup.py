"""kaveri backup and kaveri restore (issue 12): a round trip in which every row comes back
and the audit chain verifies afterwards, on SQLite and on PostgreSQL."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from kaveri.access.chain import verify_chain
from kaveri.casework.models import ClientRelationship
from kaveri.demo.generator import generate
from kaveri.people.models import Client
from kaveri.rules.registry import get_rules

pytestmark = pytest.mark.django_db(transaction=True)


def row_counts() -> dict[str, int]:
    return {
        model._meta.db_table: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.db_table in connection.introspection.table_names()
    }


def test_a_backup_restores_every_row_and_the_audit_chain_verifies(tmp_path):
    generate(get_rules(), 30, timezone.localdate(), seed=5)
    call_command("audit", "seal", stdout=io.StringIO())
    target = tmp_path / "kaveri.backup"
    call_command("backup", str(target), stdout=io.StringIO(), stderr=io.StringIO())
    before = row_counts()
    assert before["people_client"] == 30 and target.stat().st_size > 0

    ClientRelationship.objects.filter(client__in=Client.objects.all()[:5]).delete()
    assert row_counts() != before
    out = io.StringIO()
    call_command("restore", str(target), "--yes", stdout=out, stderr=io.StringIO())
    after = row_counts()
    after["access_auditevent"] -= 1  # the restore's own event, appended afterwards
    assert after == before
    assert "the audit chain verifies" in out.getvalue()
    assert verify_chain().broken is None


def test_a_restore_asks_for_confirmation_and_refuses_what_is_no_backup(tmp_path):
    with pytest.raises(CommandError, match="Give --yes"):
        call_command("restore", str(tmp_path / "x.backup"))
    with pytest.raises(CommandError, match="There is no backup"):
        call_command("restore", str(tmp_path / "x.backup"), "--yes")
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(CommandError):
        call_command("restore", str(junk), "--yes", stderr=io.StringIO())


def test_a_backup_does_not_overwrite_a_file(tmp_path):
    existing = tmp_path / "kept.backup"
    existing.write_text("earlier")
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(existing))
    assert existing.read_text() == "earlier"
