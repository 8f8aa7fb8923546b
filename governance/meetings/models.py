from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, overload
from zoneinfo import ZoneInfo

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.auth.models import User
from governance.dbtypes import UTCDateTime, utcnow
from governance.extensions import Model, db
from governance.registry.models import Member

if TYPE_CHECKING:  # governance.documents imports this module
    from governance.documents.models import ItemDocument

QUORUM_RULES = ("majority", "two_thirds", "count")
SESSION_KINDS = ("open", "closed")
ITEM_KINDS = ("procedural", "report", "motion", "membership", "host_city", "logo",
              "agenda_adoption", "minutes_approval", "statutes_amendment")


class Group(StrEnum):
    """A participant's group at a meeting (`participants.group`): only EXCOM members vote and count
    towards quorum."""

    EXCOM_MEMBER = "excom_member"
    OBSERVER_CITY = "observer_city"
    OBSERVER_INSTITUTION = "observer_institution"
    OBSERVER_MEDIA = "observer_media"
    OBSERVER_CORPORATE = "observer_corporate"
    SECRETARIAT = "secretariat"
    GUEST = "guest"


GROUPS = tuple(group.value for group in Group)  # plain strings: the CHECK constraint is written from them
ATTENDANCE_MODES = ("in_person", "online")


class Meeting(Model):
    __tablename__ = "meetings"
    __table_args__ = (CheckConstraint(f"quorum_rule IN {QUORUM_RULES}", name="quorum_rule"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    # How resolutions are numbered: "EXCOM 2024" gives "EXCOM 2024/R1".
    reference: Mapped[str] = mapped_column(String(60), default="")
    kind: Mapped[str] = mapped_column(String(60), default="Executive Committee meeting")
    venue: Mapped[str] = mapped_column(String(300), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    quorum_rule: Mapped[str] = mapped_column(String(20), default="majority")
    quorum_count: Mapped[int | None] = mapped_column()
    current_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL", use_alter=True))
    agenda_locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    adjourned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The member that hosts the next meeting, as this meeting's host-city vote decided.
    next_host_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    # Each speaker's time on the floor, in seconds (the projector's timer counts against it).
    speaking_time: Mapped[int] = mapped_column(default=180, server_default="180")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    sessions: Mapped[list["MeetingSession"]] = relationship(
        back_populates="meeting", order_by="MeetingSession.position", cascade="all, delete-orphan")
    participants: Mapped[list["Participant"]] = relationship(back_populates="meeting", cascade="all, delete-orphan")
    current_item: Mapped["AgendaItem | None"] = relationship(foreign_keys=[current_item_id], post_update=True)
    next_host: Mapped[Member | None] = relationship()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @overload
    def local(self, moment: datetime) -> datetime: ...
    @overload
    def local(self, moment: None) -> None: ...
    def local(self, moment: datetime | None) -> datetime | None:
        return moment.astimezone(self.zone) if moment else None

    @property
    def agenda_locked(self) -> bool:
        return self.agenda_locked_at is not None

    def agenda(self) -> list["AgendaItem"]:
        return [item for session in self.sessions for item in session.items]


class MeetingSession(Model):
    """A part of a meeting held in the open (everyone) or closed (EXCOM members only)."""

    __tablename__ = "meeting_sessions"
    __table_args__ = (CheckConstraint(f"kind IN {SESSION_KINDS}", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(default=0)
    venue: Mapped[str] = mapped_column(String(300), default="")
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    meeting: Mapped[Meeting] = relationship(back_populates="sessions")
    items: Mapped[list["AgendaItem"]] = relationship(
        back_populates="session", order_by="AgendaItem.position", cascade="all, delete-orphan")

    @property
    def closed(self) -> bool:
        return self.kind == "closed"


class AgendaItem(Model):
    __tablename__ = "agenda_items"
    __table_args__ = (CheckConstraint(f"kind IN {ITEM_KINDS}", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("meeting_sessions.id", ondelete="CASCADE"), index=True)
    # The program book's label ("Agenda 3"); procedural items have none.
    number: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(30), default="procedural")
    position: Mapped[int] = mapped_column(default=0)

    session: Mapped[MeetingSession] = relationship(back_populates="items")
    # governance.documents.models: visible exactly as the item is
    documents: Mapped[list["ItemDocument"]] = relationship(
        back_populates="item", order_by="ItemDocument.id", cascade="all, delete-orphan", passive_deletes=True)

    @property
    def meeting(self) -> Meeting:
        return self.session.meeting

    @property
    def closed(self) -> bool:
        return self.session.closed


class Participant(Model):
    """A person invited to a meeting, in one group; the chair is a participant too."""

    __tablename__ = "participants"
    __table_args__ = (
        UniqueConstraint("meeting_id", "user_id"),
        CheckConstraint(f"\"group\" IN {GROUPS}", name="group"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    group: Mapped[str] = mapped_column(String(30))
    chair: Mapped[bool] = mapped_column(default=False)
    excused: Mapped[bool] = mapped_column(default=False)  # sent apologies: "excused", not "absent"

    meeting: Mapped[Meeting] = relationship(back_populates="participants")
    user: Mapped[User] = relationship()
    # the stay open now, when checked in (ParticipantOut's `present` and `mode`); read only
    open_stay: Mapped["Attendance | None"] = relationship(
        primaryjoin="and_(foreign(Attendance.meeting_id) == Participant.meeting_id, "
                    "foreign(Attendance.user_id) == Participant.user_id, Attendance.checked_out_at.is_(None))",
        viewonly=True, uselist=False)


class Attendance(Model):
    """One stay in the meeting: checked in (in the room or online) and, later, out.

    At most one open stay per person: a partial unique index makes a double check-in from
    two desks at once fail in the database instead of counting someone twice.
    """

    __tablename__ = "attendance"
    __table_args__ = (
        CheckConstraint(f"mode IN {ATTENDANCE_MODES}", name="mode"),
        Index("uq_attendance_open_stay", "meeting_id", "user_id", unique=True,
              sqlite_where=db.text("checked_out_at IS NULL"),
              postgresql_where=db.text("checked_out_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    mode: Mapped[str] = mapped_column(String(20))
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    checked_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
