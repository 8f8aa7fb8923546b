"""The memorandum's copies: one kind of the outbox's messages (governance/mail/outbox.py sends
them: claims with a lease, at-least-once delivery, the sender of `excom serve`).

`POST /meetings/{id}/memorandum/distribute` only records one `queued` row per recipient
(minutes.operations.distribute) and commits; the outbox delivers them after that commit. A
failure is final until the secretariat distributes again or retries
(`POST /meetings/{id}/memorandum/retry`), which queue the failed rows once more. Each result
is announced to the chair's desks (`memorandum.mail`); `excom minutes send` drains them once.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import parseaddr

from governance.audit.operations import record
from governance.extensions import db
from governance.mail import outbox
from governance.mail.outbox import (  # noqa: F401  (OutboxUnavailable, deliver, mailer_for: for the cli and tests)
    BATCH,
    LEASE,
    DrainReport,
    Job,
    OutboxUnavailable,
    deliver,
    mailer_for,
)
from governance.mail.sender import SWEEP_INTERVAL, Sender
from governance.meetings.models import Meeting
from governance.realtime import announce
from minutes.models import Distribution
from minutes.operations import Recipient, memorandum_message


class MemorandumCopies:
    """The rows of `memorandum_distributions` (their `status` and `error` are the outbox's
    `state` and `reason`)."""

    name = "memorandum"
    model = Distribution

    def address(self, row: Distribution) -> str:
        return row.email

    def message(self, row: Distribution) -> EmailMessage:
        version = row.version
        meeting = db.session.get_one(Meeting, version.meeting_id)  # once a batch: the session keeps it
        return memorandum_message(meeting, version, Recipient(row.user, row.edition, row.language),
                                  row.mail_from or outbox.FALLBACK_FROM, address=row.email)

    def message_id(self, row: Distribution) -> str:
        """The row's id and creation time (hashed) keep it unique to this installation's copy.
        Shape: <memorandum.{meeting}.{version}.{row}.{16 hex}@{From's domain}>."""
        domain = parseaddr(row.mail_from or outbox.FALLBACK_FROM)[1].rpartition("@")[2] or "localhost"
        stamp = hashlib.sha256(f"{row.id}:{row.version_id}:{row.created_at.isoformat()}".encode()).hexdigest()[:16]
        return f"<memorandum.{row.version.meeting_id}.{row.version.version}.{row.id}.{stamp}@{domain}>"

    def details(self, row: Distribution) -> dict:
        return {"version": row.version.version, "email": row.email, "edition": row.edition, "attempt": row.attempts}

    def recorded(self, row: Distribution, job: Job, error: str | None) -> None:
        meeting = row.version.meeting_id
        if error is None:
            record("memorandum.mail_sent", meeting=meeting, subject=row, after=job.details)
        else:
            record("memorandum.mail_failed", meeting=meeting, subject=row, after={**job.details, "error": error})
        # the desks showing this version's recipients fetch their states again (no address in the event)
        announce("memorandum.mail", {"meeting_id": meeting, "version": job.details["version"]}, meeting_id=meeting,
                 audience="chair")


MEMORANDUM = MemorandumCopies()


def claim(*, limit: int = BATCH, lease: timedelta = LEASE, now: datetime | None = None) -> list[Job]:
    """Claim up to `limit` copies (outbox.claim); the caller commits at once."""
    return outbox.claim(MEMORANDUM, limit=limit, lease=lease, now=now)


def drain(app, *, batch: int = BATCH, lease: timedelta = LEASE, now: datetime | None = None) -> DrainReport:
    """Send every copy queued now, once (`excom minutes send`); OutboxUnavailable without a
    usable EXCOM_SMTP_URL."""
    return outbox.drain(app, MEMORANDUM, batch=batch, lease=lease, now=now)


def start_sender(app, *, interval: float = SWEEP_INTERVAL) -> Sender:
    """Have this process's sender send the memorandum's copies; distributions committed here wake it."""
    return outbox.start_sender(app, MEMORANDUM, interval=interval)
