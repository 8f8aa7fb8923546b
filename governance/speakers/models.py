"""The speakers' list: one row per request to speak, point of order or written question.

A row moves waiting → speaking → done, or waiting → withdrawn (the speaker, or the chair, takes
it back); a written question may be marked answered (done) without being spoken. At most one
person speaks at a time in a meeting: a partial unique index on the speaking rows makes two
chairs' simultaneous starts fail in the database, not only in Python.
"""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.auth.models import User
from governance.dbtypes import UTCDateTime, utcnow
from governance.extensions import Model, db
from governance.meetings.models import AgendaItem

SPEAKER_KINDS = ("speech", "question", "point_of_order")
SPEAKER_MODES = ("in_person", "online")
SPEAKER_STATUSES = ("waiting", "speaking", "done", "withdrawn")


class Speaker(Model):
    __tablename__ = "speakers"
    __table_args__ = (
        CheckConstraint(f"kind IN {SPEAKER_KINDS}", name="kind"),
        CheckConstraint(f"mode IN {SPEAKER_MODES}", name="mode"),
        CheckConstraint(f"status IN {SPEAKER_STATUSES}", name="status"),
        Index("uq_speakers_one_speaking", "meeting_id", unique=True,
              sqlite_where=db.text("status = 'speaking'"), postgresql_where=db.text("status = 'speaking'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    mode: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="waiting")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # who put the request in: the person themself, or the chair/secretariat for them
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    item: Mapped[AgendaItem] = relationship()
