"""/api/v1 item notes and the meeting memorandum: versions, the DOCX, distribution.

Each handler loads (or 404s), asks the policy, calls one operation and dumps; the request
boundary commits.
"""
import io

from flask import current_app, send_file
from flask_smorest import Blueprint

from governance import policy
from governance.apart import run_apart
from governance.errors import forbidden, not_found
from governance.extensions import db
from governance.lookup import require_secretariat, visible_item, visible_meeting
from governance.meetings.models import AgendaItem
from minutes import operations
from minutes.builder import build_editions
from minutes.models import MemorandumVersion
from minutes.record import UnwritableText
from minutes.schemas import (
    DistributeIn,
    DistributionReport,
    DocxQuery,
    NoteIn,
    NotesOut,
    RecipientsOut,
    RecipientsQuery,
    RetryIn,
    VersionOut,
)
from motions.models import Motion

blp = Blueprint("minutes", __name__, url_prefix="/api/v1",
                description="Item notes and the meeting memorandum: versions, editions, distribution")


def _author(user) -> str | None:
    return user.name if user is not None else None


def _notes_view(item: AgendaItem, user) -> dict:
    """The item's notes: for the secretariat with every revision and its author; for anyone
    else the current text alone (drafts, their number and their authors are working papers)."""
    if not policy.can_read_drafts(user):
        newest = operations.newest_note(item)
        return {"item_id": item.id, "revision": None, "text": newest.text if newest else "", "author": None,
                "created_at": None, "history": []}
    history = operations.note_history(item)
    newest = history[-1] if history else None
    return {
        "item_id": item.id, "revision": newest.revision if newest else None, "text": newest.text if newest else "",
        "author": _author(newest.author) if newest else None, "created_at": newest.created_at if newest else None,
        "history": [{"revision": n.revision, "text": n.text, "author": _author(n.author), "created_at": n.created_at}
                    for n in history],
    }


@blp.route("/items/<int:item_id>/notes")
@blp.response(200, NotesOut)
def get_notes(item_id):
    item, user = visible_item(item_id)
    return _notes_view(item, user)


@blp.route("/items/<int:item_id>/notes", methods=["PUT"])
@blp.arguments(NoteIn)
@blp.response(200, NotesOut)
def put_notes(args, item_id):
    item, user = visible_item(item_id)
    require_secretariat(user, "write the notes")
    operations.write_notes(item, args["text"], actor=user)
    return _notes_view(item, user)


def _distribution_view(row) -> dict:
    return {"id": row.id, "user_id": row.user_id, "name": row.user.name, "email": row.email,
            "edition": row.edition, "status": row.status, "error": row.error, "attempts": row.attempts,
            "sent_at": row.sent_at}


def _approving_motion_id(version: MemorandumVersion, user) -> int | None:
    """The motion that approved this version, named only to whom may see it: it was put at a
    later meeting, perhaps in its closed session, which this meeting's observers may not know of."""
    if version.approved_by_motion_id is None:
        return None
    motion = db.session.get(Motion, version.approved_by_motion_id)
    return motion.id if motion is not None and policy.can_see_item(user, motion.item) else None


def _version_view(version: MemorandumVersion, with_distributions: bool, user) -> dict:
    return {"id": version.id, "version": version.version, "status": version.status,
            "created_at": version.created_at, "author": _author(version.author),
            "approved_at": version.approved_at, "approved_by_motion_id": _approving_motion_id(version, user),
            "distributions": [_distribution_view(d) for d in version.distributions] if with_distributions else []}


@blp.route("/meetings/<int:meeting_id>/memorandum", methods=["POST"])
@blp.response(201, VersionOut)
def build(meeting_id):
    """Builds a new draft version of the memorandum (both editions).

    The meeting is read in one transaction; the documents are built apart from the server's
    event loop, with no transaction open (a long meeting takes seconds, and votes and pages
    are answered meanwhile); the version is kept in a second transaction. 422 names a stored
    text that a document cannot hold."""
    meeting, user = visible_meeting(meeting_id)
    require_secretariat(user, "build the memorandum")
    memorandum = operations.collect_memorandum(meeting, actor=user)
    try:
        editions = run_apart(build_editions, memorandum)
    except UnwritableText as problem:
        raise operations.unwritable(problem) from None
    meeting, user = visible_meeting(meeting_id)  # again: the first transaction has ended
    require_secretariat(user, "build the memorandum")
    return _version_view(operations.store_memorandum_version(meeting, memorandum, editions, actor=user), True, user)


