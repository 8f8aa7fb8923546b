"""The physical limit a vote rate is read against: durable single-row commits per second.

A small loop against a scratch table in the same database the servers use, on the same
machine, in the same run: one INSERT of one row and one COMMIT, as often as it goes for a
couple of seconds. SQLite runs with the settings the app uses (WAL, synchronous=FULL), so
every commit waits for an fsync of the WAL; PostgreSQL runs with its defaults (fsync on,
synchronous_commit on), so every commit waits for the WAL flush. Group commit (several
transactions sharing one flush) can beat this figure; one writer in a loop cannot.
"""
import sqlite3
import time

from sqlalchemy.engine import make_url

SCRATCH = "excom_bench_commit_probe"


def raw_commit_rate(database_url: str, *, seconds: float = 2.0, max_rows: int = 20_000) -> dict:
    """Commits per second of a one-row INSERT+COMMIT loop on `database_url` (a SQLAlchemy URL)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if not url.database:
            raise ValueError(f"{database_url}: name the SQLite file to measure")
        return _sqlite(url.database, seconds, max_rows)
    if url.get_backend_name() == "postgresql":
        return _postgresql(url, seconds, max_rows)
    raise ValueError(f"no commit-rate probe for {url.get_backend_name()}")


def _loop(insert, commit, seconds: float, max_rows: int) -> tuple[int, float]:
    rows = 0
    started = time.perf_counter()
    deadline = started + seconds
    while rows < max_rows:
        insert(rows)
        commit()
        rows += 1
        if rows % 16 == 0 and time.perf_counter() >= deadline:
            break
    return rows, time.perf_counter() - started


def _sqlite(path: str, seconds: float, max_rows: int) -> dict:
    connection = sqlite3.connect(path, isolation_level=None, timeout=30)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute(f"CREATE TABLE IF NOT EXISTS {SCRATCH} (id INTEGER PRIMARY KEY, n INTEGER, at REAL)")

        def insert(n):
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(f"INSERT INTO {SCRATCH} (n, at) VALUES (?, ?)", (n, time.time()))

        rows, elapsed = _loop(insert, lambda: connection.execute("COMMIT"), seconds, max_rows)
        connection.execute(f"DROP TABLE {SCRATCH}")
    finally:
        connection.close()
    return {"backend": "sqlite", "settings": "WAL, synchronous=FULL", "rows": rows,
            "seconds": round(elapsed, 3), "commits_per_second": round(rows / elapsed, 1)}


def _postgresql(url, seconds: float, max_rows: int) -> dict:
    import psycopg

    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as connection:
        settings = {}
        for name in ("fsync", "synchronous_commit", "wal_sync_method"):
            row = connection.execute(f"SHOW {name}").fetchone()
            assert row is not None  # SHOW answers one row
            settings[name] = row[0]
        connection.execute(f"CREATE TABLE IF NOT EXISTS {SCRATCH} "
                           "(id serial PRIMARY KEY, n integer, at double precision)")
        connection.commit()
        cursor = connection.cursor()

        def insert(n):
            cursor.execute(f"INSERT INTO {SCRATCH} (n, at) VALUES (%s, %s)", (n, time.time()))

        rows, elapsed = _loop(insert, connection.commit, seconds, max_rows)
        connection.execute(f"DROP TABLE {SCRATCH}")
        connection.commit()
    return {"backend": "postgresql", "settings": ", ".join(f"{k}={v}" for k, v in settings.items()), "rows": rows,
            "seconds": round(elapsed, 3), "commits_per_second": round(rows / elapsed, 1)}
