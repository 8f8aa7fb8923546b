"""/api/v1/members: the registry, readable by anyone signed in, kept by the secretariat."""
from datetime import datetime

from flask import Response

from governance import publication
from governance.auth.loading import current_reader, signed_in_user
from governance.errors import not_found
from governance.extensions import Blueprint, db
from governance.lookup import get_or_404, require_secretariat
from governance.pagination import PagedSelect, paginate
from governance.registry import importing, operations, queries
from governance.registry.models import Member, Organisation
from governance.registry.schemas import (
    ExportQuery,
    ImportReport,
    MemberIn,
    MemberOut,
    MemberPatch,
    OrganisationOut,
    OrganisationPatch,
    StatusChangeOut,
    import_report,
)
from governance.uploads import FILE_BODY, TABLE_RESPONSE, table_file, uploaded_file

blp = Blueprint("registry", __name__, url_prefix="/api/v1", description="The organisation and its members")


def _secretariat():
    user = signed_in_user()
    require_secretariat(user, "keep the member registry")
    return user


def _as_seen_by(user, members: list[Member]) -> list[dict]:
    """Each member with the status this reader may know: the status before a closed-session
    decision not yet published, for whoever may not see that closed session (governance.publication)."""
    statuses = publication.shown_many(user, "member.status", {member.id: member.status for member in members})
    return [{**{field: getattr(member, field) for field in MemberOut().fields}, "status": statuses[member.id]}
            for member in members]


class MembersAsSeen(PagedSelect):
    """A page of members, each with the status its reader may know."""

    @property
    def items(self):
        return _as_seen_by(current_reader(), super().items)


@blp.route("/members")
@blp.response(200, MemberOut(many=True))
@paginate(blp, MembersAsSeen)
def list_members():
    signed_in_user()
    return db.select(Member).order_by(Member.name, Member.id)


@blp.route("/members", methods=["POST"])
@blp.arguments(MemberIn)
@blp.response(201, MemberOut)
def create_member(args):
    actor = _secretariat()
    return operations.create_member(actor=actor, **args)


@blp.route("/members/<int:member_id>")
@blp.response(200, MemberOut)
def get_member(member_id):
    user = signed_in_user()
    return _as_seen_by(user, [get_or_404(Member, member_id, "member")])[0]


@blp.route("/members/<int:member_id>", methods=["PATCH"])
@blp.arguments(MemberPatch)
@blp.response(200, MemberOut)
def update_member(changes, member_id):
    actor = _secretariat()
    member = get_or_404(Member, member_id, "member")
    return operations.update_member(member, changes, actor=actor)


@blp.route("/members/<int:member_id>/history")
@blp.response(200, StatusChangeOut(many=True))
def member_history(member_id):
    """The member's entry in the registry and each change of its status or EXCOM seat, oldest
    first, with the decision (meeting, motion, resolution) or the desk that made it."""
    _secretariat()
    return queries.status_history(get_or_404(Member, member_id, "member"))


@blp.route("/members/import/preview", methods=["POST"])
@blp.doc(**FILE_BODY)
@blp.response(200, ImportReport)
def preview_member_import():
    """What importing this CSV or XLSX file (multipart `file`; a header row naming the columns
    name, country, category, status, excom, office) would do, row by row; changes nothing."""
    _secretariat()
    data, _name = uploaded_file()
    return import_report(importing.plan_members(importing.read(data)))


@blp.route("/members/import", methods=["POST"])
@blp.doc(**FILE_BODY)
@blp.response(200, ImportReport)
def import_members():
    """Import the file: every row, or (422 `import_invalid`, each problem under "line.column")
    none. Members are matched by name; unknown ones are created."""
    actor = _secretariat()
    data, name = uploaded_file()
    return import_report(importing.import_members(importing.read(data), actor=actor, source=name))


@blp.route("/members/export")
@blp.arguments(ExportQuery, location="query")
@blp.doc(**TABLE_RESPONSE)
def export_members(args):
    """The registry as CSV or XLSX (`?format=xlsx`), in the columns the import reads."""
    _secretariat()
    header, rows = importing.export_rows()
    return table_file(header, rows, name="members", format=args["format"])


@blp.route("/organisation")
@blp.response(200, OrganisationOut)
def organisation():
    organisation = Organisation.current()
    withheld, before, _data = publication.shown_data(current_reader(), "organisation.logo", organisation.id)
    if withheld:  # a logo adopted in closed session, not yet published: the logo as it was
        return {**{field: getattr(organisation, field) for field in OrganisationOut().fields
                   if field not in ("has_logo", "logo_changed_at")},
                "has_logo": before["mimetype"] is not None,
                "logo_changed_at": datetime.fromisoformat(before["changed_at"]) if before["changed_at"] else None}
    return organisation


@blp.route("/organisation", methods=["PATCH"])
@blp.arguments(OrganisationPatch)
@blp.response(200, OrganisationOut)
def update_organisation(changes):
    """Name, short name, the page languages offered (the first is the default), the time zone new
    meetings start from, and the pattern of resolution numbers (placeholders {reference}, {year},
    {n}, {short_name}; {n} required), e.g. "{reference}/R{n}" → "EXCOM 2024/R3"."""
    actor = _secretariat()
    return operations.update_organisation(changes, actor=actor)


@blp.route("/organisation/logo")
@blp.doc(responses={"200": {"description": "the organisation's current logo: a PNG or JPEG picture (an SVG "
                                           "logo as the PNG drawn from it on upload)",
                            "content": {kind: {"schema": {"type": "string", "format": "binary"}}
                                        for kind in ("image/png", "image/jpeg")}}})
def organisation_logo():
    organisation = Organisation.current()
    shown: tuple[bytes | None, str] | None = organisation.shown_logo
    withheld, before, data = publication.shown_data(current_reader(), "organisation.logo", organisation.id)
    if withheld:  # a logo adopted in closed session, not yet published: the logo as it was
        shown = (data, before["mimetype"]) if before["mimetype"] is not None else None
    if shown is None:  # no logo, or an SVG stored before uploads were drawn: never shown inline
        raise not_found("logo")
    return Response(shown[0], mimetype=shown[1],
                    headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
                             "X-Content-Type-Options": "nosniff"})
