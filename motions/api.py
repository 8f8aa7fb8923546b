"""/api/v1: putting motions and uploading logo candidates (reading them is voting's, which
adds their rounds)."""
from flask import Response, request
from flask_smorest import Blueprint

from governance import policy
from governance.auth.loading import signed_in_user
from governance.errors import ApiError, not_found
from governance.extensions import db
from governance.lookup import require_secretariat, visible_item
from motions import operations
from motions.models import Candidate, Motion
from motions.schemas import CandidateOut, LogoIn, MotionIn, MotionOut

blp = Blueprint("motions", __name__, url_prefix="/api/v1", description="Motions and logo candidates")

# Served as a picture and nothing else: an SVG opened directly cannot run script or load anything.
IMAGE_HEADERS = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
                 "X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=3600"}

IMAGE_RESPONSE = {"200": {"description": "the image itself",
                           "content": {kind: {"schema": {"type": "string", "format": "binary"}}
                                       for kind in ("image/png", "image/svg+xml")}}}


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
    motion, user = visible_motion(motion_id)
    require_secretariat(user, "upload logo candidates")
    upload = request.files.get("file")
    if upload is None:
        raise ApiError(422, "invalid", "Send the image as the multipart field 'file'.", {"file": ["missing"]})
    return operations.add_logo(motion, actor=user, data=upload.read(), mimetype=upload.mimetype or "",
                               label=args["label"])


@blp.route("/logos/<int:candidate_id>")
@blp.doc(responses=IMAGE_RESPONSE)
def logo_image(candidate_id):
    user = signed_in_user()
    candidate = db.session.get(Candidate, candidate_id)
    if candidate is None or candidate.image is None or not policy.can_see_item(user, candidate.motion.item):
        raise not_found("logo")
    return Response(candidate.image, mimetype=candidate.image_mimetype, headers=IMAGE_HEADERS)
