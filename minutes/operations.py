"""Every change the minutes make: notes, memorandum versions, approval, distribution.

Each operation flushes, appends its audit event and queues its broadcast; the request
boundary commits once. Approval runs inside the adoption of a `minutes_approval` motion
(minutes connects to motions.signals.motion_adopted in minutes.init_app), in that same
transaction.
"""
from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import UTC
from email.message import EmailMessage

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from governance import policy
from governance.audit.operations import record
from governance.auth.models import User
from governance.dbtypes import utcnow
from governance.errors import ApiError, conflict, invalid
from governance.extensions import db
from governance.mail.outbox import WAKE, wake_sender
from governance.mail.smtp import Mailer
from governance.meetings.dependents import named, record_closed
from governance.meetings.models import AgendaItem, Group, Meeting, MeetingSession
from governance.realtime import announce
from governance.transaction import on_commit
from minutes import wording
from minutes.builder import build_editions, format_date, stamp_approved
from minutes.collect import collect
from minutes.models import Distribution, ItemNote, MemorandumAnnex, MemorandumTemplate, MemorandumVersion
from minutes.record import Memorandum, UnwritableText
from minutes.wording import N_

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


@dataclass(frozen=True)
class ItemNotes:
    """An item's notes as one reader may know them (minutes.schemas.NotesOut dumps it): the
    secretariat (`drafts`) reads every revision and who wrote it; anyone else the current text
    alone (drafts, their number and their authors are working papers)."""

    item_id: int
    newest: ItemNote | None
    drafts: bool
    history: list[ItemNote]  # oldest first; empty unless `drafts`


def notes_for(item: AgendaItem, reader) -> ItemNotes:
    if not policy.can_read_drafts(reader):
        return ItemNotes(item.id, newest_note(item), drafts=False, history=[])
    history = note_history(item)
    return ItemNotes(item.id, history[-1] if history else None, drafts=True, history=history)


def write_notes(item: AgendaItem, text: str, *, actor) -> ItemNote:
    """A new revision of the item's notes, for any item at any time until the meeting's
    memorandum is approved (409 `minutes_approved`); earlier revisions stay as its history."""
    if (closed := record_closed(item.meeting)):
        raise conflict("minutes_approved", f"{closed}: its notes can no longer change.")
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


def collect_memorandum(meeting: Meeting, *, actor) -> Memorandum:
    """What the next version of the meeting's memorandum will say, read now (a pure record,
    which can be built apart from the database and the event loop: minutes.api)."""
    number = (db.session.scalar(select(func.max(MemorandumVersion.version))
                                .where(MemorandumVersion.meeting_id == meeting.id)) or 0) + 1
    author = getattr(actor, "name", None) or N_("the Secretariat")
    return collect(meeting, version=number, status="draft", generated_by=author, generated_at=utcnow())


def unwritable(problem: UnwritableText) -> ApiError:
    """A stored text that a Word document cannot hold, as the 422 that names where it is."""
    return invalid(problem.fields, "The memorandum cannot be written: some text holds characters a document "
                                   "cannot contain. Correct it where the fields say, and build again.")


def store_memorandum_version(meeting: Meeting, memorandum: Memorandum, editions: dict[str, bytes], *,
                             actor) -> MemorandumVersion:
    """Keep both editions built from `memorandum`, in every language built (minutes.builder.
    build_editions: "full", "public", "full_ru", "public_ru"), as its new draft version; the
    audit event records each document's SHA-256 (`<key>_sha256`). A build finished by another
    desk in the meantime took the number: 409, and nothing is kept."""
    full, public = editions["full"], editions["public"]
    version = MemorandumVersion(meeting_id=meeting.id, version=memorandum.version, status="draft",
                                created_at=memorandum.generated_at, author_id=getattr(actor, "id", None),
                                full_docx=full, public_docx=public, full_docx_ru=editions.get("full_ru"),
                                public_docx_ru=editions.get("public_ru"))
    db.session.add(version)
    _flush_or_conflict("Another build of this memorandum finished a moment ago; try again.")
    annexes = _record_annexes(meeting, version)
    template = current_template()
    record("memorandum.built", actor=actor, meeting=meeting, subject=version,
           after={"version": version.version, "status": "draft",
                  **{f"{key}_sha256": _sha256(data) for key, data in version.documents().items()},
                  "annexes": annexes, "template_sha256": template.sha256 if template else None})
    announce("memorandum.built", {"meeting_id": meeting.id, "version": version.version, "status": "draft"},
             meeting_id=meeting.id, audience="closed")
    return version


