"""/api/v1: putting motions and uploading logo candidates (reading them is voting's, which
adds their rounds)."""
from flask import Response, request
from flask_smorest import Blueprint

from governance import policy
from governance.apart import run_apart
from governance.auth.loading import signed_in_user
from governance.errors import ApiError, not_found
from governance.extensions import db
from governance.lookup import require_secretariat, visible_item
from motions import operations
from motions.images import checked_image
from motions.models import Candidate, Motion
from motions.schemas import CandidateOut, LogoIn, MotionIn, MotionOut

blp = Blueprint("motions", __name__, url_prefix="/api/v1", description="Motions and logo candidates")

# Served as a picture and nothing else: an SVG opened directly cannot run script or load anything.
IMAGE_HEADERS = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
                 "X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=3600"}

IMAGE_RESPONSE = {"200": {"description": "the picture: PNG or JPEG (an SVG's original: see /original)",
                           "content": {kind: {"schema": {"type": "string", "format": "binary"}}
                                       for kind in ("image/png", "image/jpeg", "image/svg+xml")}}}


def visible_motion(motion_id: int):
    user = signed_in_user()
    motion = db.session.get(Motion, motion_id)
    if motion is None or not policy.can_see_item(user, motion.item):
        raise not_found("motion")
    return motion, user


@blp.route("/items/<int:item_id>/motions", methods=["POST"])
@blp.arguments(MotionIn)
@blp.response(201, MotionOut)
def create_motion(args, item_id):
    item, user = visible_item(item_id)
    require_secretariat(user, "put motions on the agenda")
    return operations.create_motion(item, actor=user, **args)


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


def _visible_logo(candidate_id: int) -> Candidate:
    user = signed_in_user()
    candidate = db.session.get(Candidate, candidate_id)
    if candidate is None or candidate.image is None or not policy.can_see_item(user, candidate.motion.item):
        raise not_found("logo")
    return candidate


def download(data: bytes, mimetype: str, name: str) -> Response:
    """A file to save, never to open in the browser: an SVG opened in a tab is a program."""
    extension = {"image/svg+xml": "svg", "image/png": "png", "image/jpeg": "jpg"}.get(mimetype, "bin")
    return Response(data, mimetype=mimetype, headers={
        **IMAGE_HEADERS, "Content-Disposition": f'attachment; filename="{name}.{extension}"'})


@blp.route("/logos/<int:candidate_id>")
@blp.doc(responses=IMAGE_RESPONSE)
def logo_image(candidate_id):
    """The logo as shown on a ballot: its PNG or JPEG, or the PNG drawn from its SVG."""
    candidate = _visible_logo(candidate_id)
    shown = candidate.shown
    if shown is None:  # an SVG stored before uploads were drawn: offered as a download only
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
    return download(candidate.image, candidate.image_mimetype or "application/octet-stream",
                    f"logo-{candidate.id}")
