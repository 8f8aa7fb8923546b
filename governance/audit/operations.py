"""Writing and checking the audit trail."""
import functools

from flask import current_app, has_app_context
from sqlalchemy import text

from governance.audit import chain
from governance.audit.models import AuditEvent
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


def audit_key() -> bytes | None:
    """EXCOM_AUDIT_KEY (kept outside the database), as bytes; None when not configured."""
    key = current_app.config.get("EXCOM_AUDIT_KEY") if has_app_context() else None
    return key.encode() if isinstance(key, str) and key else (key or None)


def record(action: str, *, actor=None, meeting=None, subject=None, before: dict | None = None,
           after: dict | None = None) -> None:
    """Append an event to the trail in the current transaction (it commits with the change).

    `before` and `after` are stored as they come back from JSON (what is hashed is what is
    stored); the time is hashed as UTC, whatever offset the clock gave it.

    The event is written by one INSERT, not added to the session: nothing reads it back in the
    transaction that writes it, and the ORM's flush of one more object cost every write request
    about 0.1 ms (the registration benchmark, docs/performance.md). Reading the head flushes
    what the caller left pending, as the flush here used to."""
    _lock_chain()
    last_seq, last_hash = head()
    event = AuditEvent(
        seq=last_seq + 1,
        created_at=utcnow(),
        actor_id=getattr(actor, "id", None),
        meeting_id=getattr(meeting, "id", meeting),
        action=action,
        subject_type=type(subject).__name__ if subject is not None else None,
        subject_id=getattr(subject, "id", None),
        before=chain.json_value(before),
        after=chain.json_value(after),
        prev_hash=last_hash,
        scheme=chain.CANONICAL,
    )
    event.hash = chain.link_hash(event.seq, event.prev_hash, chain.content_digest(event.content()))
    key = audit_key()
    event.mac = chain.mac(key, event.seq, event.hash) if key else None
    db.session.execute(_append(), {name: getattr(event, name) for name in _WRITTEN})


_WRITTEN = ("seq", "created_at", "actor_id", "meeting_id", "action", "subject_type", "subject_id", "before",
            "after", "prev_hash", "hash", "scheme", "mac")


@functools.cache
def _append():
    """The INSERT of one event (every write request appends one), built once."""
    return db.insert(AuditEvent.__table__)


def head() -> tuple[int, str]:
    """(seq, hash) of the newest event; (0, GENESIS) for an empty trail."""
    last = db.session.execute(_newest()).first()
    return (last.seq, last.hash) if last else (0, chain.GENESIS)


@functools.cache
def _newest():
    """The newest link's seq and hash only (every write asks it: no whole event, no JSON to
    read back), built once."""
    return db.select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)


def verify_chain(anchors=(), key: bytes | None = None) -> chain.Walk:
    """Walk the trail oldest first (chain.walk): the first link that does not hold, and
    whether each anchor (seq, hash) copied from outside the database is still in it.

    `key` defaults to EXCOM_AUDIT_KEY."""
    query = db.select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=1000)
    links = (event.link() for event in db.session.scalars(query))
    return chain.walk(links, key=key if key is not None else audit_key(), anchors=anchors)