def build_memorandum_version(meeting: Meeting, *, actor) -> MemorandumVersion:
    """Collect the meeting, build both editions, and keep them as a new draft version, all in
    this transaction and this thread (the demo, the CLI, tests; the API builds apart).

    Approved versions are never touched: building after an approval makes a new draft."""
    memorandum = collect_memorandum(meeting, actor=actor)
    from minutes.template import TemplateRefused
    try:
        editions = build_editions(memorandum, template=template_bytes())
    except UnwritableText as problem:
        raise unwritable(problem) from None
    except TemplateRefused as problem:
        raise invalid({"template": [str(problem)]}, f"The memorandum template cannot be used: {problem}") from None
    return store_memorandum_version(meeting, memorandum, editions, actor=actor)


def fix_version_put_to_vote(kind: str, *, motion, actor) -> None:
    """motion_put_to_vote for `minutes_approval` motions: the members approve the version they
    were given, so the newest version when the approval poll first opens is written on the
    motion, and that one is approved on adoption, whatever is built meanwhile (a version 2
    built during the vote is not what was voted on). A repeated vote (after a void poll) asks
    about the same version. No version at all: 409 no_memorandum, nothing to approve yet; the
    newest version approved already (by an earlier motion): 409 already_approved."""
    if motion.memorandum_meeting_id is None or motion.memorandum_version is not None:
        return
    version = newest_version(motion.memorandum_meeting_id)
    if version is None:
        other = db.session.get(Meeting, motion.memorandum_meeting_id)
        raise conflict("no_memorandum", f"{other.title if other else 'That meeting'} has no memorandum version to "
                                        "approve yet; build one and circulate it first.")
    if version.approved:  # nothing left to decide: a correction is built as a new draft first
        raise conflict("already_approved", f"Version {version.version} of this memorandum was approved already; "
                                           "build a corrected version first if the record must change.")
    motion.memorandum_version = version.version
    db.session.flush()
    record("motion.memorandum_fixed", actor=actor, meeting=motion.meeting_id, subject=motion,
           after={"memorandum_meeting_id": motion.memorandum_meeting_id, "memorandum_version": version.version,
                  "full_sha256": _sha256(version.full_docx)})


def _record_annexes(meeting: Meeting, version: MemorandumVersion) -> list[str]:
    """Which documents this version lists (the full edition lists them all): once the version is
    approved they are kept for ever. Answers their digests, for the audit event."""
    from governance.documents.models import ItemDocument
    item_ids = [item.id for item in meeting.agenda()]
    documents = list(db.session.scalars(select(ItemDocument).where(ItemDocument.item_id.in_(item_ids))
                                        .order_by(ItemDocument.id))) if item_ids else []
    for document in documents:
        db.session.add(MemorandumAnnex(version_id=version.id, document_id=document.id))
    db.session.flush()
    return [document.sha256 for document in documents]


def keep_annexes_of_approved_minutes(document) -> None:
    """document_deleting (governance.documents.signals): an approved memorandum's annexes stay with the meeting."""
    approved = db.session.scalar(
        select(MemorandumVersion.version).join(MemorandumAnnex, MemorandumAnnex.version_id == MemorandumVersion.id)
        .where(MemorandumAnnex.document_id == document.id, MemorandumVersion.status == "approved").limit(1))
    if approved is not None:
        raise conflict("kept_with_minutes", f"This document is an annex of the approved memorandum "
                                            f"(version {approved}); it is kept with the meeting.")


