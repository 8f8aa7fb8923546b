"""/api/v1 item notes and the meeting memorandum: versions, the DOCX, distribution.

Each handler loads (or 404s), asks the policy, calls one operation and dumps; the request
boundary commits.
"""
import io

from flask import current_app, request, send_file

from governance import policy
from governance.apart import run_apart
from governance.boundary import upload_limit
from governance.errors import ApiError, conflict, forbidden, invalid, not_found
from governance.extensions import Blueprint, db
from governance.lookup import require_secretariat, visible_item, visible_meeting
from minutes import operations
from minutes.builder import build_editions, preview
from minutes.record import UnwritableText
from minutes.schemas import (
    DistributeIn,
    DistributionReport,
    DocxQuery,
    NoteIn,
    NotesOut,
    PreviewQuery,
    RecipientsOut,
    RecipientsQuery,
    RetryIn,
    TemplateOut,
    VersionOut,
)
from minutes.template import MAX_TEMPLATE_BYTES, VARIABLES, TemplateRefused, check_template
from minutes.wording import LANGUAGES

blp = Blueprint("minutes", __name__, url_prefix="/api/v1",
                description="Item notes and the meeting memorandum: versions, editions, distribution")


def _version_or_404(meeting, number: int | None):
    """Version `number` of the meeting's memorandum (the newest when None), or 404: the caller
    was checked already (it may see the meeting, and the edition it asks for)."""
    version = operations.find_version(meeting, number)
    if version is None:
        raise not_found("memorandum version")
    return version


@blp.route("/items/<int:item_id>/notes")
@blp.response(200, NotesOut)
def get_notes(item_id):
    item, user = visible_item(item_id)
    return operations.notes_for(item, user)


@blp.route("/items/<int:item_id>/notes", methods=["PUT"])
@blp.arguments(NoteIn)
@blp.response(200, NotesOut)
def put_notes(args, item_id):
    item, user = visible_item(item_id)
    require_secretariat(user, "write the notes")
    operations.write_notes(item, args["text"], actor=user)
    return operations.notes_for(item, user)


@blp.route("/meetings/<int:meeting_id>/memorandum", methods=["POST"])
@blp.response(201, VersionOut)
def build(meeting_id):
    """Builds a new draft version of the memorandum (both editions, in English and Russian, from one
    record; through the secretariat's own template when there is one).

    The meeting is read in one transaction; the documents are built apart from the server's
    event loop, with no transaction open (a long meeting takes seconds, and votes and pages
    are answered meanwhile); the version is kept in a second transaction. 422 names a stored
    text that a document cannot hold."""
    meeting, user = visible_meeting(meeting_id)
    require_secretariat(user, "build the memorandum")
    memorandum = operations.collect_memorandum(meeting, actor=user)
    template = operations.template_bytes()
    try:
        editions = run_apart(build_editions, memorandum, LANGUAGES, template)
    except UnwritableText as problem:
        raise operations.unwritable(problem) from None
    except TemplateRefused as problem:
        raise template_failed(problem, "template") from None
    meeting, user = visible_meeting(meeting_id)  # again: the first transaction has ended
    require_secretariat(user, "build the memorandum")
    return operations.store_memorandum_version(meeting, memorandum, editions, actor=user)


@blp.route("/meetings/<int:meeting_id>/memorandum")
@blp.response(200, VersionOut(many=True))
def list_versions(meeting_id):
    meeting, _ = visible_meeting(meeting_id)
    return list(reversed(operations.versions(meeting)))


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
    version = _version_or_404(meeting, args["version"])
    language = args["lang"]
    data = version.docx(edition, language)
    if data is None:
        raise conflict("not_in_language", f"Version {version.version} was built before the memorandum was "
                                          f"made in this language; build a new version.")
    response = send_file(io.BytesIO(data), mimetype=operations.DOCX_MIMETYPE, as_attachment=True,
                         download_name=operations.docx_filename(meeting, version, edition, language), max_age=0)
    response.headers["Content-Language"] = language
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
    version = _version_or_404(meeting, args["version"])
    rows = operations.distribute(meeting, version, audience=args["audience"], actor=user,
                                 smtp_url=current_app.config.get("EXCOM_SMTP_URL"),
                                 sender=current_app.config.get("EXCOM_MAIL_FROM"))
    # the e-mail goes out after the commit (minutes/outbox.py): with SMTP the rows say `queued`
    return {"version": version.version, "audience": args["audience"], **operations.distribution_counts(rows),
            "recipients": rows}


@blp.route("/meetings/<int:meeting_id>/memorandum/recipients")
@blp.arguments(RecipientsQuery, location="query")
@blp.response(200, RecipientsOut)
def recipients(args, meeting_id):
    """Who a distribution to `audience` would reach, with the edition each would get and their
    copy's state so far: what the desk lists before it asks "send to these people?". Writes nothing."""
    meeting, user = visible_meeting(meeting_id)
    require_secretariat(user, "see who receives the memorandum")
    version = _version_or_404(meeting, args["version"])
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
    version = _version_or_404(meeting, args["version"])
    rows = operations.retry_failed(meeting, version, actor=user, smtp_url=current_app.config.get("EXCOM_SMTP_URL"),
                                   sender=current_app.config.get("EXCOM_MAIL_FROM"))
    return {"version": version.version, "audience": "failed", **operations.distribution_counts(rows),
            "recipients": rows}


# --- the secretariat's own template ------------------------------------------------------------