@blp.route("/meetings/<int:meeting_id>/memorandum")
@blp.response(200, VersionOut(many=True))
def list_versions(meeting_id):
    meeting, user = visible_meeting(meeting_id)
    staff = policy.can_prepare(user)
    return [_version_view(v, staff, user) for v in reversed(operations.versions(meeting))]


@blp.route("/meetings/<int:meeting_id>/memorandum.docx")
@blp.arguments(DocxQuery, location="query")
@blp.doc(responses={"200": {"description": "The memorandum as a Word document",
                            "content": {operations.DOCX_MIMETYPE: {"schema": {"type": "string",
                                                                              "format": "binary"}}}}})
def download(args, meeting_id):
    meeting, user = visible_meeting(meeting_id)
    edition = args["edition"]
    if edition == "full" and not policy.can_see_closed_session(user, meeting):
        raise forbidden("The full memorandum is for EXCOM members and the secretariat; "
                        "ask for ?edition=public.")
    version = operations.find_version(meeting, args["version"])
    if version is None:
        raise not_found("memorandum version")
    response = send_file(io.BytesIO(version.docx(edition)), mimetype=operations.DOCX_MIMETYPE, as_attachment=True,
                         download_name=operations.docx_filename(meeting, version, edition), max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Memorandum-Version"] = str(version.version)
    response.headers["X-Memorandum-Status"] = version.status
    return response


@blp.route("/meetings/<int:meeting_id>/memorandum/distribute", methods=["POST"])
@blp.arguments(DistributeIn)
@blp.response(200, DistributionReport)
def distribute(args, meeting_id):
    meeting, user = visible_meeting(meeting_id)
    require_secretariat(user, "distribute the memorandum")
    version = operations.find_version(meeting, args["version"])
    if version is None:
        raise not_found("memorandum version")
    rows = operations.distribute(meeting, version, audience=args["audience"], actor=user,
                                 smtp_url=current_app.config.get("EXCOM_SMTP_URL"),
                                 sender=current_app.config.get("EXCOM_MAIL_FROM"))
    # the e-mail goes out after the commit (minutes/outbox.py): with SMTP the rows say `queued`
    return {"version": version.version, "audience": args["audience"], **operations.distribution_counts(rows),
            "recipients": [_distribution_view(r) for r in rows]}


@blp.route("/meetings/<int:meeting_id>/memorandum/recipients")
@blp.arguments(RecipientsQuery, location="query")
@blp.response(200, RecipientsOut)
def recipients(args, meeting_id):
    """Who a distribution to `audience` would reach, with the edition each would get and their
    copy's state so far: what the desk lists before it asks "send to these people?". Writes nothing."""
    meeting, user = visible_meeting(meeting_id)
    require_secretariat(user, "see who receives the memorandum")
    version = operations.find_version(meeting, args["version"])
    if version is None:
        raise not_found("memorandum version")
    return {"version": version.version, "audience": args["audience"],
            "recipients": operations.recipients_preview(meeting, version, args["audience"])}


@blp.route("/meetings/<int:meeting_id>/memorandum/retry", methods=["POST"])
@blp.arguments(RetryIn)
@blp.response(200, DistributionReport)
def retry(args, meeting_id):
    """Send again the copies of a version whose sending failed, and no other: they become
    `queued`, and the outbox sends them after the commit. 503 without a usable SMTP server."""
    meeting, user = visible_meeting(meeting_id)
    require_secretariat(user, "distribute the memorandum")
    version = operations.find_version(meeting, args["version"])
    if version is None:
        raise not_found("memorandum version")
    rows = operations.retry_failed(meeting, version, actor=user, smtp_url=current_app.config.get("EXCOM_SMTP_URL"),
                                   sender=current_app.config.get("EXCOM_MAIL_FROM"))
    return {"version": version.version, "audience": "failed", **operations.distribution_counts(rows),
            "recipients": [_distribution_view(r) for r in rows]}
