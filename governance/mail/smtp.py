"""One SMTP conversation (EXCOM_SMTP_URL), for a pass of the outbox (governance/mail/outbox.py)
over every kind of message: the general mail and the memorandum's copies.

EXCOM_SMTP_URL: `smtp://[user:password@]host[:port]` (plain, port 25), `smtp+starttls://...`
(STARTTLS, port 25) or `smtps://...` (TLS from the start, port 465).
"""
from __future__ import annotations

import smtplib
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit


class Mailer:
    """One SMTP conversation for a pass of an outbox's sender, reopened if the server drops it."""

    def __init__(self, url: str, sender: str):
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps", "smtp+starttls"):
            raise ValueError(f"EXCOM_SMTP_URL must be smtp://host:port, not {url!r}")
        self.scheme, self.host, self.port = parts.scheme, parts.hostname or "localhost", parts.port
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.sender = sender
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        connection: smtplib.SMTP
        if self.scheme == "smtps":
            connection = smtplib.SMTP_SSL(self.host, self.port or 465, timeout=30)
        else:
            connection = smtplib.SMTP(self.host, self.port or 25, timeout=30)
            if self.scheme == "smtp+starttls":
                connection.starttls()
        if self.username:
            connection.login(self.username, self.password or "")
        return connection

    def send(self, message: EmailMessage) -> None:
        for attempt in (1, 2):
            try:
                if self.connection is None:
                    self.connection = self._connect()
                self.connection.send_message(message)
                return
            except smtplib.SMTPServerDisconnected:
                self.connection = None
                if attempt == 2:
                    raise
            except smtplib.SMTPRecipientsRefused:
                self._reset()
                raise
            except smtplib.SMTPResponseException:
                self._reset()
                raise

    def _reset(self) -> None:
        try:
            if self.connection is not None:
                self.connection.rset()
        except smtplib.SMTPException:
            self.close()

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                pass
        self.connection = None


def smtp_error_text(error: Exception) -> str:
    """What the server said, in at most 500 characters, for the row's reason."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [f"{code} {reply.decode(errors='replace') if isinstance(reply, bytes) else reply}"
                 for code, reply in error.recipients.values()]
        return ("refused: " + "; ".join(codes))[:500]
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) \
            else str(error.smtp_error)
        return f"{error.smtp_code} {message}"[:500]
    return f"{type(error).__name__}: {error}"[:500]


def unreachable(mailer: Mailer, failure: Exception) -> bool:
    """The server could not be reached at all (not a refusal): the rest of a pass fails at once."""
    return mailer.connection is None and not isinstance(failure, smtplib.SMTPException)
