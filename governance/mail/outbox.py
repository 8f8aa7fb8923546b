"""The outbox: e-mail goes out after the change that calls for it is committed.

A change only adds rows (`queued`) in its own transaction and commits. Each kind of message
keeps its own table and says only what differs (`Kind`: which rows, how to build the message
and its Message-ID, what to record once its fate is known): the general mail (password resets,
invitations: governance/mail/general.py) and the memorandum's copies (minutes/outbox.py). This
module delivers them all in three steps, and never holds a transaction while it talks to the
SMTP server:

1. claim a batch in a short transaction: the rows become `sending`, with a lease (`claimed_until`)
   and this claim's token; on PostgreSQL `SELECT ... FOR UPDATE SKIP LOCKED`, so that two
   `excom serve` processes draining at once never take the same row (SQLite has one writer
   at a time, BEGIN IMMEDIATE, so there the claim is serial anyway); commit;
2. send each message with no transaction open: SMTP is network I/O that yields under gevent,
   and on SQLite a transaction parked across it would hold the write lock against every request;
3. record `sent` (with the time) or `failed` (with the server's text) in a new short transaction,
   one per message, with the kind's audit event.

Delivery is at least once, not exactly once. A sender killed between sending and recording
leaves its row `sending`; when the lease runs out the row is claimable again and is sent again.
No scheme can avoid that window (the SMTP server's acceptance and our commit are two systems;
there is no transaction spanning both), so we choose which side to err on: a recipient who gets
a message twice is a small nuisance, while one who never receives it (a row marked `sent` that
never went out: a reset code, the meeting's record) may miss it and nobody would know. The
window is one message wide: each result is committed as soon as it is known, and a sender stops
taking messages from a batch well before its lease ends. The Message-ID is the same for every
attempt at a row, so a message sent twice is one message to the recipient's mail client.

Who sends: every `excom serve` process with EXCOM_SMTP_URL set runs one background sender for
every kind (`start_sender`), woken right after a commit that queued mail (`wake_sender`) and
also sweeping every SWEEP_INTERVAL, which picks up rows queued by other processes and expired
leases; `excom mail send` and `excom minutes send` drain one kind once (cron, operators, tests).

A failure is final until the row is queued again: a refused address does not heal by itself.
When the server cannot be reached at all, the rest of the pass fails at once with the same error
instead of waiting on every message.
"""
from __future__ import annotations

import logging
import smtplib
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any, Protocol

from flask import current_app, has_app_context
from sqlalchemy import and_, or_, select

from governance.dbtypes import utcnow
from governance.extensions import db
from governance.mail.sender import SWEEP_INTERVAL, Sender
from governance.mail.smtp import Mailer, smtp_error_text, unreachable

log = logging.getLogger(__name__)

BATCH = 20                           # messages per claim
LEASE = timedelta(minutes=10)        # how long a claim holds before another sender may take the row
LEASE_MARGIN = timedelta(minutes=2)  # stop sending from a batch when less than this is left of its lease
FALLBACK_FROM = "secretariat@localhost"
WAKE = "outbox.wake"       # on_commit key: one wake-up per commit, however many messages it queued
SENDER_KEY = "excom_mail"  # app.extensions key of this process's sender


class OutboxUnavailable(RuntimeError):
    """No usable EXCOM_SMTP_URL: the outbox cannot be drained here."""


class Kind(Protocol):
    """One kind of message: a table whose rows have `id`, `state` (queued, sending, sent, failed),
    `reason` (the server's text of a failure), `attempts`, `sent_at`, `claim`, `claimed_until`.
    The methods are called inside a transaction, with the row locked; they do no I/O."""

    name: str        # for the log
    model: type[Any]

    def address(self, row) -> str:
        """The recipient's address."""

    def message(self, row) -> EmailMessage:
        """The e-mail, without Date and Message-ID (set at each attempt)."""

    def message_id(self, row) -> str:
        """The Message-ID: the same for every attempt at this row."""

    def details(self, row) -> dict:
        """What the audit says of this attempt (`row.attempts` already counts it)."""

    def recorded(self, row, job: Job, error: str | None) -> None:
        """The row now says sent (error None) or failed (flushed): its audit event and the rest."""


@dataclass(frozen=True)
class Job:
    """One claimed message, with everything needed to send and record it after the commit."""

    kind: Kind
    id: int
    claim: str
    email: str
    attempt: int
    message: EmailMessage
    details: dict


@dataclass
class DrainReport:
    sent: int = 0
    failed: int = 0
    released: int = 0  # claimed but given back untried, the batch's lease running short
    # set when the server cannot be reached at all: the rest of the pass fails at once with it
    unreachable: str | None = None


