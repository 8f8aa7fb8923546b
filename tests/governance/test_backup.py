"""`excom backup` and `excom restore`: a backup taken while votes arrive restores into a fresh
database where the trail verifies and every poll recounts; a restore never silently replaces
a database holding data."""
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
import requests
from sqlalchemy.engine import make_url

from governance import create_app
from governance.auth.models import AccessToken
from governance.cli import main
from governance.extensions import db
from governance.meetings import operations as meeting_ops
from tests.conftest import POSTGRES_ADMIN_URL
from tests.live import running_server

pytestmark = pytest.mark.both_databases  # each database's own backup (SQLite's online backup API, pg_dump)

VOTERS = 60


@pytest.fixture
def fresh_database(database_url, tmp_path):
    """An empty database of the same kind as the test's, with no schema at all."""
    if make_url(database_url).get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    name = f"excom_restore_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{database_url.rsplit('/', 1)[0]}/{name}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def restored_app(app_config, fresh_database, tmp_path):
    app = create_app({**app_config, "EXCOM_DATABASE_URL": fresh_database,
                      "EXCOM_INSTANCE_PATH": str(tmp_path / "restored")})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _run(app, *args, **kwargs):
    result = app.test_cli_runner().invoke(main, list(args), **kwargs)
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


@pytest.fixture
def assembly(app, make):
    """60 voting members with a delegate each, all checked in, a token each."""
    with app.app_context():
        meeting = make.meeting("Assembly", sessions=(("Plenary", "open"),))
        chair = make.user(email="chair@example.org")
        make.participant(meeting, chair, group="guest", chair=True)
        desk = make.user(email="desk@example.org", roles=["secretariat"])
        tokens = {}
        for n in range(VOTERS):
            delegate = make.delegate(meeting, f"Member city {n:03d}")
            meeting_ops.record_attendance(meeting, actor=desk, user_id=delegate.id, mode="online", present=True)
            tokens[delegate.id] = AccessToken.issue(delegate, "personal")[1]
        chair_token = AccessToken.issue(chair, "personal")[1]
        desk_token = AccessToken.issue(desk, "personal")[1]
        item_id = meeting.sessions[0].items[0].id
        db.session.commit()
    return {"tokens": tokens, "chair": chair_token, "desk": desk_token, "item": item_id}


def _vote(server, token, poll_id, choice):
    answer = requests.post(f"{server.url}/api/v1/polls/{poll_id}/votes", json={"choice": choice},
                           headers={"Authorization": f"Bearer {token}"}, timeout=60)
    assert answer.status_code == 201, answer.text
    return answer.json()["receipt"]


@pytest.mark.live
def test_a_backup_taken_during_a_live_vote_restores_and_holds(assembly, app, database_url, restored_app, tmp_path):
    path = tmp_path / "backups" / "excom.backup"
    acknowledged: list[str] = []
    lock, a_third_in = threading.Lock(), threading.Event()
    with running_server(database_url, str(tmp_path / "serve")) as server:
        def motion(title):
            made = server.api("POST", f"/items/{assembly['item']}/motions", assembly["desk"],
                              json={"kind": "general", "title": title, "secret": True}).json()
            return server.api("POST", f"/motions/{made['id']}/polls", assembly["chair"]).json()["id"]

        first = motion("To adopt the accounts")
        for n, token in enumerate(assembly["tokens"].values()):
            _vote(server, token, first, "yes" if n % 3 else "no")
        server.api("POST", f"/polls/{first}/close", assembly["chair"])

        live = motion("To adopt the budget")

        def vote(token):
            receipt = _vote(server, token, live, "yes")
            with lock:
                acknowledged.append(receipt)
                if len(acknowledged) >= VOTERS // 3:
                    a_third_in.set()

        with ThreadPoolExecutor(max_workers=12) as voters:
            pending = [voters.submit(vote, token) for token in assembly["tokens"].values()]
            assert a_third_in.wait(timeout=300)
            with lock:
                before_backup = set(acknowledged)
            code, output = _run(app, "backup", str(path))
            for future in pending:
                future.result(timeout=300)
        assert code == 0, output
        # votes were still arriving when the backup began. (Not "acknowledged while it ran": the
        # acknowledgements are counted by this process's threads, which SQLite's backup, run in
        # this process, can keep from running until it ends; that failed once, with 0.)
        assert len(before_backup) < VOTERS
        anchor = output.rsplit(" ", 1)[1].strip()
        result = server.api("POST", f"/polls/{live}/close", assembly["chair"]).json()["result"]
    assert result["counts"]["yes"] == VOTERS

    # the live database still holds the head the backup printed, and verifies
    assert _run(app, "audit", "verify", "--head", anchor)[0] == 0
    assert _run(app, "audit", "recount")[0] == 0

    code, output = _run(restored_app, "restore", str(path))
    assert code == 0, output
    assert "audit trail intact" in output
    code, output = _run(restored_app, "audit", "verify", "--head", anchor)
    assert code == 0, output
    code, output = _run(restored_app, "audit", "recount")
    assert code == 0, output
    assert "recount holds for all 1 closed polls" in output  # the live poll was still open in the backup
    with restored_app.app_context():
        from voting.models import Ballot, Participation, Poll
        poll = db.session.get(Poll, live)
        assert poll.status == "open"
        receipts = set(db.session.scalars(db.select(Ballot.receipt).where(Ballot.poll_id == live)))
        taking_part = db.session.scalar(db.select(db.func.count()).select_from(Participation)
                                        .where(Participation.poll_id == live))
    assert before_backup <= receipts  # every vote acknowledged before the backup began is in it
    assert len(receipts) == taking_part  # and no vote is there by halves


