"""Trigram indexes for the name search on PostgreSQL (pg_trgm, a trusted extension that
the database's owner may create). The search asks `UPPER(name) LIKE 'X%'` for the start
of a last name and `LIKE '%X%'` within first names; a GIN trigram index answers both.
SQLite has no such index and scans, which is fine at its sizes."""

from django.db import migrations

INDEXES = {
    "client_last_name_trgm": "last_name",
    "client_first_names_trgm": "first_names",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON people_client "
            f"USING gin (upper({column}) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
