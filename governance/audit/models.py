from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from governance.audit import chain
from governance.dbtypes import UTCDateTime, utcnow
from governance.extensions import Model

GENESIS = chain.GENESIS


class AuditEvent(Model):
    """One change of state: who did what, when, with what before and after.

    Each event holds the hash of the one before (`prev_hash`) and its own hash over its
    content and that link, so that editing, deleting or reordering any event breaks the
    chain at that point (the rules: governance.audit.chain). `scheme` says which hash rule
    wrote it (1: before the canonical form; 2: canonical); `mac` is set when the event was
    written while EXCOM_AUDIT_KEY was configured. The ids it names are plain integers, not foreign keys: the trail
    must outlive what it speaks of, and no cascade may ever delete from it.
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(unique=True)  # 1, 2, 3 ... with no gap: a fork or a hole shows
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column()
    meeting_id: Mapped[int | None] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(80))
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column()
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64))
    scheme: Mapped[int] = mapped_column(default=chain.CURRENT_SCHEME, server_default="1")
    mac: Mapped[str | None] = mapped_column(String(64))

    def content(self) -> dict:
        """What the hash covers, `created_at` in its canonical UTC form."""
        return {
            "seq": self.seq,
            "created_at": chain.canonical_time(self.created_at),
            "actor_id": self.actor_id,
            "meeting_id": self.meeting_id,
            "action": self.action,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "before": self.before,
            "after": self.after,
        }

    def link(self, *, with_content: bool = True) -> chain.Link:
        content = self.content()
        return chain.Link(seq=self.seq, prev_hash=self.prev_hash, hash=self.hash, scheme=self.scheme, mac=self.mac,
                          content=content if with_content else None,
                          digest=chain.content_digest(content) if self.scheme == chain.CANONICAL else None)
