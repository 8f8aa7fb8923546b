"""/api/v1/members: the registry, readable by anyone signed in, kept by the secretariat."""
from flask import Response
from flask_smorest import Blueprint

from governance.auth.loading import signed_in_user
from governance.errors import not_found
from governance.extensions import db
from governance.lookup import get_or_404, require_secretariat
from governance.registry import operations
from governance.registry.models import Member, Organisation
from governance.registry.schemas import MemberIn, MemberOut, MemberPatch, OrganisationOut

blp = Blueprint("registry", __name__, url_prefix="/api/v1", description="The organisation and its members")


def _secretariat():
    user = signed_in_user()
    require_secretariat(user, "keep the member registry")
    return user


@blp.route("/members")
@blp.response(200, MemberOut(many=True))
def list_members():
    signed_in_user()
    return db.session.scalars(db.select(Member).order_by(Member.name)).all()


@blp.route("/members", methods=["POST"])
@blp.arguments(MemberIn)
@blp.response(201, MemberOut)
def create_member(args):
    actor = _secretariat()
    return operations.create_member(actor=actor, **args)


@blp.route("/members/<int:member_id>")
@blp.response(200, MemberOut)
def get_member(member_id):
    signed_in_user()
    return get_or_404(Member, member_id, "member")


@blp.route("/members/<int:member_id>", methods=["PATCH"])
@blp.arguments(MemberPatch)
@blp.response(200, MemberOut)
def update_member(changes, member_id):
    actor = _secretariat()
    member = get_or_404(Member, member_id, "member")
    return operations.update_member(member, changes, actor=actor)


@blp.route("/organisation")
@blp.response(200, OrganisationOut)
def organisation():
    return Organisation.current()


@blp.route("/organisation/logo")
@blp.doc(responses={"200": {"description": "the organisation's current logo: a PNG or JPEG picture (an SVG "
                                           "logo as the PNG drawn from it on upload)",
                            "content": {kind: {"schema": {"type": "string", "format": "binary"}}
                                        for kind in ("image/png", "image/jpeg")}}})
def organisation_logo():
    organisation = Organisation.current()
    shown = organisation.shown_logo
    if shown is None:  # no logo, or an SVG stored before uploads were drawn: never shown inline
        raise not_found("logo")
    return Response(shown[0], mimetype=shown[1],
                    headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
                             "X-Content-Type-Options": "nosniff"})