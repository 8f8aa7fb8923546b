"""E-mail from the platform: a general outbox (password resets, invitations, ...).

The whole API for other packages:

    from governance import mail
    mail.queue(recipient_email, subject, text, language="en", attachments=(), *,
               kind="message", secret=False, sender=None) -> MailMessage

`queue` adds one row in the caller's transaction (flushes, does not commit): the message is
sent only once that transaction commits, never from inside it; a rollback sends nothing.
attachments are (filename, "maintype/subtype", bytes) triples. Rows go queued -> sending ->
sent, or failed with the server's reason (final: queue again to retry); `attempts` counts
tries. Date and Message-ID are set when sent. Delivery is at least once (outbox.py, which
also sends the memorandum's copies: minutes/outbox.py is the other kind of message).

Who sends: `excom serve` starts a background sender when EXCOM_SMTP_URL is set (woken right
after a commit that queued mail, and sweeping every minute; one for every kind of message);
`excom mail send` drains once.
Settings: EXCOM_SMTP_URL (governance/mail/smtp.py), EXCOM_MAIL_FROM (the From; default
secretariat@localhost).
"""
from governance.mail.general import GENERAL, drain, queue, start_sender  # noqa: F401
from governance.mail.models import MailAttachment, MailMessage  # noqa: F401
from governance.mail.outbox import OutboxUnavailable  # noqa: F401


def init_app(app) -> None:
    """Only its tables: the sender is a service started by `excom serve` (governance.serve)."""
    from governance.mail import models  # noqa: F401,F811
