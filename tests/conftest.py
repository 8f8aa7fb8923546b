"""Shared fixtures, after the Flask tutorial's conftest and Indico's factory fixtures.

A test that takes `app` runs once, on the machine's PostgreSQL, the production database (on
SQLite when PostgreSQL cannot be reached). A test whose subject is something each database does
its own way (transactions and locks, migrations, SQL written by hand, ids, sequences and
ordering, what the record and the ballot box store) is marked `both_databases` and runs twice:
on SQLite, the embedded default, and on PostgreSQL (databases made for this run and dropped
after it). When PostgreSQL cannot be reached its runs are skipped, and the summary at the end
says so.

Isolation (tests/databases.py): a test's app works inside one transaction that is rolled back
when the test ends, on a base database that already holds the schema, and the demo when the
test asks for `demo` (the played demo when it asks for `played`, tests/minutes). Tests whose writes
must really be committed (they start server processes, open several connections at once, or run
migrations) get the `database_url` database instead, wiped after each test. They are recognised by
asking for `database_url` or `app_config` themselves (directly or through a fixture of theirs), or by
the marks `live` and `committed`. (A rolled-back test's app has one connection: a test that needs two
at once fails with "QueuePool limit of size 1 overflow 0 reached": mark it `committed`.)

`make test` runs the suite on three pytest-xdist workers (--dist loadgroup). Each worker makes
its own databases; the tests of an expensive shared fixture (the browser's server, the access
matrix's scene) run on one worker: see `_ONE_WORKER`.
"""
import gc
import os
from collections import Counter

import psycopg
import pytest
from hypothesis import settings

from governance import create_app, services
from governance.extensions import db
from tests.databases import (
    Backend,
    nest_transactions,
    no_fsync,
    roll_back,
    rollback_engine_options,
)
from tests.databases import migrate as _migrate  # noqa: F401  (tests import it from here)
from tests.factories import ApiClient, Factories, wipe_database
from tests.url_rules import compile_once

# Hypothesis fails an example that takes longer than its deadline (200 ms): a timed assertion,
# which a loaded machine trips on a pure function (test_quorum_rules failed so, once, with another
# suite running beside it). Properties here say what is true, never how fast.
settings.register_profile("excom", deadline=None)
settings.load_profile("excom")
# Werkzeug compiles every URL rule of every test app anew: once per process is enough
compile_once()

POSTGRES_ADMIN_URL = os.environ.get("EXCOM_TEST_POSTGRES", "postgresql://127.0.0.1:5432/test")
DEMO_PASSWORD = "excom-demo"
_backend_status: dict[str, str] = {}


def _postgresql_error() -> psycopg.OperationalError | None:
    try:
        psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3).close()
    except psycopg.OperationalError as error:
        return error
    return None


def pytest_configure(config):
    # the database of the tests that run once: PostgreSQL, or SQLite where there is none
    config.excom_one_database = "sqlite" if _postgresql_error() else "postgresql"
    # The collector as `excom serve` sets it (governance/serve.py): a test process holds a
    # large heap of long-lived objects (mappers, schemas, the fuzzer's strategies) which the
    # default thresholds (700, 10, 10) scan again and again: in the tests of motions, polls and
    # the casting vote, 5.5 s of their 22.4 s of CPU went to 2,410 collections; 1.4 s to 161 so
    # (timed with gc.callbacks).
    gc.set_threshold(10_000, 20, 20)


def pytest_collection_finish(session):
    gc.collect()
    gc.freeze()  # what collection imported and built lives as long as the process


@pytest.hookimpl(tryfirst=True)  # before pytest reads the parametrize marks
def pytest_generate_tests(metafunc):
    """Each test that uses a database runs on one (`excom_one_database`), unless it is marked
    `both_databases` or names its database itself (a `parametrize` of `backend`)."""
    if "backend" not in metafunc.fixturenames or metafunc.definition.get_closest_marker("both_databases"):
        return
    if any("backend" in str(mark.args[0]) for mark in metafunc.definition.iter_markers("parametrize")):
        return
    metafunc.definition.add_marker(
        pytest.mark.parametrize("backend", [metafunc.config.excom_one_database], indirect=True))


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request, tmp_path_factory):
    """The test databases of one backend (tests/databases.py), made on first use."""
    workdir = tmp_path_factory.mktemp(request.param)
    if request.param == "postgresql" and (error := _postgresql_error()) is not None:
        _backend_status["postgresql"] = \
            f"skipped: not reachable at {POSTGRES_ADMIN_URL} ({error.__class__.__name__})"
        pytest.skip(f"PostgreSQL {_backend_status['postgresql']}")
    databases = Backend(request.param, workdir, POSTGRES_ADMIN_URL if request.param == "postgresql" else None,
                        DEMO_PASSWORD)
    _backend_status.setdefault(request.param, "ran")
    yield databases
    databases.drop_all()


@pytest.fixture(scope="session")
def database_url(backend):
    """A database with the schema built by the real migrations, on each backend in turn, for
    tests whose writes must be committed. A test's `app` on it is wiped after the test."""
    return backend.scratch_url


