"""Every change the minutes make: notes, memorandum versions, approval, distribution.

Each operation flushes, appends its audit event and queues its broadcast; the request
boundary commits once. Approval runs inside the adoption of a `minutes_approval` motion
(registered in `motions.operations.adoption_hooks`), in that same transaction.
"""
from __future__ import annotations

import hashlib
import logging
import re
import smtplib
from dataclasses import dataclass
from datetime import timezone
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from governance import policy
from governance.audit.operations import record
from governance.auth.models import User
from governance.dbtypes import utcnow
from governance.errors import ApiError, conflict, invalid
from governance.extensions import db
from governance.meetings.models import AgendaItem, Meeting
from governance.realtime import announce
from minutes.builder import build_memorandum, format_date, stamp_approved
from minutes.collect import collect
from minutes.models import Distribution, ItemNote, MemorandumVersion

log = logging.getLogger(__name__)

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
AUDIENCES = ("excom", "all")


def _flush_or_conflict(message: str) -> None:
    """Two desks doing the same at once: the unique keys decide, and the loser gets a 409."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise conflict("conflict", message) from None


# --- notes -------------------------------------------------------------------------------

def newest_note(item: AgendaItem) -> ItemNote | None:
    return db.session.scalar(select(ItemNote).where(ItemNote.item_id == item.id)
                             .order_by(ItemNote.revision.desc()).limit(1))


def note_history(item: AgendaItem) -> list[ItemNote]:
    return list(db.session.scalars(select(ItemNote).where(ItemNote.item_id == item.id)
                                   .order_by(ItemNote.revision)))


def write_notes(item: AgendaItem, text: str, *, actor) -> ItemNote:
    """A new revision of the item's notes; earlier ones stay as its history."""
    previous = newest_note(item)
    if previous is not None and previous.text == text:
        return previous  # the same text again (a double save) is no new revision
    note = ItemNote(item_id=item.id, revision=(previous.revision + 1) if previous else 1, text=text,
                    author_id=getattr(actor, "id", None), created_at=utcnow())
    db.session.add(note)
    _flush_or_conflict("The notes were saved from another desk a moment ago; reload and try again.")
    record("item.notes_written", actor=actor, meeting=item.meeting, subject=note,
           before={"revision": previous.revision} if previous else None,
           after={"item_id": item.id, "revision": note.revision, "text": text})
    return note


# --- versions ----------------------------------------------------------------------------

def versions(meeting: Meeting) -> list[MemorandumVersion]:
    return list(db.session.scalars(select(MemorandumVersion).where(MemorandumVersion.meeting_id == meeting.id)
                                   .order_by(MemorandumVersion.version)))


def newest_version(meeting_id: int) -> MemorandumVersion | None:
    return db.session.scalar(select(MemorandumVersion).where(MemorandumVersion.meeting_id == meeting_id)
                             .order_by(MemorandumVersion.version.desc()).limit(1))


def find_version(meeting: Meeting, number: int | None) -> MemorandumVersion | None:
    if number is None:
        return newest_version(meeting.id)
    return db.session.scalar(select(MemorandumVersion).where(MemorandumVersion.meeting_id == meeting.id,
                                                             MemorandumVersion.version == number))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_memorandum_version(meeting: Meeting, *, actor) -> MemorandumVersion:
    """Collect the meeting, build both editions, and keep them as a new draft version.

    Approved versions are never touched: building after an approval makes a new draft."""
    number = (db.session.scalar(select(func.max(MemorandumVersion.version))
                                .where(MemorandumVersion.meeting_id == meeting.id)) or 0) + 1
    now = utcnow()
    author = getattr(actor, "name", None) or "the Secretariat"
    memorandum = collect(meeting, version=number, status="draft", generated_by=author, generated_at=now)
    full, public = build_memorandum(memorandum, edition="full"), build_memorandum(memorandum, edition="public")
    version = MemorandumVersion(meeting_id=meeting.id, version=number, status="draft", created_at=now,
                                author_id=getattr(actor, "id", None), full_docx=full, public_docx=public)
    db.session.add(version)
    _flush_or_conflict("Another build of this memorandum finished a moment ago; try again.")
    record("memorandum.built", actor=actor, meeting=meeting, subject=version,
           after={"version": number, "status": "draft", "full_sha256": _sha256(full),
                  "public_sha256": _sha256(public)})
    announce("memorandum.built", {"meeting_id": meeting.id, "version": number, "status": "draft"},
             meeting_id=meeting.id, audience="closed")
    return version


