"""Fresh planner statistics after a bulk load. Without them, on a 100,000-client region,
SQLite's planner took 56 s for the 50 rows of a start page and PostgreSQL chose the wrong
index for the relationship check; after ANALYZE, 0.3 s."""

from django.db import connection

# An import that writes at least this many clients is a bulk load.
BULK_LOAD_CLIENTS = 100
# A scan or rebuild that changes at least this many rows of a table is a bulk change to it:
# the first scan of a region opened 8,117 signals on 10,000 clients, and until ANALYZE the
# planner took them for 17 and the start page's signal query took 25 ms instead of 1.
BULK_CHANGED_ROWS = 1000


def refresh_planner_statistics(*models) -> None:
    """ANALYZE the tables of these models, or the whole database without any."""
    ops = connection.ops
    tables = ", ".join(ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        if not models or connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {tables}")
        else:
            for model in models:  # SQLite analyses one table (or the whole file) at a time
                cursor.execute(f"ANALYZE {ops.quote_name(model._meta.db_table)}")
