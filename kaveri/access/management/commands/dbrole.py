"""`kaveri dbrole grant ROLE`: give the application's PostgreSQL role what it needs and no more.

Run it as the tables' owner after `kaveri migrate`. The role owns no table, so it cannot drop or
disable the audit log's guard; it may read and write the tables, may insert audit events and
seals, may only seal an audit event (set its seal), and has no TRUNCATE anywhere.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from psycopg import sql

AUDIT_TABLES = ("access_auditevent", "access_auditseal")


def grant_statements(role: str) -> list[sql.Composed]:
    name = sql.Identifier(role)
    audit = sql.SQL(", ").join(sql.Identifier(table) for table in AUDIT_TABLES)
    return [
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name),
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(name),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(
            name
        ),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(name),
        sql.SQL("REVOKE UPDATE, DELETE ON {} FROM {}").format(audit, name),
        sql.SQL("GRANT UPDATE (seal_id) ON access_auditevent TO {}").format(name),
    ]


class Command(BaseCommand):
    help = (
        "Grant the application's PostgreSQL role (which must exist and own no table) the "
        "privileges it needs; run as the tables' owner after every migrate."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        grant = sub.add_parser("grant", help="Grant the application's role its privileges.")
        grant.add_argument("role", help="The role the application connects as.")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are PostgreSQL's; SQLite has none to grant.")
        role = options["role"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise CommandError(f"There is no role {role!r}: CREATE ROLE {role} LOGIN first.")
            cursor.execute("SELECT count(*) FROM pg_tables WHERE tableowner = %s", [role])
            if cursor.fetchone()[0]:
                raise CommandError(
                    f"The role {role!r} owns tables, so it could disable the audit log's guard. "
                    "Let the migrating role own them (ALTER TABLE … OWNER TO) and try again."
                )
            with transaction.atomic():
                for statement in grant_statements(role):
                    cursor.execute(statement)
        self.stdout.write(f"Granted {role} the application's privileges; it owns no table.")
