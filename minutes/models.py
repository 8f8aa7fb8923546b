"""Item notes, memorandum versions and their distribution.

A note is never edited in place: each `PUT /items/{id}/notes` adds a revision and the
newest one counts, so the history of what the secretariat wrote stays. A memorandum
version keeps both editions as the bytes that were built; once approved it is frozen
(its bytes never change; a later build makes a new draft version). A distribution row
says which version went to whom, in which edition, and whether the e-mail got there.
"""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, synonym, validates

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
    # the same two editions in Russian, from the same record (none for versions built before)
    full_docx_ru: Mapped[bytes | None] = mapped_column(LargeBinary)
    public_docx_ru: Mapped[bytes | None] = mapped_column(LargeBinary)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_motion_id: Mapped[int | None] = mapped_column(ForeignKey("motions.id", ondelete="SET NULL"))

    author: Mapped[User | None] = relationship()
    distributions: Mapped[list["Distribution"]] = relationship(
        back_populates="version", order_by="Distribution.id", cascade="all, delete-orphan")

    @property
    def approved(self) -> bool:
        return self.status == "approved"

    @validates("full_docx", "public_docx", "full_docx_ru", "public_docx_ru")
    def _frozen_once_approved(self, key, value):
        if self.status == "approved" and getattr(self, key) is not None and getattr(self, key) != value:
            raise FrozenVersion(f"memorandum version {self.version} is approved; its document cannot change")
        return value

    def docx(self, edition: str, language: str = "en") -> bytes | None:
        """The edition's bytes in `language` ("en", "ru"); None when this version has none in it."""
        suffix = "" if language == "en" else f"_{language}"
        return getattr(self, f"{'full' if edition == 'full' else 'public'}_docx{suffix}", None)

    def documents(self) -> dict[str, bytes]:
        """Every document this version holds, by the key its audit event hashes it under
        (minutes.builder.edition_key): "full", "public", "full_ru", "public_ru"."""
        found = {"full": self.full_docx, "public": self.public_docx, "full_ru": self.full_docx_ru,
                 "public_ru": self.public_docx_ru}
        return {key: data for key, data in found.items() if data is not None}


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
    language: Mapped[str] = mapped_column(String(5), default="en", server_default="en")  # as sent
    status: Mapped[str] = mapped_column(String(10), default="recorded", index=True)
    error: Mapped[str | None] = mapped_column(String(500))
    attempts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the outbox: who sends it (From), and the claim of the sender now sending it
    mail_from: Mapped[str | None] = mapped_column(String(254))
    claim: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the names the outbox (governance.mail.outbox) gives these columns in every kind of message
    state: Mapped[str] = synonym("status")
    reason: Mapped[str | None] = synonym("error")

    version: Mapped[MemorandumVersion] = relationship(back_populates="distributions")
    user: Mapped[User] = relationship()


class MemorandumTemplate(Model):
    """The secretariat's own .docx template for the memorandum (minutes.template): at most one
    row; without one the built-in layout is used. Kept as uploaded, after it rendered."""

    __tablename__ = "memorandum_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    uploaded_by: Mapped[User | None] = relationship()
