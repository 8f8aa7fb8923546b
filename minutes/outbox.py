"""The memorandum's outbox: its e-mail goes out after the distribution is committed.

`POST /meetings/{id}/memorandum/distribute` only records one `queued` row per recipient
(minutes.operations.distribute) and commits. A sender then delivers them in three steps, and
never holds a transaction while it talks to the SMTP server:

1. claim a batch in a short transaction: the rows become `sending`, with a lease (`claimed_until`)
   and this claim's token; on PostgreSQL `SELECT ... FOR UPDATE SKIP LOCKED`, so that two
   `excom serve` processes draining at once never take the same row (SQLite has one writer
   at a time, BEGIN IMMEDIATE, so there the claim is serial anyway); commit;
2. send each message with no transaction open: SMTP is network I/O that yields under gevent,
   and on SQLite a transaction parked across it would hold the write lock against every request;
3. record `sent` (with the time) or `failed` (with the server's text) in a new short transaction,
   one per message, with its audit event.

Delivery is at least once, not exactly once. A sender killed between sending and recording
leaves its row `sending`; when the lease runs out the row is claimable again and is sent again.
No scheme can avoid that window (the SMTP server's acceptance and our commit are two systems;
there is no transaction spanning both), so we choose which side to err on: a recipient who gets
the memorandum twice is a small nuisance, while a member who never receives it (a row marked
`sent` that never went out) may miss the meeting's record or the deadline to object to it,
and nobody would know. The window is one message wide: each result is committed as soon as
it is known, and a sender stops taking messages from a batch well before its lease ends.

Who runs the sender: every `excom serve` process with EXCOM_SMTP_URL set starts one background
task (`start_sender`), woken right after a distribution commits (minutes.operations) and also
sweeping every SWEEP_INTERVAL, which picks up rows queued by other processes and expired leases;
`excom minutes send` drains the outbox once (cron, operators, tests).

A failure is final until the secretariat distributes again (which queues the failed rows once
more), as before the outbox: a refused address does not heal by itself. When the server cannot
be reached at all, the rest of the pass fails at once with the same error instead of waiting
on every message.
"""
from __future__ import annotations

import hashlib
import logging
import smtplib
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from sqlalchemy import and_, or_, select

from governance.audit.operations import record
from governance.dbtypes import utcnow
from governance.extensions import db
from governance.mail.sender import Sender as MailSender
from governance.meetings.models import Meeting
from governance.realtime import announce
from minutes.models import Distribution
from minutes.operations import Mailer, Recipient, memorandum_message, smtp_error_text

log = logging.getLogger(__name__)

BATCH = 20                          # messages per claim
LEASE = timedelta(minutes=10)       # how long a claim holds before another sender may take the row
LEASE_MARGIN = timedelta(minutes=2)  # stop sending from a batch when less than this is left of its lease
SWEEP_INTERVAL = 60.0               # seconds between the background sender's sweeps
FALLBACK_FROM = "secretariat@localhost"


class OutboxUnavailable(RuntimeError):
    """No usable EXCOM_SMTP_URL: the outbox cannot be drained here."""


@dataclass(frozen=True)
class Job:
    """One claimed message, with everything needed to send and record it after the commit."""

    id: int
    claim: str
    email: str
    meeting_id: int
    version: int
    edition: str
    attempt: int
    message: EmailMessage


@dataclass
class DrainReport:
    sent: int = 0
    failed: int = 0
    released: int = 0  # claimed but given back untried, the batch's lease running short
    # set when the server cannot be reached at all: the rest of the pass fails at once with it
    unreachable: str | None = None


def claim(*, limit: int = BATCH, lease: timedelta = LEASE, now: datetime | None = None) -> list[Job]:
    """Claim up to `limit` messages: queued ones, and those `sending` whose lease has run out
    (their sender died). Flushes; the caller commits at once, before sending anything."""
    now = now or utcnow()
    claimable = or_(Distribution.status == "queued",
                    and_(Distribution.status == "sending", Distribution.claimed_until < now))
    rows = db.session.scalars(select(Distribution).where(claimable).order_by(Distribution.id).limit(limit)
                              .with_for_update(skip_locked=True)).all()
    token = uuid.uuid4().hex
    meetings: dict[int, Meeting] = {}
    jobs = []
    for row in rows:
        row.status, row.claim, row.claimed_until = "sending", token, now + lease
        row.attempts += 1
        version = row.version
        meeting = meetings.get(version.meeting_id) or db.session.get_one(Meeting, version.meeting_id)
        meetings[meeting.id] = meeting
        # built now, inside the transaction: CPU only, no I/O; after the commit the rows are expired
        message = memorandum_message(meeting, version, Recipient(row.user, row.edition, row.language),
                                     row.mail_from or FALLBACK_FROM, address=row.email)
        stamp(message, row, now)
        jobs.append(Job(id=row.id, claim=token, email=row.email, meeting_id=meeting.id, version=version.version,
                        edition=row.edition, attempt=row.attempts, message=message))
    db.session.flush()
    return jobs


