"""Reading the audit trail back, for those who compare the record with it (`excom audit recount`)."""
from collections import defaultdict
from dataclasses import dataclass

from psycopg.pq import TransactionStatus
from sqlalchemy import select

from governance.audit.models import AuditEvent
from governance.extensions import db


@dataclass(frozen=True)
class Finding:
    """One disagreement: what it concerns ("poll 12 (To adopt the budget)") and what differs."""

    subject: str
    problem: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.problem}"


class Trail:
    """Events of the trail as plain dicts ({"seq", "action", "meeting_id", "subject_type",
    "subject_id", "before", "after"}), oldest first, indexed by subject and by action."""

    def __init__(self, events: list[dict]):
        self.events = events
        self._by_subject: dict[tuple, list[dict]] = defaultdict(list)
        self._by_action: dict[str, list[dict]] = defaultdict(list)
        for event in events:
            self._by_subject[(event["subject_type"], event["subject_id"])].append(event)
            self._by_action[event["action"]].append(event)

    @classmethod
    def load(cls, actions: tuple[str, ...]) -> "Trail":
        """The events of these actions, read once."""
        rows = db.session.execute(
            select(AuditEvent.seq, AuditEvent.action, AuditEvent.meeting_id, AuditEvent.subject_type,
                   AuditEvent.subject_id, AuditEvent.before, AuditEvent.after)
            .where(AuditEvent.action.in_(actions)).order_by(AuditEvent.seq)
            .execution_options(yield_per=2000))
        return cls([dict(row._mapping) for row in rows])

    def about(self, subject_type: str, subject_id: int, *actions: str) -> list[dict]:
        events = self._by_subject.get((subject_type, subject_id), [])
        return [e for e in events if not actions or e["action"] in actions]

    def of_action(self, *actions: str) -> list[dict]:
        if len(actions) == 1:
            return list(self._by_action.get(actions[0], []))
        return sorted((e for action in actions for e in self._by_action.get(action, [])), key=lambda e: e["seq"])


def read_snapshot() -> None:
    """Make the rest of this session's transaction read one snapshot (PostgreSQL: REPEATABLE
    READ; SQLite's read transactions already are one), so that a poll closed while a recount or
    an archive reads is seen with its events or not at all. Call before the first query."""
    if db.session.get_bind().dialect.name != "postgresql" or db.session().in_transaction():
        return
    connection = db.session.connection()
    # SET TRANSACTION only as the transaction's first statement; a connection already inside a
    # transaction its owner opened (the tests' rolled-back one) keeps that transaction's snapshot
    dbapi_connection = connection.connection.dbapi_connection
    assert dbapi_connection is not None  # a connection in use holds its driver's
    if dbapi_connection.info.transaction_status == TransactionStatus.IDLE:
        connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


def reason_of(event: dict) -> str:
    return str((event.get("after") or {}).get("reason") or "")