def approve(meeting_id: int, *, motion=None, actor=None) -> MemorandumVersion | None:
    """Approve (and freeze) the newest version of a meeting's memorandum.

    The approved document is the draft that was circulated, with its DRAFT mark and version
    line turned into the approval; nothing else in it changes, and from then on its bytes
    never change again."""
    version = newest_version(meeting_id)
    meeting = db.session.get(Meeting, meeting_id)
    reason = f"{motion.resolution_number}: {motion.title}" if motion is not None else None
    if version is None:
        # Adoption must not fail over it (the vote was taken); the trail says what happened.
        record("memorandum.approval_without_version", actor=actor, meeting=getattr(motion, "meeting_id", None),
               subject=meeting, after={"memorandum_meeting_id": meeting_id, "reason": reason})
        log.warning("minutes_approval adopted for meeting %s, which has no memorandum version", meeting_id)
        return None
    if version.approved:
        return version
    now = utcnow()
    when = format_date(now, meeting.zone if meeting else timezone.utc)
    by = f" by resolution {motion.resolution_number}" if motion is not None and motion.resolution_number else ""
    wording = f"approved on {when}{by}"
    version.full_docx = stamp_approved(version.full_docx, wording)
    version.public_docx = stamp_approved(version.public_docx, wording)
    version.status = "approved"
    version.approved_at = now
    version.approved_by_motion_id = getattr(motion, "id", None)
    db.session.flush()
    record("memorandum.approved", actor=actor, meeting=meeting, subject=version,
           before={"status": "draft"},
           after={"version": version.version, "status": "approved", "motion_id": getattr(motion, "id", None),
                  "reason": reason, "full_sha256": _sha256(version.full_docx),
                  "public_sha256": _sha256(version.public_docx)})
    return version


def approve_from_motion(motion, actor) -> None:
    """The adoption hook of `minutes_approval` motions."""
    if motion.memorandum_meeting_id:
        approve(motion.memorandum_meeting_id, motion=motion, actor=actor)


def _register_hook() -> None:
    try:
        from motions.operations import adoption_hooks
    except ImportError:  # motions without its operations: nothing can adopt anything yet
        return
    if approve_from_motion not in adoption_hooks["minutes_approval"]:
        adoption_hooks["minutes_approval"].append(approve_from_motion)


_register_hook()


# --- distribution ------------------------------------------------------------------------

@dataclass(frozen=True)
class Recipient:
    user: User
    edition: str


def recipients(meeting: Meeting, audience: str) -> list[Recipient]:
    """EXCOM members and the secretariat get the full edition; with audience "all", every
    other participant (observers, guests) gets the public one."""
    chosen = []
    for participant in sorted(meeting.participants, key=lambda p: p.id):
        user = participant.user
        if not user.active or not user.email:
            continue
        full = policy.can_see_closed_session(user, meeting)
        if audience == "excom" and participant.group not in ("excom_member", "secretariat"):
            continue
        chosen.append(Recipient(user, "full" if full else "public"))
    return chosen


