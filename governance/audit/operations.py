"""Writing and checking the audit trail."""
from dataclasses import dataclass

from sqlalchemy import text

from governance.audit.models import GENESIS, AuditEvent
from governance.dbtypes import utcnow
from governance.extensions import db

# Any constant: PostgreSQL advisory locks are named by a number.
_CHAIN_LOCK = 7_240_920


def _lock_chain() -> None:
    """Serialise appends so two transactions never chain onto the same predecessor.

    SQLite already runs one writer at a time (BEGIN IMMEDIATE); on PostgreSQL a
    transaction-scoped advisory lock does it, released by the commit that publishes the event.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK})


def record(action: str, *, actor=None, meeting=None, subject=None, before: dict | None = None,
           after: dict | None = None) -> AuditEvent:
    """Append an event to the trail in the current transaction (it commits with the change)."""
    _lock_chain()
    last = db.session.scalar(db.select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
    event = AuditEvent(
        seq=(last.seq + 1) if last else 1,
        created_at=utcnow(),
        actor_id=getattr(actor, "id", None),
        meeting_id=getattr(meeting, "id", meeting),
        action=action,
        subject_type=type(subject).__name__ if subject is not None else None,
        subject_id=getattr(subject, "id", None),
        before=before,
        after=after,
        prev_hash=last.hash if last else GENESIS,
    )
    event.hash = event.compute_hash()
    db.session.add(event)
    db.session.flush()
    return event


@dataclass(frozen=True)
class ChainReport:
    events: int
    head: str                 # the newest hash: write it down to detect a truncated trail later
    broken_at: int | None     # seq of the first event that does not hold, if any
    problem: str | None

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify_chain() -> ChainReport:
    """Walk the trail oldest first and report the first link that does not hold."""
    previous_hash, expected_seq, count = GENESIS, 1, 0
    query = db.select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=1000)
    for event in db.session.scalars(query):
        count += 1
        if event.seq != expected_seq:
            return ChainReport(count, previous_hash, expected_seq,
                               f"event {expected_seq} is missing (found {event.seq} next)")
        if event.prev_hash != previous_hash:
            return ChainReport(count, previous_hash, event.seq,
                               "does not follow the event before it (deleted, inserted or reordered)")
        if event.compute_hash() != event.hash:
            return ChainReport(count, previous_hash, event.seq, "its content was changed after it was written")
        previous_hash, expected_seq = event.hash, expected_seq + 1
    return ChainReport(count, previous_hash, None, None)
