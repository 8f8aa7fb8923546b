"""Polls, who took part, and the ballots.

Who voted (`Participation`) and what was voted (`Ballot`) are kept apart. For a secret
poll nothing ties one to the other: neither table has a surrogate id or a timestamp, both
are keyed so that their physical order is not the order of arrival (SQLite WITHOUT ROWID,
random receipts), and closing the poll rewrites its ballots in shuffled order (see
voting.secrecy). Named polls record the member and time on the ballot itself.
"""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.dbtypes import UTCDateTime, utcnow
from governance.extensions import Model, db
from motions.models import Motion


class PollStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


POLL_STATUSES = tuple(status.value for status in PollStatus)  # plain strings for the CHECK constraint
ROUND_REASONS = ("first", "elimination", "tie_break", "repeat")


class Poll(Model):
    __tablename__ = "polls"
    __table_args__ = (
        CheckConstraint(f"status IN {POLL_STATUSES}", name="status"),
        CheckConstraint(f"reason IN {ROUND_REASONS}", name="reason"),
        # at most one open poll per meeting: the room votes on one thing at a time
        Index("uq_polls_one_open_per_meeting", "meeting_id", unique=True,
              sqlite_where=db.text("status = 'open'"), postgresql_where=db.text("status = 'open'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    motion_id: Mapped[int] = mapped_column(ForeignKey("motions.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(default=1)
    reason: Mapped[str] = mapped_column(String(20), default="first")
    status: Mapped[str] = mapped_column(String(10), default="open")
    secret: Mapped[bool] = mapped_column(default=False)
    method: Mapped[str] = mapped_column(String(20), default="yes_no")
    # exhaustive ballot: who is on this round's ballot, and who is still in the main contest
    ballot: Mapped[list | None] = mapped_column(JSON)
    contest: Mapped[list | None] = mapped_column(JSON)
    eligible_count: Mapped[int] = mapped_column(default=0)
    quorum_at_open: Mapped[dict | None] = mapped_column(JSON)
    quorum_at_close: Mapped[dict | None] = mapped_column(JSON)
    result: Mapped[dict | None] = mapped_column(JSON)
    ballots_digest: Mapped[str | None] = mapped_column(String(64))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    motion: Mapped[Motion] = relationship()

    @property
    def is_open(self) -> bool:
        return self.status == PollStatus.OPEN


class EligibleVoter(Model):
    """The voting members of the meeting when the poll opened: the electorate is fixed then."""

    __tablename__ = "poll_eligible_voters"
    __table_args__ = {"sqlite_with_rowid": False}

    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)


class Participation(Model):
    """That a member voted in a poll: one row per member, enforced by the primary key, so
    two delegates of one city, or one phone tapping twice, count once. No time, no order."""

    __tablename__ = "poll_participations"
    __table_args__ = {"sqlite_with_rowid": False}

    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    cast_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # through which credential the vote came (never what it was): "session" (a password
    # sign-in's browser), "login" (a login token), "link" (an access link's session) or
    # "personal" (a token the secretariat issued); the token, whose created_by names the issuer.
    # No foreign key: SQLite cannot add one to this WITHOUT ROWID table without rebuilding it;
    # tokens are revoked, not deleted (they go only with their person's account).
    credential: Mapped[str | None] = mapped_column(String(10))
    credential_token_id: Mapped[int | None] = mapped_column()


class Ballot(Model):
    """What was voted, under a random receipt. `member_id` and `cast_at` only for named polls."""

    __tablename__ = "poll_ballots"
    __table_args__ = {"sqlite_with_rowid": False}

    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True)
    receipt: Mapped[str] = mapped_column(String(32), primary_key=True)
    choice: Mapped[str] = mapped_column(String(400))  # "yes", "12", "abstain", or a JSON ranking for IRV
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    cast_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
