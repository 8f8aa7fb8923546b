"""/api/v1: a meeting's invitations (secretariat), and the .ics of its sessions (participants).

Each handler loads (or 404s), asks the policy, calls one operation and dumps; the request
boundary commits, and the e-mail leaves after that commit (governance.mail)."""
import io
from urllib.parse import urlsplit

from flask import send_file

from governance.addresses import public_url
from governance.extensions import Blueprint
from governance.invitations import operations
from governance.invitations.schemas import InvitedOut, InviteeOut, InviteIn, RevokeIn
from governance.lookup import require_secretariat, visible_meeting

blp = Blueprint("invitations", __name__, url_prefix="/api/v1",
                description="Invitations: personal links by e-mail with the agenda and an .ics; opened; revoked")


def link_for(path: str) -> str:
    """The absolute link, on the public address (EXCOM_PUBLIC_URL; governance.addresses), never
    on the Host this request named: the link carries a one-time sign-in code."""
    return public_url(path)


@blp.route("/meetings/<int:meeting_id>/invitations")
@blp.response(200, InviteeOut(many=True))
def list_invitations(meeting_id):
    """Every participant with the links they were given, newest first: the e-mail's state (with
    the mail server's reason of a failure), when the link was first used, whether it still works."""
    meeting, user = visible_meeting(meeting_id)
    require_secretariat(user, "see the invitations")
    return operations.desk(meeting)


@blp.route("/meetings/<int:meeting_id>/invitations", methods=["POST"])
@blp.arguments(InviteIn)
@blp.response(201, InvitedOut)
def send_invitations(args, meeting_id):
    """Send the chosen participants their invitation: a new personal link each, in their
    language (or `language`), with the agenda they may see and an .ics of their sessions.
    422 when nobody chosen has an e-mail address, or a user id is not a participant."""
    meeting, user = visible_meeting(meeting_id)
    require_secretariat(user, "send invitations")
    sent = operations.invite(meeting, actor=user, link_for=link_for, group=args["group"],
                             user_ids=args["user_ids"], language=args["language"])
    return {"count": len(sent), "invitations": sent}


@blp.route("/meetings/<int:meeting_id>/invitations/revoke", methods=["POST"])
@blp.arguments(RevokeIn)
@blp.response(200, InvitedOut)
def revoke_invitations(args, meeting_id):
    """Revoke every link these participants were given for the meeting: the links stop working
    and the sessions signed in through them end."""
    meeting, user = visible_meeting(meeting_id)
    require_secretariat(user, "revoke links")
    revoked = operations.revoke(meeting, actor=user, user_ids=args["user_ids"])
    return {"count": len(revoked), "invitations": revoked}


@blp.route("/meetings/<int:meeting_id>/calendar.ics")
@blp.doc(responses={"200": {"description": "The sessions as an iCalendar file",
                            "content": {"text/calendar": {"schema": {"type": "string", "format": "binary"}}}}})
def calendar(meeting_id):
    """The sessions this person may see, as the invitation's .ics (the closed session only for
    who may see it)."""
    meeting, user = visible_meeting(meeting_id)
    data = operations.calendar_file(meeting, user, domain=urlsplit(public_url()).hostname or "localhost")
    response = send_file(io.BytesIO(data), mimetype="text/calendar", as_attachment=True,
                         download_name="meeting.ics", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
