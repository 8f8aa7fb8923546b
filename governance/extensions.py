"""The Flask extensions, created unbound and attached in create_app (the init_app pattern)."""
import sqlite3
from typing import TYPE_CHECKING

import flask_smorest
import marshmallow
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase
from webargs.flaskparser import FlaskParser

from governance.errors import ErrorBody


class Base(DeclarativeBase):
    # Named constraints, so that Alembic can drop and alter them on SQLite and PostgreSQL alike.
    metadata = MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    })


class ExcomApi(Api):
    """flask-smorest, documenting API.md's error body instead of its own, and writing the OpenAPI
    document when it is first read rather than while the app is built.

    Documenting a blueprint (resolving every schema of every route) was half of `create_app`'s
    time (~70 ms of ~150 ms, `python -m cProfile` over create_app): paid by every process and
    every test's app, though only /api/v1/openapi.json and the API's own tests read the document.
    The blueprint's routes are registered at once, as flask-smorest does; its pages in the
    document are written, in the same order, on the first read of `spec`."""

    ERROR_SCHEMA = ErrorBody

    def __init__(self, *args, **kwargs):
        self._undocumented: list[tuple] = []
        self._spec = None
        super().__init__(*args, **kwargs)

    @property
    def spec(self):
        if self._undocumented and self._spec is not None:
            waiting, self._undocumented = self._undocumented, []
            for blp, name, parameters in waiting:
                blp.register_views_in_doc(self, self._app, self._spec, name=name, parameters=parameters)
                self._spec.tag({"name": name, "description": blp.description})
        return self._spec

    @spec.setter
    def spec(self, value) -> None:
        # a new app's document (init_app): what another app left undocumented is not its own
        self._spec, self._undocumented = value, []

    def register_blueprint(self, blp, *, parameters=None, **options) -> None:
        """flask-smorest's `register_blueprint`, with the blueprint's documentation left for later."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))


class _OneSchemaEach(FlaskParser):
    """webargs' parser, loading each request's input with one instance of the route's schema.

    The routes name their input schema by its class (`@blp.arguments(AttendanceIn)`), and
    webargs made a new instance of it for every request: marshmallow copies every declared
    field into each instance, a tenth of a millisecond of a write request's CPU (the
    registration benchmark, docs/performance.md). Loading keeps nothing in the instance (no
    input schema here holds state), so one per class serves every request."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._instances: dict[type, marshmallow.Schema] = {}

    def _get_schema(self, argmap, req) -> marshmallow.Schema:
        if isinstance(argmap, type) and issubclass(argmap, marshmallow.Schema):
            if argmap not in self._instances:
                self._instances[argmap] = argmap()
            return self._instances[argmap]
        return super()._get_schema(argmap, req)


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's blueprint, whose routes load their input with one schema instance per
    class (_OneSchemaEach). Every API module makes its blueprint from this one."""

    ARGUMENTS_PARSER = _OneSchemaEach()


db = SQLAlchemy(model_class=Base)
# The base of every model. Flask-SQLAlchemy builds `db.Model` from `Base` at run time, which a type
# checker cannot follow; it sees `Base` (same columns, same metadata) instead.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
api = ExcomApi()
socketio = SocketIO()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


@event.listens_for(Engine, "connect")
def _sqlite_connection(dbapi_connection, _record):
    """SQLite as a database a vote can trust.

    WAL lets pages read while a vote is written; synchronous=FULL makes an acknowledged
    vote survive a power cut; foreign keys are off in SQLite unless asked for. The driver's
    own transaction handling is switched off so that `_sqlite_begin` can say BEGIN IMMEDIATE.
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection):
    """Take SQLite's write lock when the transaction starts, not at its first write.

    A deferred transaction that reads and then writes fails at once with SQLITE_BUSY when
    another connection wrote in between, instead of waiting its turn; IMMEDIATE waits
    (busy_timeout) and so serialises writers the way PostgreSQL's row locks would.

    A connection already inside a transaction holds the lock: the test suite runs each test
    in one outer transaction and makes every transaction of the app a savepoint in it.
    """
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
