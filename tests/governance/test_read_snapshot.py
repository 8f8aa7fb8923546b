"""A recount or an archive reads the record as of one moment: an event committed by another
process while it reads is not half-seen (governance.audit.trail.read_snapshot)."""
import pytest
from sqlalchemy import func, select, text

from governance.audit.models import AuditEvent
from governance.audit.trail import read_snapshot
from governance.extensions import db


@pytest.mark.committed  # the other process is a second connection
def test_an_event_committed_meanwhile_is_not_seen_by_a_reading_recount(app, make):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("SQLite's read transaction is one snapshot by itself")
    with app.app_context():
        make.member(name="Almaty")  # one audited event to start from
        db.session.commit()
        read_snapshot()
        before = db.session.scalar(select(func.count()).select_from(AuditEvent))
        with db.engine.connect() as other_process:
            other_process.execute(text("DELETE FROM audit_events WHERE seq = (SELECT max(seq) FROM audit_events)"))
            other_process.commit()
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before - 1