DOCX_RESPONSE = {"description": "a Word document",
                 "content": {operations.DOCX_MIMETYPE: {"schema": {"type": "string", "format": "binary"}}}}
ERROR_RESPONSE = {"description": "API.md's error body",
                  "content": {"application/json": {"schema": {"type": "object", "required": ["error"]}}}}
TEMPLATE_UPLOAD_DOC = {
    "description": "The organisation's own .docx letterhead/template for the memorandum, rendered with docxtpl "
                   "(Jinja tags in the Word text: `{{ meeting_title }}`, `{%p for group in attendance %}`, "
                   "`{%tr for v in results %}` …) in a sandbox: only the keys of these variables and `loop`'s "
                   "counters, no globals, a bounded set of filters. Variables, each said in the build's language: "
                   + "; ".join(f"`{name}`: {meaning}" for name, meaning in VARIABLES.items())
                   + ". The template is rendered against a sample memorandum in both editions and both "
                     "languages before it is kept: a syntax error, an undefined name or a sandbox violation is a 422 "
                     "whose `fields.file` says what failed. Every later build, in both languages, goes through it; "
                     "DELETE returns to the built-in layout.",
    "requestBody": {"content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary",
                                "description": f"a .docx, at most {MAX_TEMPLATE_BYTES // (1024 * 1024)} MiB"}}}}}},
    "responses": {"413": ERROR_RESPONSE, "422": ERROR_RESPONSE},
}


def template_failed(problem: TemplateRefused, field: str = "file") -> ApiError:
    return invalid({field: [str(problem)]}, "The memorandum template cannot be used: " + str(problem))


def _template_too_large() -> ApiError:
    limit = f"{MAX_TEMPLATE_BYTES // (1024 * 1024)} MiB"
    return ApiError(413, "too_large", f"A memorandum template may be at most {limit}.", {"file": [f"at most {limit}"]})


def _secretariat(what: str):
    from governance.auth.loading import signed_in_user
    user = signed_in_user()
    require_secretariat(user, what)
    return user


@blp.route("/organisation/memorandum-template")
@blp.response(200, TemplateOut)
@blp.doc(responses={"404": ERROR_RESPONSE})
def get_template():
    """The organisation's memorandum template (404: none, the built-in layout is used)."""
    _secretariat("see the memorandum template")
    template = operations.current_template()
    if template is None:
        raise not_found("memorandum template")
    return template


@blp.route("/organisation/memorandum-template", methods=["PUT"])
@upload_limit(lambda: MAX_TEMPLATE_BYTES, _template_too_large)
@blp.response(200, TemplateOut)
@blp.doc(**TEMPLATE_UPLOAD_DOC)
def put_template():
    _secretariat("set the memorandum template")
    upload = request.files.get("file")
    if upload is None:
        raise invalid({"file": ["missing"]}, "Send the template as the multipart field 'file'.")
    data = upload.read(MAX_TEMPLATE_BYTES + 1)
    if len(data) > MAX_TEMPLATE_BYTES:
        raise _template_too_large()
    # End the transaction before rendering (as the documents' upload does): the sign-in's touch of
    # the token is all it holds, and the second check below touches it again in the one that commits.
    db.session.rollback()
    try:
        run_apart(check_template, data)  # renders the sample four times: apart from the event loop
    except TemplateRefused as problem:
        raise template_failed(problem) from None
    user = _secretariat("set the memorandum template")  # again: run_apart ended the transaction
    return operations.set_template(data, upload.filename or "template.docx", actor=user)


@blp.route("/organisation/memorandum-template", methods=["DELETE"])
@blp.response(204)
@blp.doc(responses={"404": ERROR_RESPONSE})
def delete_template():
    """Back to the built-in layout."""
    user = _secretariat("remove the memorandum template")
    if not operations.remove_template(actor=user):
        raise not_found("memorandum template")


@blp.route("/organisation/memorandum-template.docx")
@blp.doc(responses={"200": DOCX_RESPONSE, "404": ERROR_RESPONSE})
def download_template():
    """The template as uploaded."""
    _secretariat("see the memorandum template")
    template = operations.current_template()
    if template is None:
        raise not_found("memorandum template")
    response = send_file(io.BytesIO(template.data), mimetype=operations.DOCX_MIMETYPE, as_attachment=True,
                         download_name="memorandum-template.docx", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blp.route("/meetings/<int:meeting_id>/memorandum/preview.docx")
@blp.arguments(PreviewQuery, location="query")
@blp.doc(responses={"200": DOCX_RESPONSE, "422": ERROR_RESPONSE})
def preview_memorandum(args, meeting_id):
    """The memorandum as the next build would make it now (through the organisation's template, if
    any), in the edition and language asked; nothing is kept (secretariat)."""
    meeting, user = visible_meeting(meeting_id)
    require_secretariat(user, "preview the memorandum")
    memorandum = operations.collect_memorandum(meeting, actor=user)
    template = operations.template_bytes()
    try:
        data = run_apart(preview, template, memorandum, args["edition"], args["lang"])
    except UnwritableText as problem:
        raise operations.unwritable(problem) from None
    except TemplateRefused as problem:
        raise template_failed(problem) from None
    response = send_file(io.BytesIO(data), mimetype=operations.DOCX_MIMETYPE, as_attachment=True,
                         download_name=f"memorandum-preview-{args['edition']}-{args['lang']}.docx", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Language"] = args["lang"]
    return response
