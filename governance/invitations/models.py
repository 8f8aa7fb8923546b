"""One personal access link given to a participant for a meeting: by e-mail (with the mail
row that carries it, whose state the desk shows) or on the printed QR sheet."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.auth.models import AccessToken, User
from governance.dbtypes import UTCDateTime, utcnow
from governance.extensions import Model
from governance.mail.models import MailMessage

CHANNELS = ("email", "qr")


class Invitation(Model):
    """`token_id` is the access token the link signs a browser in with: revoking it ends the
    link and every session resting on it. `opened_at` is the first sign-in through the link
    (the click on its page, not a mere fetch of the URL: mail scanners fetch links too)."""

    __tablename__ = "invitations"
    __table_args__ = (CheckConstraint(f"channel IN {CHANNELS}", name="channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(10), default="email")
    language: Mapped[str] = mapped_column(String(10), default="en")
    token_id: Mapped[int | None] = mapped_column(ForeignKey("access_tokens.id", ondelete="SET NULL"), index=True)
    mail_id: Mapped[int | None] = mapped_column(ForeignKey("mail_messages.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    token: Mapped[AccessToken | None] = relationship()
    mail: Mapped[MailMessage | None] = relationship()

    @property
    def live(self) -> bool:
        return self.revoked_at is None and self.token is not None and self.token.revoked_at is None

    @property
    def mail_state(self) -> str | None:
        """queued/sending/sent/failed; None for a printed link."""
        return self.mail.state if self.mail is not None else None

    @property
    def mail_reason(self) -> str | None:
        """The mail server's reason of a failure."""
        return self.mail.reason if self.mail is not None else None
