"""On PostgreSQL, refuse UPDATE and DELETE on audit events at the database level."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION kaveri_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only (%)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON access_auditevent
    FOR EACH ROW EXECUTE FUNCTION kaveri_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_append_only ON access_auditevent;
DROP FUNCTION IF EXISTS kaveri_audit_append_only();
"""


def create_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial")]
    operations = [migrations.RunPython(create_guard, drop_guard)]
