"""The general outbox: claim, send with no transaction open, record; as the memorandum's
outbox does (minutes/outbox.py explains the choices: short claims with a lease, SKIP LOCKED on
PostgreSQL, at-least-once delivery, a failure final until queued again).

Headers set at send: `Date` is the time of the attempt; `Message-ID` is made at the first
claim and kept, so a message sent twice is one message to the recipient's mail client.
"""
from __future__ import annotations

import logging
import smtplib
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from flask import current_app, has_app_context
from sqlalchemy import and_, or_, select

from governance.audit.operations import record
from governance.dbtypes import utcnow
from governance.extensions import db
from governance.mail.models import MailAttachment, MailMessage
from governance.mail.sender import SWEEP_INTERVAL, Sender
from governance.mail.smtp import Mailer, smtp_error_text, unreachable
from governance.transaction import on_commit

log = logging.getLogger(__name__)

BATCH = 20
LEASE = timedelta(minutes=10)
LEASE_MARGIN = timedelta(minutes=2)
FALLBACK_FROM = "secretariat@localhost"
WAKE = "mail.wake"  # on_commit key: one wake-up per commit, however many messages it queued
SENDER_KEY = "excom_mail"  # app.extensions key of this process's sender
BLANKED = "(withheld: this message carried a one-time code)"


class OutboxUnavailable(RuntimeError):
    """No usable EXCOM_SMTP_URL: the outbox cannot be drained here."""


def queue(recipient_email: str, subject: str, text: str, language: str = "en", attachments=(), *,
          kind: str = "message", secret: bool = False, sender: str | None = None) -> MailMessage:
    """Queue one e-mail in the current transaction (flushes; the caller commits).

    attachments: (filename, content_type "maintype/subtype", bytes) triples. `secret`: the body
    carries a one-time code and is blanked once sent or failed. The From is `sender`, else
    EXCOM_MAIL_FROM, else secretariat@localhost. Nothing is sent before the commit: a rolled
    back change sends nothing."""
    configured = current_app.config.get("EXCOM_MAIL_FROM") if has_app_context() else None
    message = MailMessage(kind=kind, recipient=recipient_email.strip(), language=language, subject=subject,
                          body=text, secret=secret, mail_from=sender or configured or FALLBACK_FROM,
                          state="queued", attempts=0, created_at=utcnow())
    for filename, content_type, content in attachments:
        message.attachments.append(MailAttachment(filename=filename, content_type=content_type, content=content))
    db.session.add(message)
    db.session.flush()
    on_commit(wake_sender, key=WAKE)
    return message


def compose(row: MailMessage, now: datetime) -> EmailMessage:
    """The e-mail of a row, with its Date (now) and Message-ID."""
    message = EmailMessage()
    message["Subject"] = row.subject
    message["From"] = row.mail_from
    message["To"] = row.recipient
    message["Date"] = format_datetime(now)
    message["Message-ID"] = row.message_id
    message.set_content(row.body)
    for attachment in row.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(attachment.content, maintype=maintype, subtype=subtype or "octet-stream",
                               filename=attachment.filename)
    # after the body: set_content and add_attachment rewrite the Content-* headers
    message["Content-Language"] = row.language
    return message


@dataclass(frozen=True)
class Job:
    id: int
    claim: str
    recipient: str
    kind: str
    attempt: int
    message: EmailMessage


@dataclass
class DrainReport:
    sent: int = 0
    failed: int = 0
    released: int = 0
    unreachable: str | None = None


