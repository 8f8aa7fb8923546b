from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.auth.models import User
from governance.dbtypes import UTCDateTime, utcnow
from governance.extensions import Model
from governance.meetings.models import AgendaItem, Meeting
from governance.registry.models import Member

MOTION_KINDS = ("general", "membership", "host_city", "logo", "agenda_adoption", "minutes_approval",
                "statutes_amendment", "assessment")
MEMBERSHIP_ACTIONS = ("admit", "withdraw", "suspend", "terminate", "reinstate")
# What each membership action does to a member, and from which statuses it may start.
MEMBERSHIP_EFFECTS = {
    "admit": ({"applicant"}, "active"),
    "withdraw": ({"active", "suspended"}, "withdrawn"),
    "suspend": ({"active"}, "suspended"),
    "terminate": ({"active", "suspended"}, "terminated"),
    "reinstate": ({"suspended", "withdrawn", "terminated"}, "active"),
}
MAJORITIES = ("simple", "two_thirds", "absolute_present", "absolute_all", "two_thirds_present",
              "unanimous_present")
METHODS = ("yes_no", "exhaustive", "irv", "assessment")
# pending: not yet decided (no poll, a poll open, a runoff to come, or a void poll to repeat);
# recorded: an assessment whose scores were taken (a table, neither adopted nor rejected)


class MotionStatus(StrEnum):
    """Where a motion stands (`motions.status`); a poll's deciding result gives its name to it."""

    PENDING = "pending"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    ELECTED = "elected"
    WITHDRAWN = "withdrawn"
    RECORDED = "recorded"  # an assessment's scores


MOTION_STATUSES = tuple(status.value for status in MotionStatus)  # plain strings for the CHECK constraint
EXTERNAL_MEMORANDUM_STATUSES = ("received", "approved")


class Motion(Model):
    """A proposal put to the meeting under an agenda item, as worded, with its majority rule."""

    __tablename__ = "motions"
    __table_args__ = (
        CheckConstraint(f"kind IN {MOTION_KINDS}", name="kind"),
        CheckConstraint(f"majority IN {MAJORITIES}", name="majority"),
        CheckConstraint(f"method IN {METHODS}", name="method"),
        CheckConstraint(f"status IN {MOTION_STATUSES}", name="status"),
        UniqueConstraint("meeting_id", "resolution_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text, default="")
    majority: Mapped[str] = mapped_column(String(30), default="simple")
    method: Mapped[str] = mapped_column(String(20), default="yes_no")
    secret: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default=MotionStatus.PENDING.value)
    moved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    seconded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # membership motions
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"))
    action: Mapped[str | None] = mapped_column(String(20))
    # minutes approval: the meeting whose memorandum is approved, and the version put to the
    # vote (fixed when the approval poll opens: that version is the one approved) ...
    memorandum_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    memorandum_version: Mapped[int | None] = mapped_column()
    # ... or a memorandum held outside the platform (a meeting before it was in use)
    external_memorandum_id: Mapped[int | None] = mapped_column(
        ForeignKey("external_memoranda.id", ondelete="RESTRICT"))
    # statutes amendments
    current_text: Mapped[str | None] = mapped_column(Text)
    proposed_text: Mapped[str | None] = mapped_column(Text)
    # assessments: the names scored (e.g. regional offices), in ballot order, and the scale
    subjects: Mapped[list | None] = mapped_column(JSON)
    scale_min: Mapped[int | None] = mapped_column()
    scale_max: Mapped[int | None] = mapped_column()
    # the decision
    resolution_number: Mapped[str | None] = mapped_column(String(80))
    winner_candidate_id: Mapped[int | None] = mapped_column(
        ForeignKey("motion_candidates.id", ondelete="SET NULL", use_alter=True))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    meeting: Mapped[Meeting] = relationship(foreign_keys=[meeting_id])
    item: Mapped[AgendaItem] = relationship()
    moved_by: Mapped[User | None] = relationship(foreign_keys=[moved_by_id])
    seconded_by: Mapped[User | None] = relationship(foreign_keys=[seconded_by_id])
    member: Mapped[Member | None] = relationship()
    candidates: Mapped[list["Candidate"]] = relationship(
        back_populates="motion", order_by="Candidate.position", foreign_keys="Candidate.motion_id",
        cascade="all, delete-orphan")
    winner: Mapped["Candidate | None"] = relationship(foreign_keys=[winner_candidate_id], post_update=True)
    external_memorandum: Mapped["ExternalMemorandum | None"] = relationship(foreign_keys=[external_memorandum_id])

    @property
    def multi_candidate(self) -> bool:
        return self.kind in ("host_city", "logo")

    @property
    def scale(self) -> dict | None:
        """An assessment's scale as API.md gives it, {"min", "max"}; None for other kinds."""
        if self.kind != "assessment":
            return None
        return {"min": self.scale_min, "max": self.scale_max}

    @property
    def decided(self) -> bool:
        return self.status != MotionStatus.PENDING


class Candidate(Model):
    """One option of a multi-candidate motion: a city for the next host, or a logo image.

    The value a delegate votes for is the member id (host city) or this candidate's own id
    (logo), as API.md says.
    """

    __tablename__ = "motion_candidates"
    __table_args__ = (UniqueConstraint("motion_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    motion_id: Mapped[int] = mapped_column(ForeignKey("motions.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"))
    label: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    image: Mapped[bytes | None] = mapped_column(LargeBinary)  # the file as uploaded
    image_mimetype: Mapped[str | None] = mapped_column(String(40))
    # the PNG an SVG was drawn into on upload (motions.images); None for a PNG or JPEG
    picture: Mapped[bytes | None] = mapped_column(LargeBinary)
    image_sha256: Mapped[str | None] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    motion: Mapped[Motion] = relationship(back_populates="candidates", foreign_keys=[motion_id])
    member: Mapped[Member | None] = relationship()

    @property
    def value(self) -> int:
        return self.member_id if self.member_id is not None else self.id

    @property
    def shown(self) -> tuple[bytes, str] | None:
        """(bytes, mimetype) of what is shown for this logo: its PNG or JPEG, or the PNG drawn
        from its SVG; None when there is nothing safe to show (an SVG stored before drawing)."""
        if self.picture is not None:
            return self.picture, "image/png"
        if self.image is not None and self.image_mimetype in ("image/png", "image/jpeg"):
            return self.image, self.image_mimetype
        return None


class ExternalMemorandum(Model):
    """A memorandum held outside the platform, put to a `minutes_approval` motion: the minutes
    of a meeting before the platform was in use (the first meeting on it approves the
    previous one's, which the platform never built). Kept as a title and the file the
    members read, stored by its SHA-256 in the instance folder (governance.files), and
    recorded as approved by the motion that adopted it."""

    __tablename__ = "external_memoranda"
    __table_args__ = (CheckConstraint(f"status IN {EXTERNAL_MEMORANDUM_STATUSES}", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(10), default="received")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_motion_id: Mapped[int | None] = mapped_column(
        ForeignKey("motions.id", ondelete="SET NULL", use_alter=True))

    @property
    def approved(self) -> bool:
        return self.status == "approved"
