"""Backing up and restoring the whole database: SQLite's online backup, or PostgreSQL's
pg_dump and pg_restore. Both report progress as (done, total); a restore replaces the
database's contents with the backup's, and the audit chain is verified afterwards.

The media folder (signed consent forms, documents) and the audit key are not in the
database: the deployment guide says to keep them beside the backup.
"""

import re
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

from django.db import connection

Progress = Callable[[int, int], None]
SQLITE_PAGES_A_STEP = 1024
PG_TABLE_LINE = re.compile(r"(dumping contents of table|processing data for table)")


class BackupError(Exception):
    pass


def _quiet(_done: int, _total: int) -> None:
    return None


def backup(path: Path, progress: Progress = _quiet) -> None:
    """Write the whole database to `path` while the service keeps running."""
    if connection.vendor == "sqlite":
        _sqlite_copy(_live_sqlite(), _file_sqlite(path), progress)
    elif connection.vendor == "postgresql":
        _run_pg(["pg_dump", "--format=custom", "--verbose", f"--file={path}"], progress)
    else:
        raise BackupError(f"No backup for a {connection.vendor} database.")


def restore(path: Path, progress: Progress = _quiet) -> None:
    """Replace the database's contents with the backup at `path`."""
    if not Path(path).is_file():
        raise BackupError(f"There is no backup at {path}.")
    if connection.vendor == "sqlite":
        source = _file_sqlite(path)
        _check_sqlite_backup(source, path)
        _sqlite_copy(source, _live_sqlite(), progress)
    elif connection.vendor == "postgresql":
        connection.close()
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
        _run_pg([*command, "--verbose", str(path)], progress)
    else:
        raise BackupError(f"No restore for a {connection.vendor} database.")
    connection.close()


def _live_sqlite() -> sqlite3.Connection:
    connection.ensure_connection()
    return connection.connection


def _file_sqlite(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(str(path))


def _check_sqlite_backup(source: sqlite3.Connection, path: Path) -> None:
    try:
        (verdict,) = source.execute("PRAGMA integrity_check").fetchone()
        tables = source.execute("SELECT count(*) FROM sqlite_master WHERE type='table'")
        has_tables = tables.fetchone()[0] > 0
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a Kaveri backup: {error}") from None
    if verdict != "ok" or not has_tables:
        raise BackupError(f"{path} is not a whole Kaveri backup ({verdict}); nothing was restored.")


def _sqlite_copy(source: sqlite3.Connection, target: sqlite3.Connection, progress) -> None:
    def step(_status, remaining, total):
        progress(total - remaining, total)

    source.backup(target, pages=SQLITE_PAGES_A_STEP, progress=step)


def _pg_connection_arguments() -> list[str]:
    settings = connection.settings_dict
    arguments = [f"--dbname={settings['NAME']}"]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            arguments.append(f"{flag}={settings[key]}")
    return arguments


def _pg_environment() -> dict:
    import os

    password = connection.settings_dict.get("PASSWORD")
    return os.environ | ({"PGPASSWORD": password} if password else {})


def _table_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        return cursor.fetchone()[0]


def _run_pg(command: list[str], progress: Progress) -> None:
    """Run pg_dump or pg_restore, advancing the progress by its verbose lines per table."""
    total = _table_count() if command[0] == "pg_dump" else 0
    connection.close()
    process = subprocess.Popen(
        [*command[:1], *_pg_connection_arguments(), *command[1:]],
        stderr=subprocess.PIPE,
        text=True,
        env=_pg_environment(),
    )
    done, errors = 0, []
    for line in process.stderr:
        if PG_TABLE_LINE.search(line):
            done += 1
            progress(done, max(total, done))
        elif "error" in line.lower():
            errors.append(line.strip())
    if process.wait() != 0:
        raise BackupError(f"{command[0]} failed: " + ("; ".join(errors[-3:]) or "see above"))
