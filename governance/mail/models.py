"""The general outbox's rows: one e-mail each, queued in the transaction of the change that
calls for it (a password reset, an invitation) and sent after that commit (outbox.py)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.dbtypes import UTCDateTime, utcnow
from governance.extensions import Model

STATES = ("queued", "sending", "sent", "failed")


class MailMessage(Model):
    """queued -> sending (claimed until `claimed_until`) -> sent, or failed with `reason`.

    `kind` says what the message is for (password_reset, invitation...), for the trail and
    for tests. A `secret` body (it carries a one-time code) is blanked once the message is sent
    or has failed, so the code does not stay in the database (or its backups) any longer.
    `message_id` is made at the first claim and kept across attempts, so that a message sent
    twice (delivery is at least once) is recognisably one message to mail clients."""

    __tablename__ = "mail_messages"
    __table_args__ = (CheckConstraint("state IN ('queued', 'sending', 'sent', 'failed')", name="state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), default="message")
    recipient: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(10), default="en")
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    secret: Mapped[bool] = mapped_column(default=False)
    mail_from: Mapped[str] = mapped_column(String(254))
    state: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    reason: Mapped[str | None] = mapped_column(String(500))
    attempts: Mapped[int] = mapped_column(default=0)
    message_id: Mapped[str | None] = mapped_column(String(250))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    attachments: Mapped[list[MailAttachment]] = relationship(
        back_populates="message", cascade="all, delete-orphan", order_by="MailAttachment.id")

    def __repr__(self) -> str:
        return f"<MailMessage {self.id} {self.kind} to {self.recipient} {self.state}>"


class MailAttachment(Model):
    __tablename__ = "mail_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("mail_messages.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)

    message: Mapped[MailMessage] = relationship(back_populates="attachments")
