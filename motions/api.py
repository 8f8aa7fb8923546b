"""/api/v1: putting motions and uploading logo candidates (reading them is voting's, which
adds their rounds)."""
from flask import Response, request

from governance import files, policy
from governance.apart import run_apart
from governance.auth.loading import signed_in_user
from governance.errors import ApiError
from governance.extensions import Blueprint, db
from governance.lookup import require_secretariat, visible, visible_item, visible_meeting, visible_motion
from governance.registry.schemas import OrganisationOut
from motions import operations, publishing
from motions.images import checked_image
from motions.models import Candidate, ExternalMemorandum, Motion
from motions.schemas import (
    CandidateOut,
    ExternalMemorandumIn,
    ExternalMemorandumOut,
    LogoIn,
    LogoPatch,
    MotionIn,
    MotionOut,
    MotionPatch,
    PublicationOut,
)

blp = Blueprint("motions", __name__, url_prefix="/api/v1", description="Motions and logo candidates")

# Served as a picture and nothing else: an SVG opened directly cannot run script or load anything.
IMAGE_HEADERS = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
                 "X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=3600"}

IMAGE_RESPONSE = {"200": {"description": "the picture: PNG or JPEG (an SVG's original: see /original)",
                           "content": {kind: {"schema": {"type": "string", "format": "binary"}}
                                       for kind in ("image/png", "image/jpeg", "image/svg+xml")}}}


@blp.route("/items/<int:item_id>/motions", methods=["POST"])
@blp.arguments(MotionIn)
@blp.response(201, MotionOut)
def create_motion(args, item_id):
    item, user = visible_item(item_id)
    require_secretariat(user, "put motions on the agenda")
    return operations.create_motion(item, actor=user, **args)


def _motion_to_prepare(motion_id: int, what: str):
    motion, user = visible_motion(motion_id)
    require_secretariat(user, what)
    return motion, user


@blp.route("/motions/<int:motion_id>", methods=["PATCH"])
@blp.arguments(MotionPatch)
@blp.response(200, MotionOut)
def update_motion(changes, motion_id):
    """The wording until the motion is put to the vote (409 `voting_started`); who moved and
    seconded it until the meeting's memorandum is approved (409 `minutes_approved`)."""
    motion, user = _motion_to_prepare(motion_id, "correct motions")
    return operations.update_motion(motion, changes, actor=user)


@blp.route("/motions/<int:motion_id>", methods=["DELETE"])
@blp.response(204)
def delete_motion(motion_id):
    """A motion put by mistake, never put to the vote (409 `in_use` otherwise: withdraw it)."""
    motion, user = _motion_to_prepare(motion_id, "correct motions")
    operations.delete_motion(motion, actor=user)


@blp.route("/motions/<int:motion_id>/withdraw", methods=["POST"])
@blp.response(200, MotionOut)
def withdraw_motion(motion_id):
    """Withdrawn by its mover: the memorandum says so, and it can no longer be put to the vote.
    409 `poll_open` while a vote on it is open, `already_decided` once decided."""
    motion, user = _motion_to_prepare(motion_id, "record a withdrawal")
    return operations.withdraw_motion(motion, actor=user)


@blp.route("/motions/<int:motion_id>/logos", methods=["POST"])
@blp.arguments(LogoIn, location="form")
@blp.response(201, CandidateOut)
def upload_logo(args, motion_id):
    """A logo candidate: multipart `file` (PNG, JPEG or SVG, at most 2 MiB) and `label`.

    The image is decoded in full (a PNG or JPEG) or drawn into a PNG (an SVG) before it is
    stored; `image_url` then serves that picture, and `original_url` the SVG as uploaded, as a
    download."""
    motion, user = visible_motion(motion_id)
    require_secretariat(user, "upload logo candidates")
    upload = request.files.get("file")
    if upload is None:
        raise ApiError(422, "invalid", "Send the image as the multipart field 'file'.", {"file": ["missing"]})
    data, mimetype = upload.read(), upload.mimetype or ""
    # decoding and drawing take time: apart from the event loop, and outside the transaction
    image = run_apart(checked_image, data, mimetype)
    motion, user = visible_motion(motion_id)  # again: the transaction ended, the world may have moved
    require_secretariat(user, "upload logo candidates")
    return operations.add_logo(motion, actor=user, data=image, label=args["label"])


