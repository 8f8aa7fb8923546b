from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from governance.dbtypes import UTCDateTime, utcnow
from governance.extensions import Model


class WithheldChange(Model):
    """A change made by a closed-session decision that is not yet published: what the thing
    was before it, as everyone who may not see that closed session still sees it.

    kind: one of governance.publication.EFFECTS ("meeting.next_host", "member.status",
    "organisation.logo", "meeting.agenda_locked"); subject_id: the meeting's, member's or
    organisation's id; public_value: the JSON value before; public_data: bytes before (a logo)."""

    __tablename__ = "withheld_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    motion_id: Mapped[int | None] = mapped_column(ForeignKey("motions.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int] = mapped_column()
    public_value: Mapped[dict | None] = mapped_column(JSON)
    public_data: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Publication(Model):
    """When the secretariat last published a meeting's closed-session decisions: every
    decision taken before that moment is public."""

    __tablename__ = "publications"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