def claim(*, limit: int = BATCH, lease: timedelta = LEASE, now: datetime | None = None) -> list[Job]:
    """Claim up to `limit` messages (queued, or `sending` past their lease). Flushes; the caller
    commits at once, before sending anything."""
    now = now or utcnow()
    claimable = or_(MailMessage.state == "queued",
                    and_(MailMessage.state == "sending", MailMessage.claimed_until < now))
    rows = db.session.scalars(select(MailMessage).where(claimable).order_by(MailMessage.id).limit(limit)
                              .with_for_update(skip_locked=True)).all()
    token = uuid.uuid4().hex
    jobs = []
    for row in rows:
        row.state, row.claim, row.claimed_until = "sending", token, now + lease
        row.attempts += 1
        if row.message_id is None:
            domain = row.mail_from.rpartition("@")[2] or "localhost"
            row.message_id = make_msgid(domain=domain)
        jobs.append(Job(id=row.id, claim=token, recipient=row.recipient, kind=row.kind, attempt=row.attempts,
                        message=compose(row, utcnow())))
    db.session.flush()
    return jobs


def confirm(job: Job, error: str | None) -> None:
    """Record what became of a claimed message (flushes; the caller commits). A late failure
    of a sender whose lease ran out never overwrites the result of the one that took over."""
    row = db.session.get(MailMessage, job.id, with_for_update=True, populate_existing=True)
    if row is None:
        return
    details = {"mail": row.id, "kind": job.kind, "recipient": job.recipient, "attempt": job.attempt}
    if error is None:
        if row.state == "sent":
            return
        row.state, row.reason, row.sent_at, row.claim, row.claimed_until = "sent", None, utcnow(), None, None
        if row.secret:
            row.body = BLANKED
        db.session.flush()
        record("mail.sent", subject=row, after=details)
    elif row.state == "sending" and row.claim == job.claim:
        row.state, row.reason, row.claim, row.claimed_until = "failed", error, None, None
        if row.secret:
            row.body = BLANKED
        db.session.flush()
        record("mail.failed", subject=row, after={**details, "reason": error})


def release(jobs: list[Job]) -> None:
    """Give claimed messages back untried (flushes; the caller commits)."""
    for job in jobs:
        row = db.session.get(MailMessage, job.id, with_for_update=True, populate_existing=True)
        if row is not None and row.state == "sending" and row.claim == job.claim:
            row.state, row.claim, row.claimed_until = "queued", None, None
            row.attempts -= 1
    db.session.flush()


def mailer_for(app) -> Mailer:
    url = app.config.get("EXCOM_SMTP_URL")
    if not url:
        raise OutboxUnavailable("EXCOM_SMTP_URL is not set: there is no server to send e-mail through.")
    try:
        return Mailer(url, app.config.get("EXCOM_MAIL_FROM") or FALLBACK_FROM)
    except ValueError as error:
        raise OutboxUnavailable(str(error)) from None


def deliver(jobs: list[Job], mailer: Mailer, report: DrainReport, *, lease: timedelta = LEASE) -> None:
    """Send claimed messages with no transaction open; record each result in its own commit."""
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
                log.warning("%s mail %s not sent: %s", job.kind, job.id, error)
                if unreachable(mailer, failure):
                    report.unreachable = error
        confirm(job, error)
        db.session.commit()
        if error is None:
            report.sent += 1
        else:
            report.failed += 1


def drain(app, *, batch: int = BATCH, lease: timedelta = LEASE, now: datetime | None = None) -> DrainReport:
    """Send every message queued now, batch by batch, in its own app context. OutboxUnavailable
    without EXCOM_SMTP_URL. `now` stands for the clock of the claims (tests)."""
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


def start_sender(app, *, interval: float = SWEEP_INTERVAL) -> Sender:
    """Start this process's sender of the general outbox (once per app)."""
    if SENDER_KEY not in app.extensions:
        from governance import services
        app.extensions[SENDER_KEY] = services.run(app, Sender(app, drain, interval=interval, name="mail outbox"))
    return app.extensions[SENDER_KEY]


def wake_sender() -> None:
    """Mail is committed: wake this process's sender, if it runs one (`excom serve`)."""
    if has_app_context():
        sender = current_app.extensions.get(SENDER_KEY)
        if sender is not None:
            sender.wake()