def approve(meeting_id: int, *, motion=None, actor=None, number: int | None = None) -> MemorandumVersion | None:
    """Approve (and freeze) version `number` of a meeting's memorandum (the newest when None).

    The approved document is the draft that was circulated, with its DRAFT mark and version
    line turned into the approval; nothing else in it changes, and from then on its bytes
    never change again."""
    meeting = db.session.get(Meeting, meeting_id)
    version = find_version(meeting, number) if meeting is not None else None
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
    for attribute, language, public in (("full_docx", "en", False), ("public_docx", "en", True),
                                        ("full_docx_ru", "ru", False), ("public_docx_ru", "ru", True)):
        data = getattr(version, attribute)
        if data is not None:
            setattr(version, attribute,
                    stamp_approved(data, _approval_wording(meeting, motion, now, language, public=public), language))
    version.status = "approved"
    version.approved_at = now
    version.approved_by_motion_id = getattr(motion, "id", None)
    db.session.flush()
    record("memorandum.approved", actor=actor, meeting=meeting, subject=version,
           before={"status": "draft"},
           after={"version": version.version, "status": "approved", "motion_id": getattr(motion, "id", None),
                  "reason": reason, **{f"{key}_sha256": _sha256(data) for key, data in version.documents().items()}})
    return version


def _approval_wording(meeting, motion, now, language: str, *, public: bool = False) -> str:
    """ "approved on 20 September 2025 by resolution EXCOM 2025/R2", in `language`. The public
    edition never names what its reader may not see: approved by a closed-session resolution not
    yet published (governance.publication), it says at which meeting, not by which resolution."""
    from motions.publishing import is_published
    with wording.speaking(language):
        when = format_date(now, meeting.zone if meeting else UTC)
        if motion is not None and motion.resolution_number:
            if public and not is_published(motion):
                approving = motion.meeting
                return wording._("approved on %(date)s at the meeting of %(meeting_date)s", date=when,
                                 meeting_date=format_date(approving.starts_at, approving.zone))
            return wording._("approved on %(date)s by resolution %(number)s", date=when,
                             number=motion.resolution_number)
        return wording._("approved on %(date)s", date=when)


def approve_from_motion(kind: str, *, motion, actor) -> None:
    """motion_adopted for `minutes_approval` motions: the memorandum it names is approved."""
    if motion.memorandum_meeting_id:
        approve(motion.memorandum_meeting_id, motion=motion, actor=actor, number=motion.memorandum_version)


# --- distribution ------------------------------------------------------------------------

@dataclass(frozen=True)
class Recipient:
    user: User
    edition: str
    language: str = wording.DEFAULT


def reader_language(user: User) -> str:
    """The language `user` reads the memorandum in: their account's (`users.language`), else the
    organisation's first language, else English."""
    if user.language in wording.LANGUAGES:
        return user.language
    from governance.registry.models import Organisation
    first = next(iter(Organisation.current().languages or []), wording.DEFAULT)
    return first if first in wording.LANGUAGES else wording.DEFAULT


def recipients(meeting: Meeting, audience: str) -> list[Recipient]:
    """EXCOM members and the secretariat get the full edition; with audience "all", every
    other participant (observers, guests) gets the public one; each in their language
    (reader_language)."""
    chosen = []
    for participant in sorted(meeting.participants, key=lambda p: p.id):
        user = participant.user
        if not user.active or not user.email:
            continue
        full = policy.can_see_closed_session(user, meeting)
        if audience == "excom" and participant.group not in (Group.EXCOM_MEMBER, Group.SECRETARIAT):
            continue
        chosen.append(Recipient(user, "full" if full else "public", reader_language(user)))
    return chosen


def docx_filename(meeting: Meeting, version: MemorandumVersion, edition: str, language: str = "en") -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", (meeting.reference or meeting.title).lower()).strip("-") or "meeting"
    suffix = ("-public" if edition == "public" else "") + ("" if language == wording.DEFAULT else f"-{language}")
    return f"memorandum-{slug}-v{version.version}{suffix}.docx"


def memorandum_message(meeting: Meeting, version: MemorandumVersion, recipient: Recipient, sender: str,
                       address: str | None = None) -> EmailMessage:
    """The e-mail carrying `recipient`'s edition, to `address` (default: the user's own)."""
    message = EmailMessage()
    language = recipient.language if version.docx(recipient.edition, recipient.language) is not None \
        else wording.DEFAULT  # a version built before it had Russian
    _ = wording._
    with wording.speaking(language):
        state = _("approved") if version.approved else _("draft")
        edition = _("public edition") if recipient.edition == "public" else _("full edition")
        message["Subject"] = _("Memorandum – %(title)s (version %(n)s, %(state)s)", title=meeting.title,
                               n=version.version, state=state)
        body = (_("Dear %(name)s,", name=recipient.user.name) + "\n\n"
                + _("Please find attached the memorandum of %(title)s (%(venue)s), version %(n)s (%(state)s), "
                    "%(edition)s.", title=meeting.title, venue=meeting.venue, n=version.version, state=state,
                    edition=edition) + "\n\n" + _("The Secretariat") + "\n")
    message["From"] = sender
    message["To"] = address or recipient.user.email
    message.set_content(body)
    maintype, subtype = DOCX_MIMETYPE.split("/")
    message.add_attachment(version.docx(recipient.edition, language), maintype=maintype, subtype=subtype,
                           filename=docx_filename(meeting, version, recipient.edition, language))
    message["Content-Language"] = language  # after the parts are made: set_content clears Content-* headers
    return message