@pytest.fixture
def app_config(database_url, tmp_path):
    return {
        "TESTING": True,
        "EXCOM_DATABASE_URL": database_url,
        "EXCOM_INSTANCE_PATH": str(tmp_path / "instance"),
        "EXCOM_SECRET_KEY": "test-secret",
        "EXCOM_DEMO_PASSWORD": DEMO_PASSWORD,
        # hashing dozens of demo passwords with scrypt per test would dominate the suite's time
        "EXCOM_PASSWORD_METHOD": "pbkdf2:sha256:1000",
    }


# Fixtures that hand out the committed database: asking for them (other than through `app`)
# means the test's own code, or a server it starts, opens connections of its own.
_COMMITTED_DATABASE = {"database_url", "app_config"}


def needs_commits(request) -> bool:
    node = request.node
    if node.get_closest_marker("live") or node.get_closest_marker("committed"):
        return True
    info = node._fixtureinfo
    if _COMMITTED_DATABASE & set(info.argnames):
        return True
    return any(_COMMITTED_DATABASE & set(definition.argnames)
               for name, definitions in info.name2fixturedefs.items() if name not in ("app", "app_config")
               for definition in definitions)


@pytest.fixture
def app(request, app_config, backend):
    if needs_commits(request):
        app = create_app({**app_config, "TEST_DATABASE": "committed"})
        with app.app_context():
            no_fsync(db.engine)
        yield app
        services.stop_all(app)  # no background task touches the database once the test ends
        wipe_database(app)
        return
    # the base this test starts from: what the fixtures it asks for would load (BASES)
    base = next((name for name in ("played", "demo") if name in request.fixturenames), "empty")
    app = create_app({**app_config, "EXCOM_DATABASE_URL": backend.base_url(base),
                      "SQLALCHEMY_ENGINE_OPTIONS": rollback_engine_options(),
                      "TEST_DATABASE": base, "TEST_DATABASE_OUTPUT": backend.outputs.get(base, "")})
    with app.app_context():
        engine = db.engine
    held = nest_transactions(engine)
    yield app
    services.stop_all(app)
    with app.app_context():
        db.session.remove()
    roll_back(engine, held)


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
    """The EXCOM 2024 Almaty meeting, loaded by `excom demo` as a newcomer would (into the
    test's base database once per run, or now when the test commits)."""
    from governance.cli import main
    from governance.meetings.models import Meeting
    if app.config["TEST_DATABASE"] not in ("demo", "played"):
        result = runner.invoke(main, ["demo"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        return db.session.scalar(db.select(Meeting.id).order_by(Meeting.id))


# Fixtures that build something expensive once per module or per run: their tests stay
# together on one xdist worker (--dist loadgroup), which builds it once.
# (tests/pages/test_live_first_run.py's tests are one scene in three acts on one fresh server.)
_ONE_WORKER = {"live_server": "browser", "scene": "access-matrix", "played": "played-meeting",
               "fresh_server": "first-run"}


def _rename(item, nodeid: str) -> None:
    """Give an item another node id (pytest >= 9.2 keeps it structured in `_id`)."""
    if hasattr(item, "_id"):
        from _pytest.nodeid import NodeId
        item._id = NodeId.parse(nodeid)
    else:
        item._nodeid = nodeid


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config, items):
    # schemathesis names each operation's test ("test_fuzz[GET /api/v1/me]") but gives them all
    # the function's node id; xdist schedules by node id and would run only one of them
    ids = Counter(item.nodeid for item in items)
    for item in items:
        if ids[item.nodeid] > 1 and not item.nodeid.endswith("::" + item.name):
            _rename(item, f"{item.nodeid.rsplit('::', 1)[0]}::{item.name}")
    # an xdist worker of --dist loadgroup (a worker's own `dist` option is not the controller's:
    # xdist tells it through `option.loadgroup`)
    loadgroup = hasattr(config, "workerinput") and (
        config.getvalue("dist") == "loadgroup" or getattr(config.option, "loadgroup", False))
    for item in items:
        group = next((name for fixture, name in _ONE_WORKER.items() if fixture in item.fixturenames), None)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))
            if loadgroup and "@" not in item.nodeid:
                # what xdist does itself, but through `_nodeid`, which pytest 9.2 no longer reads
                _rename(item, f"{item.nodeid}@{group}")


def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker tells the controller which databases it ran
        workeroutput["excom_databases"] = dict(_backend_status)


@pytest.hookimpl(optionalhook=True)  # an xdist hook
def pytest_testnodedown(node, error):
    for name, state in getattr(node, "workeroutput", {}).get("excom_databases", {}).items():
        if _backend_status.get(name) != "ran":
            _backend_status[name] = state


def pytest_terminal_summary(terminalreporter):
    if _backend_status:
        lines = [f"{name}: {state}" for name, state in sorted(_backend_status.items())]
        terminalreporter.write_sep("-", "databases: " + "; ".join(lines))