def claim(kind: Kind, *, limit: int = BATCH, lease: timedelta = LEASE, now: datetime | None = None) -> list[Job]:
    """Claim up to `limit` messages of `kind`: queued ones, and those `sending` whose lease has run
    out (their sender died). Flushes; the caller commits at once, before sending anything."""
    now = now or utcnow()
    model = kind.model
    claimable = or_(model.state == "queued", and_(model.state == "sending", model.claimed_until < now))
    rows = db.session.scalars(select(model).where(claimable).order_by(model.id).limit(limit)
                              .with_for_update(skip_locked=True)).all()
    token = uuid.uuid4().hex
    jobs = []
    for row in rows:
        row.state, row.claim, row.claimed_until = "sending", token, now + lease
        row.attempts += 1
        # built now, inside the transaction: CPU only, no I/O; after the commit the rows are expired
        message = kind.message(row)
        # RFC 5322 3.6.1 and 3.6.4: mail servers and spam filters distrust a message without them
        message["Date"] = format_datetime(now)
        message["Message-ID"] = kind.message_id(row)
        jobs.append(Job(kind=kind, id=row.id, claim=token, email=kind.address(row), attempt=row.attempts,
                        message=message, details=kind.details(row)))
    db.session.flush()
    return jobs


def confirm(job: Job, error: str | None) -> None:
    """Record what became of a claimed message (flushes; the caller commits).

    Sent is recorded whatever happened to the claim meanwhile: the message did go out. A failure
    is recorded only while the claim is still this one, so a late failure of a sender whose lease
    had run out never overwrites the result of the sender that took the row over."""
    row = db.session.get(job.kind.model, job.id, with_for_update=True, populate_existing=True)
    if row is None:  # deleted meanwhile (a memorandum's version)
        return
    if error is None:
        if row.state == "sent":
            return  # sent twice (a lease ran out mid-send): recorded once
        row.state, row.reason, row.sent_at, row.claim, row.claimed_until = "sent", None, utcnow(), None, None
    elif row.state == "sending" and row.claim == job.claim:
        row.state, row.reason, row.claim, row.claimed_until = "failed", error, None, None
    else:
        return
    db.session.flush()
    job.kind.recorded(row, job, error)


def release(jobs: list[Job]) -> None:
    """Give claimed messages back to the queue untried (flushes; the caller commits)."""
    for job in jobs:
        row = db.session.get(job.kind.model, job.id, with_for_update=True, populate_existing=True)
        if row is not None and row.state == "sending" and row.claim == job.claim:
            row.state, row.claim, row.claimed_until = "queued", None, None
            row.attempts -= 1
    db.session.flush()


def mailer_for(app) -> Mailer:
    """The SMTP conversation of a pass; OutboxUnavailable without a usable EXCOM_SMTP_URL."""
    url = app.config.get("EXCOM_SMTP_URL")
    if not url:
        raise OutboxUnavailable("EXCOM_SMTP_URL is not set: there is no server to send e-mail through.")
    try:
        return Mailer(url, app.config.get("EXCOM_MAIL_FROM") or FALLBACK_FROM)
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
                log.warning("%s %s not sent: %s", job.kind.name, job.id, error)
                if unreachable(mailer, failure):
                    report.unreachable = error
        confirm(job, error)
        db.session.commit()
        if error is None:
            report.sent += 1
        else:
            report.failed += 1


def drain(app, *kinds: Kind, batch: int = BATCH, lease: timedelta = LEASE,
          now: datetime | None = None) -> DrainReport:
    """Send every message of `kinds` queued now, kind by kind and batch by batch, through one SMTP
    conversation, in its own app context. OutboxUnavailable without a usable EXCOM_SMTP_URL.
    `now` stands for the clock of the claims (tests use it to move past a lease)."""
    mailer = mailer_for(app)
    report = DrainReport()
    with app.app_context():
        try:
            for kind in kinds:
                while jobs := claim(kind, limit=batch, lease=lease, now=now):
                    db.session.commit()
                    deliver(jobs, mailer, report, lease=lease)
                db.session.commit()
        finally:
            db.session.rollback()
            mailer.close()
    return report


def start_sender(app, *kinds: Kind, interval: float = SWEEP_INTERVAL) -> Sender:
    """Have this process's one sender send `kinds` too; started by the first call (once per app)."""
    sender = app.extensions.get(SENDER_KEY)
    if sender is None:
        sender = app.extensions[SENDER_KEY] = Sender(app, drain, interval=interval, name="outbox")
    sender.kinds.extend(kind for kind in kinds if kind not in sender.kinds)
    if sender.task is None:
        from governance import services
        services.run(app, sender)
    return sender


def wake_sender() -> None:
    """Mail is committed: wake this process's sender, if it runs one (`excom serve`)."""
    if has_app_context():
        sender = current_app.extensions.get(SENDER_KEY)
        if sender is not None:
            sender.wake()