def docx_filename(meeting: Meeting, version: MemorandumVersion, edition: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", (meeting.reference or meeting.title).lower()).strip("-") or "meeting"
    suffix = "-public" if edition == "public" else ""
    return f"memorandum-{slug}-v{version.version}{suffix}.docx"


class Mailer:
    """One SMTP conversation for a distribution, reopened if the server drops it."""

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


def _message(meeting: Meeting, version: MemorandumVersion, recipient: Recipient, sender: str) -> EmailMessage:
    message = EmailMessage()
    state = "approved" if version.approved else "draft"
    edition = "public edition" if recipient.edition == "public" else "full edition"
    message["Subject"] = f"Memorandum – {meeting.title} (version {version.version}, {state})"
    message["From"] = sender
    message["To"] = recipient.user.email
    message.set_content(
        f"Dear {recipient.user.name},\n\n"
        f"Please find attached the memorandum of {meeting.title} ({meeting.venue}), version "
        f"{version.version} ({state}), {edition}.\n\nThe Secretariat\n")
    maintype, subtype = DOCX_MIMETYPE.split("/")
    message.add_attachment(version.docx(recipient.edition), maintype=maintype, subtype=subtype,
                           filename=docx_filename(meeting, version, recipient.edition))
    return message


def _error_text(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [f"{code} {reply.decode(errors='replace') if isinstance(reply, bytes) else reply}"
                 for code, reply in error.recipients.values()]
        return ("refused: " + "; ".join(codes))[:500]
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) \
            else str(error.smtp_error)
        return f"{error.smtp_code} {message}"[:500]
    return f"{type(error).__name__}: {error}"[:500]


def distribute(meeting: Meeting, version: MemorandumVersion, *, audience: str, actor, smtp_url: str | None = None,
               sender: str | None = None) -> list[Distribution]:
    """Record who receives `version` (one row per recipient) and, with an SMTP URL, e-mail each
    the DOCX of their edition. A failed send is kept as failed with its error; calling this
    again sends only to those not yet sent to, never twice to anyone."""
    if audience not in AUDIENCES:
        raise invalid({"audience": [f"Must be one of: {', '.join(AUDIENCES)}."]})
    existing = {d.user_id: d for d in version.distributions}
    rows: list[Distribution] = []
    for recipient in recipients(meeting, audience):
        row = existing.get(recipient.user.id)
        if row is None:
            row = Distribution(version=version, user_id=recipient.user.id, email=recipient.user.email,
                               edition=recipient.edition, status="recorded", attempts=0, created_at=utcnow())
            db.session.add(row)
        rows.append(row)
    _flush_or_conflict("This memorandum is being distributed from another desk; try again in a moment.")

    mailer = None
    if smtp_url:
        try:
            mailer = Mailer(smtp_url, sender or getattr(actor, "email", None) or "secretariat@localhost")
        except ValueError as error:
            # the mail service as configured cannot be used: a server-side condition, not the input's
            raise ApiError(503, "smtp_misconfigured", f"E-mail is not available: {error}") from None
    unreachable = None  # the server cannot be reached at all: fail the rest without waiting again
    try:
        for row in rows:
            if mailer is None or row.status == "sent":
                continue
            row.attempts += 1
            if unreachable is not None:
                row.status, row.error = "failed", unreachable
                continue
            try:
                mailer.send(_message(meeting, version, Recipient(row.user, row.edition), mailer.sender))
            except (smtplib.SMTPException, OSError) as error:
                row.status, row.error = "failed", _error_text(error)
                log.warning("memorandum to %s not sent: %s", row.email, row.error)
                if mailer.connection is None and not isinstance(error, smtplib.SMTPException):
                    unreachable = row.error
            else:
                row.status, row.error, row.sent_at = "sent", None, utcnow()
    finally:
        if mailer is not None:
            mailer.close()
    db.session.flush()
    summary = {status: sum(r.status == status for r in rows) for status in ("recorded", "sent", "failed")}
    record("memorandum.distributed", actor=actor, meeting=meeting, subject=version,
           after={"version": version.version, "audience": audience, "recipients": len(rows), **summary,
                  "failed_to": [r.email for r in rows if r.status == "failed"]})
    return rows

