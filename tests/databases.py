"""The test databases: built once per backend and per pytest process, then shared by the tests.

Per backend (SQLite, PostgreSQL) a test process makes:

- a *template*: the schema, built by the real migrations (once);
- *bases*, copies of the template: one empty, one with the demo loaded by `excom demo`, one with
  the demo played through by `excom demo --play` (each made once, when a test first needs it).
  A test's app works inside one transaction on a base that is rolled back when the test ends
  (see `rollback_engine_options` and `nest_transactions`), so a test starts from a clean base
  without a DELETE or a demo reload, and its commits never reach the disk;
- a *scratch* copy for the tests that need their writes really committed (real server
  processes, several connections at once, migrations run down and up): `database_url`. Those
  tests are wiped with DELETE after each test, as before.

PostgreSQL databases are made with CREATE DATABASE ... TEMPLATE (a file copy inside the server)
and run with synchronous_commit off: a test database need not survive a power cut.
"""
from __future__ import annotations

import sqlite3
import time
import uuid
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import QueuePool

# For a test whose subject never reaches the database (routing, response headers, the migration
# scripts' own graph): once, on SQLite, rather than once per backend.
ONE_DATABASE = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

SAVEPOINT = "excom_test"
# seconds a session waits for the app's one connection. A test that needs two at once (its own
# second connection, threads that must overlap) fails with "QueuePool limit of size 1 overflow
# 0 reached" after this long: mark it `committed` (tests/conftest.py).
POOL_TIMEOUT = 30


def migrate(url: str, instance: str) -> None:
    from flask_migrate import upgrade

    from governance import create_app
    from governance.extensions import db
    app = create_app({"EXCOM_DATABASE_URL": url, "EXCOM_INSTANCE_PATH": instance, "EXCOM_SECRET_KEY": "t"})
    with app.app_context():
        upgrade()
        db.session.remove()
        db.engine.dispose()


# The bases a test can start from, and the `excom` command that fills each from the schema:
# the demo meeting, and the demo meeting played through (`excom demo --play`).
BASES = {"empty": None, "demo": ["demo"], "played": ["demo", "--play"]}


def run_excom(url: str, instance: str, password: str, arguments: list[str]) -> str:
    """`excom <arguments>` on the database at `url`, in this process; answers its output."""
    from governance import create_app
    from governance.cli import main
    from governance.extensions import db
    app = create_app({"TESTING": True, "EXCOM_DATABASE_URL": url, "EXCOM_INSTANCE_PATH": instance,
                      "EXCOM_SECRET_KEY": "t", "EXCOM_DEMO_PASSWORD": password,
                      "EXCOM_PASSWORD_METHOD": "pbkdf2:sha256:1000"})
    result = app.test_cli_runner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return result.output


@dataclass
class Backend:
    """One database server's test databases, made on first use."""

    name: str
    workdir: Path
    admin_url: str | None = None  # PostgreSQL: where CREATE DATABASE is said
    demo_password: str = "excom-demo"
    _made: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)  # what the command of each base printed

    # --- naming and copying -----------------------------------------------------------------

    def _new(self, label: str, template: str | None) -> str:
        if self.name == "sqlite":
            path = self.workdir / f"{label}.sqlite3"
            if template is not None:
                source = sqlite3.connect(_sqlite_path(template))
                target = sqlite3.connect(path)
                source.backup(target)  # consistent even with a WAL beside the source
                target.close()
                source.close()
            return f"sqlite:///{path}"
        name = f"excom_test_{uuid.uuid4().hex[:10]}_{label}"
        with psycopg.connect(self.admin_url, autocommit=True) as admin:
            clause = f' TEMPLATE "{_pg_name(template)}"' if template else ""
            for attempt in range(50):  # the template's last connection may take a moment to go
                try:
                    admin.execute(f'CREATE DATABASE "{name}"{clause}')
                    break
                except psycopg.errors.ObjectInUse:
                    if attempt == 49:
                        raise
                    time.sleep(0.1)
            admin.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
        base = self.admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
        return f"{base}/{name}"

    def _get(self, label: str) -> str:
        if label not in self._made:
            if label == "template":
                url = self._new("template", None)
                migrate(url, str(self.workdir / "migrate"))
            else:
                url = self._new(label, self._get("template"))
                if BASES.get(label):
                    self.outputs[label] = run_excom(url, str(self.workdir / label), self.demo_password,
                                                    BASES[label])
            self._made[label] = url
        return self._made[label]

    @property
    def scratch_url(self) -> str:
        """For tests whose writes must be committed; wiped after each of them."""
        return self._get("scratch")

    def base_url(self, base: str) -> str:
        """A base for rolled-back tests (one of BASES): never written to by a test."""
        assert base in BASES, base
        return self._get(base)

    def drop_all(self) -> None:
        if self.name != "postgresql" or not self._made:
            return
        with psycopg.connect(self.admin_url, autocommit=True) as admin:
            for url in self._made.values():
                admin.execute(f'DROP DATABASE IF EXISTS "{_pg_name(url)}" WITH (FORCE)')
        self._made.clear()


