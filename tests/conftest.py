"""Shared fixtures, after the Flask tutorial's conftest and Indico's factory fixtures.

Every test that takes `app` runs twice: on SQLite and on the machine's PostgreSQL (a fresh
database made for this run and dropped after it). When PostgreSQL cannot be reached those
runs are skipped, and the summary at the end says so.
"""
import os
import uuid

import psycopg
import pytest

from governance import create_app
from governance.extensions import db
from tests.factories import ApiClient, Factories, wipe_database

POSTGRES_ADMIN_URL = os.environ.get("EXCOM_TEST_POSTGRES", "postgresql://127.0.0.1:5432/test")
_backend_status: dict[str, str] = {}


def _sqlalchemy_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


@pytest.fixture(scope="session")
def postgres_database():
    """A fresh PostgreSQL database for this run, or None when the server is not there."""
    name = f"excom_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        _backend_status["postgresql"] = f"skipped: not reachable at {POSTGRES_ADMIN_URL} ({error.__class__.__name__})"
        yield None
        return
    admin.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    yield _sqlalchemy_url(f"{base}/{name}")
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _migrate(url: str, instance: str) -> None:
    from flask_migrate import upgrade
    app = create_app({"EXCOM_DATABASE_URL": url, "EXCOM_INSTANCE_PATH": instance, "EXCOM_SECRET_KEY": "t"})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory):
    """The schema, built by the real migrations, on each database in turn."""
    instance = str(tmp_path_factory.mktemp("migrate"))
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'excom.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_database")
        if url is None:
            pytest.skip(f"PostgreSQL {_backend_status['postgresql']}")
    _migrate(url, instance)
    _backend_status.setdefault(request.param, "ran")
    return url


@pytest.fixture
def app_config(database_url, tmp_path):
    return {
        "TESTING": True,
        "EXCOM_DATABASE_URL": database_url,
        "EXCOM_INSTANCE_PATH": str(tmp_path / "instance"),
        "EXCOM_SECRET_KEY": "test-secret",
        "EXCOM_DEMO_PASSWORD": "excom-demo",
        # hashing dozens of demo passwords with scrypt per test would dominate the suite's time
        "EXCOM_PASSWORD_METHOD": "pbkdf2:sha256:1000",
    }


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    yield app
    wipe_database(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make():
    """Factories in the style of Indico's create_* fixtures: make.member(), make.user(), ...

    Call them inside `with app.app_context():`. No context is held open for the whole test:
    on SQLite a lingering transaction would hold the write lock against the requests."""
    return Factories()


@pytest.fixture
def api(client):
    """api.as_user(email) -> an ApiClient signed in through POST /auth/login."""
    return ApiClient(client)


@pytest.fixture
def demo(app, runner):
    """The EXCOM 2024 Almaty meeting, loaded by `excom demo` as a newcomer would."""
    from governance.cli import main
    result = runner.invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        from governance.meetings.models import Meeting
        return db.session.scalar(db.select(Meeting.id))


def pytest_terminal_summary(terminalreporter):
    if _backend_status:
        lines = [f"{name}: {state}" for name, state in sorted(_backend_status.items())]
        terminalreporter.write_sep("-", "databases: " + "; ".join(lines))