def _sees_logo(user, candidate: Candidate) -> bool:
    """A logo candidate is there for whoever may see its motion's item, once it has an image."""
    return candidate.image is not None and policy.can_see_item(user, candidate.motion.item)


def _visible_logo(candidate_id: int) -> Candidate:
    return visible(db.session.get(Candidate, candidate_id), "logo", user=signed_in_user(), sees=_sees_logo)


def download(data: bytes, mimetype: str, name: str) -> Response:
    """A file to save, never to open in the browser: an SVG opened in a tab is a program."""
    extension = {"image/svg+xml": "svg", "image/png": "png", "image/jpeg": "jpg"}.get(mimetype, "bin")
    return Response(data, mimetype=mimetype, headers={
        **IMAGE_HEADERS, "Content-Disposition": f'attachment; filename="{name}.{extension}"'})


def _logo_to_prepare(candidate_id: int):
    user = signed_in_user()
    candidate = visible(db.session.get(Candidate, candidate_id), "logo", user=user, sees=_sees_logo)
    require_secretariat(user, "correct logo candidates")
    return candidate, user


@blp.route("/logos/<int:candidate_id>", methods=["PATCH"])
@blp.arguments(LogoPatch)
@blp.response(200, CandidateOut)
def rename_logo(args, candidate_id):
    """The design's name, until the ballot begins (409 `voting_started`)."""
    candidate, user = _logo_to_prepare(candidate_id)
    return operations.rename_logo(candidate, args["label"], actor=user)


@blp.route("/logos/<int:candidate_id>", methods=["DELETE"])
@blp.response(204)
def delete_logo(candidate_id):
    """A logo candidate taken off the ballot before it begins (409 `voting_started`)."""
    candidate, user = _logo_to_prepare(candidate_id)
    operations.delete_logo(candidate, actor=user)


@blp.route("/logos/<int:candidate_id>")
@blp.doc(responses=IMAGE_RESPONSE)
def logo_image(candidate_id):
    """The logo as shown on a ballot: its PNG or JPEG, or the PNG drawn from its SVG."""
    candidate = _visible_logo(candidate_id)
    shown = candidate.shown
    if shown is None:  # an SVG stored before uploads were drawn: offered as a download only
        assert candidate.image is not None  # _visible_logo answers 404 without one
        return download(candidate.image, candidate.image_mimetype or "application/octet-stream",
                        f"logo-{candidate.id}")
    return Response(shown[0], mimetype=shown[1], headers=IMAGE_HEADERS)


@blp.route("/logos/<int:candidate_id>/original")
@blp.doc(responses={"200": {"description": "the file as uploaded, as an attachment",
                            "content": {kind: {"schema": {"type": "string", "format": "binary"}}
                                        for kind in ("image/png", "image/jpeg", "image/svg+xml")}}})
def logo_original(candidate_id):
    """The file as uploaded (an SVG's source), always as a download (Content-Disposition:
    attachment), never shown inline."""
    candidate = _visible_logo(candidate_id)
    assert candidate.image is not None  # _visible_logo answers 404 without one
    return download(candidate.image, candidate.image_mimetype or "application/octet-stream",
                    f"logo-{candidate.id}")


def _uploaded_file():
    upload = request.files.get("file")
    if upload is None:
        raise ApiError(422, "invalid", "Send the image as the multipart field 'file'.", {"file": ["missing"]})
    return upload


@blp.route("/organisation/logo", methods=["PUT"])
@blp.doc(requestBody={"content": {"multipart/form-data": {"schema": {
    "type": "object", "properties": {"file": {"type": "string", "format": "binary"}}, "required": ["file"]}}}})
@blp.response(200, OrganisationOut)
def put_organisation_logo():
    """The organisation's logo, uploaded by the secretariat (multipart `file`, PNG or SVG, checked
    as logo candidates are); 413 when too large, 422 when not an acceptable image."""
    user = signed_in_user()
    require_secretariat(user, "change the organisation's logo")
    upload = _uploaded_file()
    return operations.set_organisation_logo(actor=user, data=upload.read(), mimetype=upload.mimetype or "")


@blp.route("/organisation/logo", methods=["DELETE"])
@blp.response(200, OrganisationOut)
def delete_organisation_logo():
    """No logo any more (the memorandum uses its built-in one)."""
    user = signed_in_user()
    require_secretariat(user, "change the organisation's logo")
    return operations.remove_organisation_logo(actor=user)