DISTRIBUTION_COUNTS = ("recorded", "queued", "sending", "sent", "failed")


def distribution_counts(rows: list[Distribution]) -> dict[str, int]:
    return {status: sum(r.status == status for r in rows) for status in DISTRIBUTION_COUNTS}


def distribute(meeting: Meeting, version: MemorandumVersion, *, audience: str, actor, smtp_url: str | None = None,
               sender: str | None = None) -> list[Distribution]:
    """Record who receives `version`: one row per recipient, with the edition they may read.

    No mail leaves here. With an SMTP URL each row not yet sent is `queued` (the outbox), and
    the outbox (governance/mail/outbox.py) delivers it after this transaction commits: SMTP inside the
    request would hold the transaction (SQLite's write lock) across network I/O, and would have
    mailed people about a distribution that a failed commit then undid. Without SMTP the rows
    are `recorded` only. Calling this again queues only those not yet sent to (the failed, the
    merely recorded); the sent, and those queued or being sent, are left as they are."""
    if audience not in AUDIENCES:
        raise invalid({"audience": [f"Must be one of: {', '.join(AUDIENCES)}."]})
    # set when mail is to be sent: the From of every message queued now
    mail_from = _mail_from(smtp_url, sender, actor) if smtp_url else None
    existing = {d.user_id: d for d in version.distributions}
    rows: list[Distribution] = []
    queued = 0
    for recipient in recipients(meeting, audience):
        row = existing.get(recipient.user.id)
        language = recipient.language if version.docx(recipient.edition, recipient.language) is not None \
            else wording.DEFAULT  # a version built before it had Russian
        if row is None:
            row = Distribution(version=version, user_id=recipient.user.id, email=recipient.user.email,
                               edition=recipient.edition, language=language, status="recorded", attempts=0,
                               created_at=utcnow())
            db.session.add(row)
        if mail_from and row.status in ("recorded", "failed"):
            row.status, row.mail_from, row.claim, row.claimed_until = "queued", mail_from, None, None
            row.email = recipient.user.email  # a corrected address counts for the next attempt
            row.language = language  # and so does a language chosen since
            queued += 1
        rows.append(row)
    _flush_or_conflict("This memorandum is being distributed from another desk; try again in a moment.")
    if queued:
        on_commit(wake_sender, key=WAKE)
    record("memorandum.distributed", actor=actor, meeting=meeting, subject=version,
           after={"version": version.version, "audience": audience, "recipients": len(rows),
                  **distribution_counts(rows), "newly_queued": queued})
    return rows


def _mail_from(smtp_url: str, sender: str | None, actor) -> str:
    """The From of messages queued now; 503 `smtp_misconfigured` when the URL cannot be used."""
    try:
        Mailer(smtp_url, "")  # connects to nothing: only checks that the URL can be used
    except ValueError as error:
        # the mail service as configured cannot be used: a server-side condition, not the input's
        raise ApiError(503, "smtp_misconfigured", f"E-mail is not available: {error}") from None
    return sender or getattr(actor, "email", None) or "secretariat@localhost"


@dataclass(frozen=True)
class RecipientPreview:
    """A person a distribution would reach (minutes.schemas.RecipientOut dumps it): the edition
    they would get and the state of their copy of this version so far (None: not yet recorded)."""

    recipient: Recipient
    status: str | None

    @property
    def will_send(self) -> bool:
        """What `distribute` would queue now (not yet sent, queued or sending)."""
        return self.status in (None, "recorded", "failed")


