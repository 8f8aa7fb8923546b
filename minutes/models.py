"""Item notes, memorandum versions and their distribution.

A note is never edited in place: each `PUT /items/{id}/notes` adds a revision and the
newest one counts, so the history of what the secretariat wrote stays. A memorandum
version keeps both editions as the bytes that were built; once approved it is frozen
(its bytes never change; a later build makes a new draft version). A distribution row
says which version went to whom, in which edition, and whether the e-mail got there.
"""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from governance.auth.models import User
from governance.dbtypes import UTCDateTime, utcnow
from governance.extensions import Model

VERSION_STATUSES = ("draft", "approved")
EDITIONS = ("full", "public")
DISTRIBUTION_STATUSES = ("recorded", "queued", "sending", "sent", "failed")


class ItemNote(Model):
    """One revision of the record of an agenda item's discussion."""

    __tablename__ = "item_notes"
    __table_args__ = (UniqueConstraint("item_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()


class FrozenVersion(Exception):
    """An approved memorandum's bytes were about to change."""


class MemorandumVersion(Model):
    """One build of a meeting's memorandum, both editions, numbered 1, 2, ... per meeting."""

    __tablename__ = "memorandum_versions"
    __table_args__ = (
        UniqueConstraint("meeting_id", "version"),
        CheckConstraint(f"status IN {VERSION_STATUSES}", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(10), default="draft")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    full_docx: Mapped[bytes] = mapped_column(LargeBinary)
    public_docx: Mapped[bytes] = mapped_column(LargeBinary)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_motion_id: Mapped[int | None] = mapped_column(ForeignKey("motions.id", ondelete="SET NULL"))

    author: Mapped[User | None] = relationship()
    distributions: Mapped[list["Distribution"]] = relationship(
        back_populates="version", order_by="Distribution.id", cascade="all, delete-orphan")

    @property
    def approved(self) -> bool:
        return self.status == "approved"

    @validates("full_docx", "public_docx")
    def _frozen_once_approved(self, key, value):
        if self.status == "approved" and getattr(self, key) is not None and getattr(self, key) != value:
            raise FrozenVersion(f"memorandum version {self.version} is approved; its document cannot change")
        return value

    def docx(self, edition: str) -> bytes:
        return self.full_docx if edition == "full" else self.public_docx


class MemorandumAnnex(Model):
    """A document of the meeting listed as an annex (with its SHA-256) by one memorandum version.
    A document listed by an approved version is kept for ever: it cannot be deleted."""

    __tablename__ = "memorandum_annexes"

    version_id: Mapped[int] = mapped_column(ForeignKey("memorandum_versions.id", ondelete="CASCADE"),
                                            primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("item_documents.id", ondelete="CASCADE"),
                                             primary_key=True, index=True)


class Distribution(Model):
    """One recipient of one version: recorded, or queued → sending → sent (or failed, to be
    queued again by the next distribution)."""

    __tablename__ = "memorandum_distributions"
    __table_args__ = (
        UniqueConstraint("version_id", "user_id"),
        CheckConstraint(f"edition IN {EDITIONS}", name="edition"),
        CheckConstraint(f"status IN {DISTRIBUTION_STATUSES}", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("memorandum_versions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    edition: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="recorded", index=True)
    error: Mapped[str | None] = mapped_column(String(500))
    attempts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the outbox: who sends it (From), and the claim of the sender now sending it
    mail_from: Mapped[str | None] = mapped_column(String(254))
    claim: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    version: Mapped[MemorandumVersion] = relationship(back_populates="distributions")
    user: Mapped[User] = relationship()