# --- memoranda held outside the platform -------------------------------------------------

DOCUMENT_HEADERS = {"Content-Security-Policy": "default-src 'none'; sandbox", "X-Content-Type-Options": "nosniff",
                    "Cache-Control": "private, max-age=3600"}


def visible_external_memorandum(memorandum_id: int):
    """(memorandum, caller): the secretariat's, and visible to whoever may see a motion that
    puts it to the vote; to anyone else it does not exist (404)."""
    user = signed_in_user()
    return visible(db.session.get(ExternalMemorandum, memorandum_id), "memorandum", user=user,
                   sees=_sees_external_memorandum), user


def _sees_external_memorandum(user, memorandum: ExternalMemorandum) -> bool:
    motions = db.session.scalars(db.select(Motion).where(Motion.external_memorandum_id == memorandum.id)).all()
    return policy.can_see_any_item(user, [m.item for m in motions])


@blp.route("/external-memoranda", methods=["POST"])
@blp.arguments(ExternalMemorandumIn, location="form")
@blp.response(201, ExternalMemorandumOut)
@blp.doc(requestBody={"content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["title", "file"],
    "properties": {"title": {"type": "string", "maxLength": 300},
                   "file": {"type": "string", "format": "binary", "description": "PDF or DOCX"}}}}}})
def record_external_memorandum(args):
    """Record a memorandum held outside the platform (the minutes of a meeting before it was
    in use), so that a `minutes_approval` motion can approve it with `external_memorandum_id`.

    Multipart: `title` and `file` (a PDF or a DOCX, judged from its bytes; 422 otherwise, 413
    above the upload limit). The file is kept by its SHA-256 in the instance folder."""
    user = signed_in_user()
    require_secretariat(user, "record a memorandum")
    upload = request.files.get("file")
    if upload is None:
        raise ApiError(422, "invalid", "Send the memorandum as the multipart field 'file'.", {"file": ["missing"]})
    return operations.record_external_memorandum(actor=user, title=args["title"], data=upload.read(),
                                                 filename=upload.filename or "")


@blp.route("/external-memoranda")
@blp.response(200, ExternalMemorandumOut(many=True))
def list_external_memoranda():
    user = signed_in_user()
    require_secretariat(user, "list the memoranda held outside")
    return db.session.scalars(db.select(ExternalMemorandum).order_by(ExternalMemorandum.id)).all()


@blp.route("/external-memoranda/<int:memorandum_id>")
@blp.response(200, ExternalMemorandumOut)
def get_external_memorandum(memorandum_id):
    memorandum, _ = visible_external_memorandum(memorandum_id)
    return memorandum


@blp.route("/external-memoranda/<int:memorandum_id>/file")
@blp.doc(responses={"200": {"description": "the file as recorded (PDF or DOCX), as an attachment",
                            "content": {kind: {"schema": {"type": "string", "format": "binary"}}
                                        for kind in (files.PDF, files.DOCX)}}})
def external_memorandum_file(memorandum_id):
    memorandum, _ = visible_external_memorandum(memorandum_id)
    try:
        data = files.read(memorandum.sha256)
    except (OSError, ValueError):
        raise ApiError(404, "file_missing", "The stored file of this memorandum is missing or altered; "
                                            "the secretariat must record it again.") from None
    return Response(data, mimetype=memorandum.content_type,
                    headers={**DOCUMENT_HEADERS,
                             "Content-Disposition": f'attachment; filename="{memorandum.filename}"'})


@blp.route("/meetings/<int:meeting_id>/publish", methods=["POST"])
@blp.response(200, PublicationOut)
def publish_closed_decisions(meeting_id):
    """Publish the meeting's closed-session decisions taken until now (the secretariat): what
    they changed (next host, member status, logo, agenda lock) becomes what everyone reads,
    and the public edition of the memorandum built from now on lists them (resolution number,
    motion as worded, outcome). Idempotent: again with nothing new, 200 with `changes_released`
    0 and nothing recorded. 403 for a participant who is not the secretariat, 404 for anyone
    else."""
    from governance import publication
    meeting, user = visible_meeting(meeting_id)
    require_secretariat(user, "publish closed-session decisions")
    published, released = publication.publish(meeting, actor=user)
    return {"meeting_id": meeting.id, "published_at": published.published_at, "changes_released": released,
            "decisions": publishing.closed_decisions(meeting)}