def recipients_preview(meeting: Meeting, version: MemorandumVersion, audience: str) -> list[RecipientPreview]:
    """Who a distribution to `audience` would reach, for the desk's confirmation."""
    if audience not in AUDIENCES:
        raise invalid({"audience": [f"Must be one of: {', '.join(AUDIENCES)}."]})
    existing = {d.user_id: d.status for d in version.distributions}
    return [RecipientPreview(recipient, existing.get(recipient.user.id)) for recipient in recipients(meeting, audience)]


def retry_failed(meeting: Meeting, version: MemorandumVersion, *, actor, smtp_url: str | None,
                 sender: str | None = None) -> list[Distribution]:
    """Queue again the copies of `version` whose sending failed, and only those (whatever the
    audience of the distribution that first listed them). Answers every row of the version.
    503 `smtp_not_configured` without an SMTP server (nothing could be sent), 503
    `smtp_misconfigured` with an unusable one."""
    if not smtp_url:
        raise ApiError(503, "smtp_not_configured", "E-mail is not available: no SMTP server is configured "
                                                   "(EXCOM_SMTP_URL).")
    mail_from = _mail_from(smtp_url, sender, actor)
    rows = list(version.distributions)
    retried = []
    for row in rows:
        if row.status != "failed":
            continue
        row.status, row.mail_from, row.claim, row.claimed_until = "queued", mail_from, None, None
        row.email = row.user.email  # a corrected address counts for the next attempt
        retried.append(row.email)
    _flush_or_conflict("This memorandum is being distributed from another desk; try again in a moment.")
    if retried:
        on_commit(wake_sender, key=WAKE)
    record("memorandum.retried", actor=actor, meeting=meeting, subject=version,
           after={"version": version.version, "retried": retried})
    return rows


# --- the record a meeting's minutes hold (governance.meetings.signals, connected in minutes.init_app) ---

def approved_memorandum(meeting: Meeting) -> str | None:
    version = db.session.scalar(select(MemorandumVersion.version).where(
        MemorandumVersion.meeting_id == meeting.id, MemorandumVersion.status == "approved").limit(1))
    return f"The memorandum of {meeting.title} was approved (version {version})" if version else None


def notes_of(item: AgendaItem) -> list[str]:
    revisions = db.session.scalar(select(func.count()).select_from(ItemNote).where(ItemNote.item_id == item.id))
    return [f"its notes ({revisions} revision(s))"] if revisions else []


def minutes_of(meeting: Meeting) -> list[str]:
    notes = db.session.scalar(select(func.count()).select_from(ItemNote)
                              .join(AgendaItem, AgendaItem.id == ItemNote.item_id)
                              .join(MeetingSession, MeetingSession.id == AgendaItem.session_id)
                              .where(MeetingSession.meeting_id == meeting.id))
    versions = [f"version {v}" for v in db.session.scalars(select(MemorandumVersion.version).where(
        MemorandumVersion.meeting_id == meeting.id).order_by(MemorandumVersion.version))]
    return ([f"{notes} note revision(s)"] if notes else []) + named(("memorandum version", "memorandum versions"),
                                                                     versions)


# --- the secretariat's own template (minutes.template) -----------------------------------

def current_template() -> MemorandumTemplate | None:
    return db.session.scalar(select(MemorandumTemplate).order_by(MemorandumTemplate.id.desc()).limit(1))


def template_bytes() -> bytes | None:
    template = current_template()
    return bytes(template.data) if template is not None else None


def set_template(data: bytes, filename: str, *, actor) -> MemorandumTemplate:
    """The secretariat's template replaces the one before (checked and rendered by the caller:
    minutes.template.check_template)."""
    before = current_template()
    for old in db.session.scalars(select(MemorandumTemplate)):
        db.session.delete(old)
    template = MemorandumTemplate(filename=filename[:255], sha256=_sha256(data), data=data, uploaded_at=utcnow(),
                                  uploaded_by_id=getattr(actor, "id", None))
    db.session.add(template)
    db.session.flush()
    record("memorandum.template_set", actor=actor, subject=template,
           before={"sha256": before.sha256} if before else None,
           after={"filename": template.filename, "sha256": template.sha256, "size": len(data)})
    return template


def remove_template(*, actor) -> bool:
    """Back to the built-in layout; False when there was no template."""
    before = current_template()
    if before is None:
        return False
    for old in db.session.scalars(select(MemorandumTemplate)):
        db.session.delete(old)
    db.session.flush()
    record("memorandum.template_removed", actor=actor, subject=before, before={"sha256": before.sha256})
    return True
