"""The audit log's keyed chain: a MAC on each event, seals chaining them, and database guards
that refuse UPDATE (other than sealing), DELETE and TRUNCATE on both tables."""

import hashlib
import hmac

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

EVENT_COLUMNS = (
    "at user_id username role organisation_id client_id action data_category basis allowed "
    "method url_name source_address mac"
).split()

POSTGRESQL_GUARD = """
DROP TRIGGER IF EXISTS audit_append_only ON access_auditevent;
DROP FUNCTION IF EXISTS kaveri_audit_append_only();
CREATE FUNCTION kaveri_audit_append_only() RETURNS trigger AS $$
BEGIN
    -- The tables' owner (who runs migrations, and could drop this trigger anyway) may purge
    -- by setting kaveri.audit_maintenance in its transaction; the application's role may not.
    IF current_setting('kaveri.audit_maintenance', true) = 'on' AND pg_has_role(
        current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE'
    ) THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'access_auditevent' THEN
        IF to_jsonb(OLD) ->> 'seal_id' IS NULL AND to_jsonb(NEW) ->> 'seal_id' IS NOT NULL
           AND (to_jsonb(OLD) - 'seal_id') = (to_jsonb(NEW) - 'seal_id') THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only (% on %)', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON access_auditevent
    FOR EACH ROW EXECUTE FUNCTION kaveri_audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON access_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION kaveri_audit_append_only();
CREATE TRIGGER seal_append_only BEFORE UPDATE OR DELETE ON access_auditseal
    FOR EACH ROW EXECUTE FUNCTION kaveri_audit_append_only();
CREATE TRIGGER seal_no_truncate BEFORE TRUNCATE ON access_auditseal
    FOR EACH STATEMENT EXECUTE FUNCTION kaveri_audit_append_only();
"""
POSTGRESQL_UNGUARD = """
DROP TRIGGER IF EXISTS audit_append_only ON access_auditevent;
DROP TRIGGER IF EXISTS audit_no_truncate ON access_auditevent;
DROP TRIGGER IF EXISTS seal_append_only ON access_auditseal;
DROP TRIGGER IF EXISTS seal_no_truncate ON access_auditseal;
DROP FUNCTION IF EXISTS kaveri_audit_append_only();
"""

_UNCHANGED = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in EVENT_COLUMNS)
SQLITE_GUARD = [
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON access_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only (DELETE)'); END",
    "CREATE TRIGGER audit_only_sealed BEFORE UPDATE ON access_auditevent "
    f"WHEN NOT (OLD.seal_id IS NULL AND NEW.seal_id IS NOT NULL AND NEW.id IS OLD.id "
    f"AND {_UNCHANGED}) "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only (UPDATE)'); END",
    "CREATE TRIGGER seal_no_delete BEFORE DELETE ON access_auditseal "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only (DELETE)'); END",
    "CREATE TRIGGER seal_no_update BEFORE UPDATE ON access_auditseal "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only (UPDATE)'); END",
]
SQLITE_UNGUARD = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in ("audit_no_delete", "audit_only_sealed", "seal_no_delete", "seal_no_update")
]


def _drop_old_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_UNGUARD, params=None)


def _content(event) -> str:
    fields = [
        event.at.isoformat(),
        event.user_id,
        event.username,
        event.role,
        event.organisation_id,
        event.client_id,
        event.action,
        event.data_category,
        event.basis,
        int(event.allowed),
        event.method,
        event.url_name,
        event.source_address,
    ]
    return "\x1f".join("" if f is None else str(f) for f in fields)


def mac_existing_events(apps, schema_editor):
    """Events written before the keyed chain get their MAC now; they are sealed with the rest."""
    AuditEvent = apps.get_model("access", "AuditEvent")
    key = settings.KAVERI_AUDIT_KEY.encode()
    for event in AuditEvent.objects.filter(mac="").iterator(chunk_size=2000):
        mac = hmac.new(key, _content(event).encode(), hashlib.sha256).hexdigest()
        AuditEvent.objects.filter(pk=event.pk).update(mac=mac)


def create_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_GUARD, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_GUARD:
            schema_editor.execute(statement, params=None)


def drop_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_UNGUARD, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_UNGUARD:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("access", "0004_emergency_access"), ("people", "0001_initial")]

    operations = [
        migrations.RunPython(_drop_old_guard, migrations.RunPython.noop),
        migrations.CreateModel(
            name="AuditSeal",
            fields=[
                ("sequence", models.BigIntegerField(primary_key=True, serialize=False)),
                ("at", models.DateTimeField()),
                ("event_count", models.PositiveIntegerField()),
                ("key_id", models.CharField(max_length=16)),
                ("previous_digest", models.CharField(max_length=64)),
                ("digest", models.CharField(max_length=64)),
            ],
            options={
                "verbose_name": "audit seal",
                "verbose_name_plural": "audit seals",
                "ordering": ["sequence"],
            },
        ),
        migrations.AlterModelOptions(
            name="auditevent",
            options={
                "ordering": ["-at", "-id"],
                "verbose_name": "audit event",
                "verbose_name_plural": "audit events",
            },
        ),
        migrations.RemoveField(model_name="auditevent", name="sequence"),
        migrations.RemoveField(model_name="auditevent", name="previous_hash"),
        migrations.RemoveField(model_name="auditevent", name="hash"),
        migrations.AddField(
            model_name="auditevent",
            name="mac",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seal",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="access.auditseal",
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                condition=models.Q(("seal__isnull", True)), fields=["id"], name="audit_unsealed"
            ),
        ),
        migrations.RunPython(mac_existing_events, migrations.RunPython.noop),
        migrations.RunPython(create_guard, drop_guard),
    ]