def _sqlite_path(url: str) -> str:
    return url.removeprefix("sqlite:///")


def _pg_name(url: str) -> str:
    return url.rsplit("/", 1)[1]


def no_fsync(engine) -> None:
    """This process's connections to a test's SQLite file skip the fsync of each commit (the
    app asks for synchronous=FULL, which a test database does not need; PostgreSQL's test
    databases run with synchronous_commit off, see Backend._new)."""
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", lambda connection, _record: connection.execute("PRAGMA synchronous=OFF"))


# --- one transaction per test ----------------------------------------------------------------

def rollback_engine_options() -> dict:
    """One connection per app, handed to one session at a time: others wait their turn, as
    on SQLite, where every transaction takes the write lock (governance.extensions)."""
    return {"poolclass": QueuePool, "pool_size": 1, "max_overflow": 0, "pool_timeout": POOL_TIMEOUT,
            # the pool must not roll back the test's transaction when a session gives it back
            "pool_reset_on_return": None}


def nest_transactions(engine) -> list:
    """Make every transaction on this engine a SAVEPOINT inside one outer transaction that
    is never committed: a session's commit releases its savepoint, its rollback returns to
    it. Returns the list that will hold the engine's DBAPI connection, for `roll_back`."""
    dialect, held = engine.dialect, []
    sqlite = dialect.name == "sqlite"
    open_savepoints: set[int] = set()  # ids of the DBAPI connections inside our savepoint

    @event.listens_for(engine, "connect")
    def _hold(dbapi_connection, _record):
        if held and held[0] is OVER:
            # a background task of the finished test's app (a progress broadcast, the sweep):
            # a new connection would open an outer transaction that nobody rolls back
            dbapi_connection.close()
            raise RuntimeError("the test that owned this app is over")
        held.append(dbapi_connection)

    def begin(connection):
        cursor = connection.cursor()
        if sqlite and not connection.in_transaction:  # the outer transaction (PostgreSQL's is implicit)
            cursor.execute("BEGIN IMMEDIATE")
        cursor.execute(f"SAVEPOINT {SAVEPOINT}")
        cursor.close()
        open_savepoints.add(id(connection.dbapi_connection))

    def end(statements):
        def _end(connection):
            if id(connection.dbapi_connection) not in open_savepoints:
                return  # nothing of ours is open (SQLAlchemy's rollback after its first connect)
            open_savepoints.discard(id(connection.dbapi_connection))
            cursor = connection.cursor()
            for statement in statements:
                cursor.execute(statement)
            cursor.close()
        return _end

    dialect.do_begin = begin
    dialect.do_commit = end([f"RELEASE SAVEPOINT {SAVEPOINT}"])
    dialect.do_rollback = end([f"ROLLBACK TO SAVEPOINT {SAVEPOINT}", f"RELEASE SAVEPOINT {SAVEPOINT}"])
    return held


OVER = object()


def roll_back(engine, held: list) -> None:
    """End the test: the outer transaction goes, and with it everything the test wrote."""
    engine.pool._timeout = 5  # a connection a test never gave back is not worth waiting for long
    in_hand = None
    # wait until nobody uses the connection (a background task of the app may be in the middle
    # of a query): closing it under a running statement can crash the process
    with suppress(SQLAlchemyError, RuntimeError):
        in_hand = engine.pool.connect()
    connections = [connection for connection in held if connection is not OVER]
    held[:] = [OVER]
    for connection in connections:
        # a connection a failed test left broken: closing it rolls back too
        with suppress(sqlite3.Error, psycopg.Error):
            connection.rollback()
        with suppress(sqlite3.Error, psycopg.Error):
            connection.close()
    if in_hand is not None:
        in_hand.invalidate()
    engine.dispose()
