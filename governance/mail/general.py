"""The general mail (password resets, invitations, ...): one kind of the outbox's messages
(outbox.py sends them), queued by `queue` in the transaction of the change that calls for it.

Its Message-ID is made at the first claim and kept in the row; the Date is the attempt's.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, has_app_context

from governance.audit.operations import record
from governance.dbtypes import utcnow
from governance.extensions import db
from governance.mail import outbox
from governance.mail.models import MailAttachment, MailMessage
from governance.mail.sender import SWEEP_INTERVAL, Sender
from governance.transaction import on_commit

BLANKED = "(withheld: this message carried a one-time code)"


def queue(recipient_email: str, subject: str, text: str, language: str = "en", attachments=(), *,
          kind: str = "message", secret: bool = False, sender: str | None = None) -> MailMessage:
    """Queue one e-mail in the current transaction (flushes; the caller commits).

    attachments: (filename, content_type "maintype/subtype", bytes) triples. `secret`: the body
    carries a one-time code and is blanked once sent or failed. The From is `sender`, else
    EXCOM_MAIL_FROM, else secretariat@localhost. Nothing is sent before the commit: a rolled
    back change sends nothing."""
    configured = current_app.config.get("EXCOM_MAIL_FROM") if has_app_context() else None
    message = MailMessage(kind=kind, recipient=recipient_email.strip(), language=language, subject=subject,
                          body=text, secret=secret, mail_from=sender or configured or outbox.FALLBACK_FROM,
                          state="queued", attempts=0, created_at=utcnow())
    for filename, content_type, content in attachments:
        message.attachments.append(MailAttachment(filename=filename, content_type=content_type, content=content))
    db.session.add(message)
    db.session.flush()
    on_commit(outbox.wake_sender, key=outbox.WAKE)
    return message


class GeneralMail:
    """The rows of `mail_messages`."""

    name = "mail"
    model = MailMessage

    def address(self, row: MailMessage) -> str:
        return row.recipient

    def message(self, row: MailMessage) -> EmailMessage:
        message = EmailMessage()
        message["Subject"] = row.subject
        message["From"] = row.mail_from
        message["To"] = row.recipient
        message.set_content(row.body)
        for attachment in row.attachments:
            maintype, _, subtype = attachment.content_type.partition("/")
            message.add_attachment(attachment.content, maintype=maintype, subtype=subtype or "octet-stream",
                                   filename=attachment.filename)
        # after the body: set_content and add_attachment rewrite the Content-* headers
        message["Content-Language"] = row.language
        return message

    def message_id(self, row: MailMessage) -> str:
        if row.message_id is None:
            row.message_id = make_msgid(domain=row.mail_from.rpartition("@")[2] or "localhost")
        return row.message_id

    def details(self, row: MailMessage) -> dict:
        return {"mail": row.id, "kind": row.kind, "recipient": row.recipient, "attempt": row.attempts}

    def recorded(self, row: MailMessage, job: outbox.Job, error: str | None) -> None:
        if row.secret:  # the one-time code stays in the database (and its backups) no longer
            row.body = BLANKED
        if error is None:
            record("mail.sent", subject=row, after=job.details)
        else:
            record("mail.failed", subject=row, after={**job.details, "reason": error})


GENERAL = GeneralMail()


def drain(app, *, batch: int = outbox.BATCH, lease: timedelta = outbox.LEASE,
          now: datetime | None = None) -> outbox.DrainReport:
    """Send the general mail queued now, once (`excom mail send`); OutboxUnavailable without
    a usable EXCOM_SMTP_URL."""
    return outbox.drain(app, GENERAL, batch=batch, lease=lease, now=now)


def start_sender(app, *, interval: float = SWEEP_INTERVAL) -> Sender:
    """Have this process's sender send the general mail (governance.start_services)."""
    return outbox.start_sender(app, GENERAL, interval=interval)