def message_id(row: Distribution) -> str:
    """The Message-ID of a recipient's copy: the same for every attempt at that copy, so that a
    copy sent twice (a sender died mid-send, at-least-once above) reads as one message in a mail
    client that folds duplicates. The row's id and creation time (hashed) keep it unique to this
    installation's copy. Shape: <memorandum.{meeting}.{version}.{row}.{16 hex}@{From's domain}>."""
    domain = parseaddr(row.mail_from or FALLBACK_FROM)[1].rpartition("@")[2] or "localhost"
    stamp_ = hashlib.sha256(f"{row.id}:{row.version_id}:{row.created_at.isoformat()}".encode()).hexdigest()[:16]
    return f"<memorandum.{row.version.meeting_id}.{row.version.version}.{row.id}.{stamp_}@{domain}>"


def stamp(message: EmailMessage, row: Distribution, now: datetime) -> None:
    """`Date` (the time of this attempt, RFC 5322 3.6.1: "the date and time at which the creator
    of the message indicated that the message was complete") and `Message-ID` (RFC 5322 3.6.4);
    mail servers and spam filters distrust a message without them."""
    for header in ("Date", "Message-ID"):
        del message[header]
    message["Date"] = format_datetime(now if now.tzinfo else now.replace(tzinfo=UTC))
    message["Message-ID"] = message_id(row)


def confirm(job: Job, error: str | None) -> None:
    """Record what became of a claimed message (flushes; the caller commits).

    Sent is recorded whatever happened to the claim meanwhile: the message did go out. A failure
    is recorded only while the claim is still this one, so a late failure of a sender whose lease
    had run out never overwrites the result of the sender that took the row over."""
    row = db.session.get(Distribution, job.id, with_for_update=True, populate_existing=True)
    if row is None:  # the version was deleted meanwhile
        return
    details = {"version": job.version, "email": job.email, "edition": job.edition, "attempt": job.attempt}
    if error is None:
        if row.status == "sent":
            return  # sent twice (a lease ran out mid-send): recorded once
        row.status, row.error, row.sent_at, row.claim, row.claimed_until = "sent", None, utcnow(), None, None
        db.session.flush()
        record("memorandum.mail_sent", meeting=job.meeting_id, subject=row, after=details)
    elif row.status == "sending" and row.claim == job.claim:
        row.status, row.error, row.claim, row.claimed_until = "failed", error, None, None
        db.session.flush()
        record("memorandum.mail_failed", meeting=job.meeting_id, subject=row, after={**details, "error": error})
    else:
        return
    # the desks showing this version's recipients fetch their states again (no address in the event)
    announce("memorandum.mail", {"meeting_id": job.meeting_id, "version": job.version}, meeting_id=job.meeting_id,
             audience="chair")


def release(jobs: list[Job]) -> None:
    """Give claimed messages back to the queue untried (flushes; the caller commits)."""
    for job in jobs:
        row = db.session.get(Distribution, job.id, with_for_update=True, populate_existing=True)
        if row is not None and row.status == "sending" and row.claim == job.claim:
            row.status, row.claim, row.claimed_until = "queued", None, None
            row.attempts -= 1
    db.session.flush()


def mailer_for(app) -> Mailer:
    url = app.config.get("EXCOM_SMTP_URL")
    if not url:
        raise OutboxUnavailable("EXCOM_SMTP_URL is not set: there is no server to send the memorandum through.")
    try:
        return Mailer(url, FALLBACK_FROM)
    except ValueError as error:
        raise OutboxUnavailable(str(error)) from None


def deliver(jobs: list[Job], mailer: Mailer, report: DrainReport, *, lease: timedelta = LEASE) -> None:
    """Send claimed messages, each with no transaction open, and record each result in its own
    short transaction (committed here). Called right after the claim's commit."""
    # measured on this process's own clock, so that a claim never outlives its lease here
    stop_at = time.monotonic() + (lease - LEASE_MARGIN).total_seconds()
    for position, job in enumerate(jobs):
        if report.unreachable is None and time.monotonic() > stop_at:
            release(jobs[position:])
            db.session.commit()
            report.released += len(jobs) - position
            return
        error = report.unreachable
        if error is None:
            try:
                mailer.send(job.message)  # no transaction is open here
            except (smtplib.SMTPException, OSError) as failure:
                error = smtp_error_text(failure)
                log.warning("memorandum to %s not sent: %s", job.email, error)
                if mailer.connection is None and not isinstance(failure, smtplib.SMTPException):
                    report.unreachable = error
        confirm(job, error)
        db.session.commit()
        if error is None:
            report.sent += 1
        else:
            report.failed += 1


def drain(app, *, batch: int = BATCH, lease: timedelta = LEASE, now: datetime | None = None) -> DrainReport:
    """Send every message the outbox holds now, batch by batch, in its own app context.

    `now` stands for the clock in the claims (tests use it to move past a lease)."""
    mailer = mailer_for(app)
    report = DrainReport()
    with app.app_context():
        try:
            while True:
                jobs = claim(limit=batch, lease=lease, now=now)
                db.session.commit()
                if not jobs:
                    return report
                deliver(jobs, mailer, report, lease=lease)
        finally:
            db.session.rollback()
            mailer.close()


def start_sender(app, *, interval: float = SWEEP_INTERVAL) -> MailSender:
    """Start this process's sender (once per app); distributions committed here wake it."""
    if "excom_outbox" not in app.extensions:
        app.extensions["excom_outbox"] = MailSender(app, drain, interval=interval,
                                                   name="memorandum's outbox").start()
    return app.extensions["excom_outbox"]
