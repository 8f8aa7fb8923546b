"""The schema comes from hand-reviewed Alembic migrations that run both ways on both databases."""
import pytest
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from governance.extensions import db
from governance.resources import resource_dir
from tests.databases import ONE_DATABASE

pytestmark = pytest.mark.both_databases  # Alembic migrations, which each database runs its own way


@ONE_DATABASE
def test_there_is_one_alembic_head(app):
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config(str(resource_dir("migrations")))
        assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_migrations_go_down_to_nothing_and_up_again(app):
    with app.app_context():
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
    assert {"members", "users", "meetings", "agenda_items", "attendance", "audit_events"} <= tables


def test_the_migrations_match_the_models(app):
    """Autogenerate finds nothing to add: no model change without its migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True})
        differences = [d for d in compare_metadata(context, db.metadata)]
    assert differences == []


@pytest.mark.committed  # SQLite's foreign keys are switched off only outside a transaction
def test_a_database_holding_a_meeting_goes_down_and_up_again(app, demo):
    """Real databases are upgraded with rows in them. SQLite rebuilds a table to alter it (copy,
    drop, rename); with foreign keys enforced, dropping a table that rows reference failed, so
    an installation holding a meeting could not be upgraded although an empty one could."""
    from governance.registry.models import Member
    with app.app_context():
        members = db.session.scalar(db.select(db.func.count()).select_from(Member))
        db.session.rollback()
        downgrade(revision="0004_outbox")
        upgrade()
        assert db.session.scalar(db.select(db.func.count()).select_from(Member)) == members
