"""Fresh planner statistics after a bulk load. Without them, on a 100,000-client region,
SQLite's planner took 56 s for the 50 rows of a start page and PostgreSQL chose the wrong
index for the relationship check; after ANALYZE, 0.3 s."""

from django.db import connection

# An import that writes at least this many clients is a bulk load.
BULK_LOAD_CLIENTS = 100


def refresh_planner_statistics() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