def test_a_restore_refuses_a_database_holding_data_unless_told(demo, app, restored_app, tmp_path):
    path = tmp_path / "demo.backup"
    code, output = _run(app, "backup", str(path))
    assert code == 0, output
    code, output = _run(app, "restore", str(path))
    assert code == 1
    assert "the database holds data (" in output and "members" in output and "--overwrite" in output
    code, output = _run(app, "restore", str(path), "--overwrite")
    assert code == 0 and "audit trail intact" in output
    assert _run(restored_app, "restore", str(path))[0] == 0  # a fresh database needs no flag
    assert _run(restored_app, "audit", "recount")[0] == 0


def test_what_is_no_backup_or_the_wrong_kind_is_refused(app, tmp_path, database_url):
    garbage = tmp_path / "notes.txt"
    garbage.write_text("not a backup")
    code, output = _run(app, "restore", str(garbage))
    assert code == 1 and "neither a SQLite database nor a pg_dump custom-format archive" in output
    other = tmp_path / "other.backup"
    if make_url(database_url).get_backend_name() == "sqlite":
        other.write_bytes(b"PGDMP" + b"\0" * 64)
        expected = "is a postgresql backup; the configured database is sqlite"
    else:
        other.write_bytes(b"SQLite format 3\x00" + b"\0" * 64)
        expected = "is a sqlite backup; the configured database is postgresql"
    code, output = _run(app, "restore", str(other))
    assert code == 1 and expected in output
    assert _run(app, "restore", str(tmp_path / "missing.backup"))[0] == 1


def test_without_the_postgresql_client_the_message_says_what_to_install(app, tmp_path, database_url):
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("pg_dump is for PostgreSQL")
    code, output = _run(app, "backup", str(tmp_path / "x.backup"), env={"PATH": str(tmp_path)})
    assert code == 1
    assert "pg_dump (the PostgreSQL client) is not installed here: install postgresql-client" in output
    assert not (tmp_path / "x.backup").exists()


def test_a_backup_of_the_demo_restores_into_a_fresh_database_with_the_same_record(demo, app, restored_app,
                                                                                 tmp_path):
    path = tmp_path / "demo.backup"
    assert _run(app, "backup", str(path))[0] == 0
    assert _run(restored_app, "restore", str(path))[0] == 0
    tables = ("members", "users", "meetings", "agenda_items", "audit_events")

    def snapshot(some_app):
        with some_app.app_context():
            counts = {t: db.session.execute(db.text(f"SELECT count(*) FROM {t}")).scalar() for t in tables}
            head = db.session.execute(db.text("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")).one()
            return counts, tuple(head)
    assert snapshot(app) == snapshot(restored_app)


def test_a_sqlite_backup_holds_the_commits_still_in_the_write_ahead_log(demo, app, restored_app, tmp_path,
                                                                      database_url):
    """The newest commits of a running SQLite database are in its -wal file until a checkpoint:
    a copy of the database file would miss them; the online backup API does not."""
    if make_url(database_url).get_backend_name() != "sqlite":
        pytest.skip("the write-ahead log is SQLite's")
    import sqlite3
    server = sqlite3.connect(make_url(database_url).database)  # stands for a running server's connection
    try:
        server.execute("PRAGMA wal_autocheckpoint=0")
        server.execute("UPDATE members SET office = 'Treasurer' WHERE name = 'Seoul'")
        server.commit()
        path = tmp_path / "live.backup"
        code, output = _run(app, "backup", str(path))
        assert code == 0, output
    finally:
        server.close()
    assert _run(restored_app, "restore", str(path))[0] == 0
    with restored_app.app_context():
        office = db.session.execute(db.text("SELECT office FROM members WHERE name = 'Seoul'")).scalar()
    assert office == "Treasurer"
