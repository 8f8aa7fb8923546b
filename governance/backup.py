"""`excom backup PATH` and `excom restore PATH`: the database as one file, taken while it serves.

- SQLite: SQLite's online backup API (`sqlite3.Connection.backup`) copies a consistent
  snapshot in one step while the server goes on writing (WAL: readers do not block the
  writer). A plain file copy would not do: the newest commits live in the `-wal` file.
  The copy is checked (`PRAGMA integrity_check`) and written in rollback-journal mode, so it
  is one self-contained file.
- PostgreSQL: `pg_dump --format=custom` (a consistent snapshot of one transaction), restored
  with `pg_restore --clean --if-exists --single-transaction`: all or nothing. The client tools
  must be installed (`postgresql-client`, of at least the server's major version); the
  password travels in PGPASSWORD, never on the command line.

A restore refuses to replace a database that holds data unless told to (`overwrite=True`):
a restore pointed at the wrong database must not erase a live record. Stop every `excom
serve` on the database before restoring.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, make_url

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
# tables whose rows make a database "hold data" (the schema alone does not)
RECORD_TABLES = ("members", "users", "meetings", "audit_events")


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Outcome:
    path: Path
    kind: str  # "sqlite" / "postgresql"
    size: int


def backup(url: str | URL, path: str | Path) -> Outcome:
    """Write a backup of the database at `url` to `path` (replaced if it exists)."""
    url, path = make_url(url), Path(path)
    if path.is_dir():
        raise BackupError(f"{path} is a folder; give the backup file's name")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    if url.get_backend_name() == "sqlite":
        _sqlite_backup(_sqlite_file(url), partial)
        kind = "sqlite"
    elif url.get_backend_name() == "postgresql":
        _run(_client("pg_dump"), ["--format=custom", "--no-owner", "--no-privileges", f"--file={partial}"], url)
        kind = "postgresql"
    else:
        raise BackupError(f"no backup for {url.get_backend_name()} databases (SQLite and PostgreSQL only)")
    partial.replace(path)  # a backup that failed halfway never passes for a whole one
    return Outcome(path, kind, path.stat().st_size)


def restore(url: str | URL, path: str | Path, *, overwrite: bool = False) -> Outcome:
    """Replace the database at `url` with the backup at `path`.

    Raises BackupError when the file is no backup of the right kind, when the database holds
    data and `overwrite` is false, or when the client tools are missing."""
    url, path = make_url(url), Path(path)
    if not path.is_file():
        raise BackupError(f"no backup file at {path}")
    with path.open("rb") as file:
        magic = file.read(16)
    kind = "sqlite" if magic.startswith(SQLITE_MAGIC) else "postgresql" if magic.startswith(PG_DUMP_MAGIC) else None
    if kind is None:
        raise BackupError(f"{path} is neither a SQLite database nor a pg_dump custom-format archive")
    if kind != url.get_backend_name():
        raise BackupError(f"{path} is a {kind} backup; the configured database is {url.get_backend_name()} "
                          "(a backup restores into the same kind of database)")
    held = holds_data(url)
    if held and not overwrite:
        raise BackupError(f"the database holds data ({held}); restoring would replace it. Check that "
                          "EXCOM_DATABASE_URL names the database you mean, stop the servers, and pass --overwrite")
    if kind == "sqlite":
        target = _sqlite_file(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_backup(path, target, journal_mode="WAL")
    else:
        _run(_client("pg_restore"), ["--clean", "--if-exists", "--no-owner", "--no-privileges",
                                     "--single-transaction", "--exit-on-error", str(path)], url)
    return Outcome(path, kind, path.stat().st_size)


def holds_data(url: str | URL) -> str | None:
    """A description of the data the database holds ("12 members, 208 audit events"), or None."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            present = set(inspect(connection).get_table_names())
            counts = {table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()
                      for table in RECORD_TABLES if table in present}
    finally:
        engine.dispose()
    held = [f"{n} {table.replace('_', ' ')}" for table, n in counts.items() if n]
    return ", ".join(held) or None


def _sqlite_file(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up or restore into")
    return Path(url.database)


def _sqlite_backup(source: Path, target: Path, *, journal_mode: str = "DELETE") -> None:
    if not source.is_file():
        raise BackupError(f"no SQLite database at {source}")
    reader = sqlite3.connect(source)  # it only reads: the backup is a read transaction
    writer = sqlite3.connect(target)
    try:
        # one step (pages=-1): a consistent snapshot; the server's writers are not blocked (WAL)
        reader.backup(writer, pages=-1)
        writer.execute(f"PRAGMA journal_mode={journal_mode}")
        check = writer.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"the copy failed SQLite's integrity check: {check}")
    finally:
        writer.close()
        reader.close()


def _client(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} (the PostgreSQL client) is not installed here: install postgresql-client "
                          "of at least the server's major version (Debian: apt-get install postgresql-client)")
    return found


def _run(program: str, arguments: list[str], url: URL) -> None:
    """Run pg_dump / pg_restore against `url`, the password in the environment."""
    libpq = url.set(drivername="postgresql", password=None)
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    command = [program, f"--dbname={libpq.render_as_string(hide_password=False)}", *arguments]
    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600, check=False)
    if finished.returncode != 0:
        raise BackupError(f"{Path(program).name} failed: {finished.stderr.strip() or finished.returncode}")
