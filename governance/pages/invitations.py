"""The invitation desk (secretariat): who was sent their personal link, in which state the
e-mail is (with the mail server's reason of a failure), who has opened their link; invitations
sent to everyone, a group or one person; links revoked; and the printable sheet of QR codes for
the room.

The desk is rendered from the database (a reload shows the same); its script acts through
/api/v1/meetings/{id}/invitations. The QR sheet is a POST with the CSRF token (it makes new
links, which are shown this once: only their hashes are kept) and is never cached.
"""
from dataclasses import dataclass

import segno
from flask import abort, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from governance import policy
from governance.errors import ApiError
from governance.extensions import csrf
from governance.invitations import operations
from governance.invitations.api import link_for
from governance.meetings.models import Group
from governance.pages.blueprint import bp
from governance.pages.common import (
    GROUP_LABELS,
)
from governance.pages.common import (
    signed_in_or_login as _signed_in_or_login,
)
from governance.pages.common import (
    sort_key as _sort_key,
)
from governance.pages.common import (
    visible_meeting as _visible_meeting,
)
from governance.pages.i18n import js_messages
from governance.registry.models import Organisation

INVITATION_MESSAGES = {
    "invite_question": _l("Send a personal link by e-mail to %(n)s people?"),
    "invite_yes": _l("Yes, send them"),
    "invite_one_question": _l("Send %(name)s a new personal link?"),
    "invited": _l("%(n)s invitations queued."),
    "revoke_question": _l("Revoke every link of %(name)s for this meeting? Their sessions signed in through them end."),
    "revoke_yes": _l("Yes, revoke"),
    "revoked": _l("%(n)s links revoked."),
    "nobody_to_invite": _l("Nobody chosen has an e-mail address."),
    "cancel": _l("Cancel"),
    "state_none": _l("not invited"), "state_printed": _l("printed on the QR sheet"), "state_queued": _l("queued"),
    "state_sent": _l("sent"), "state_failed": _l("failed"), "links_live": _l("Links that work: %(n)s"),
}
MAIL_STATES = {"queued": _l("queued"), "sending": _l("queued"), "sent": _l("sent"), "failed": _l("failed")}


def _secretariat_meeting(meeting_id: int):
    meeting = _visible_meeting(meeting_id)
    if not policy.can_prepare(current_user):
        abort(403)
    return meeting


@dataclass(frozen=True)
class _Row(operations.Invitee):
    """A line of the desk: the invitee as the API shows them, and their newest link's state in words."""

    group_label: str
    state: str | None  # none, printed, queued, sent or failed
    state_text: str

    @property
    def newest(self):
        return self.invitations[0] if self.invitations else None


def _row(invitee: operations.Invitee) -> _Row:
    label = str(GROUP_LABELS.get(invitee.group, invitee.group))
    newest = invitee.invitations[0] if invitee.invitations else None
    state: str | None
    if newest is None:
        state, text = "none", str(_l("not invited"))
    elif newest.channel == "qr":
        state, text = "printed", str(_l("printed on the QR sheet"))
    else:
        state = "queued" if newest.mail_state == "sending" else newest.mail_state
        text = str(MAIL_STATES.get(newest.mail_state or "", newest.mail_state))
    return _Row(invitee.participant, invitee.invitations, label, state, text)


def _rows(meeting) -> list[_Row]:
    rows = [_row(invitee) for invitee in operations.desk(meeting)]
    rows.sort(key=lambda row: (row.group != Group.EXCOM_MEMBER, _sort_key(row.name)))
    return rows


@bp.route("/meetings/<int:meeting_id>/invitations")
def invitation_desk(meeting_id):
    if (login := _signed_in_or_login()) is not None:
        return login
    meeting = _secretariat_meeting(meeting_id)
    groups = sorted({p.group for p in meeting.participants})
    data = {"meeting_id": meeting.id, "timezone": meeting.timezone,
            "messages": {**js_messages(), **{key: str(text) for key, text in INVITATION_MESSAGES.items()}}}
    return render_template("invitations.html", organisation=Organisation.current(), meeting=meeting,
                           rows=_rows(meeting), groups=[(g, GROUP_LABELS.get(g, g)) for g in groups],
                           page_data=data)


def _qr(link: str) -> Markup:
    """The link as an inline SVG QR code (no style attribute: the pages' CSP allows none)."""
    return Markup(segno.make(link, error="m").svg_inline(scale=4, border=2, omitsize=True))


@bp.route("/meetings/<int:meeting_id>/invitations/qr", methods=["POST"])
def qr_sheet(meeting_id):
    """A printable sheet: one card per chosen participant with their name and a QR code of a new
    personal link (a printed invitation, listed and revocable on the desk)."""
    if (login := _signed_in_or_login()) is not None:
        return login
    csrf.protect()
    meeting = _secretariat_meeting(meeting_id)
    group = request.form.get("group") or "all"
    if group not in operations.GROUPS:
        abort(400)
    try:
        printed = operations.print_links(meeting, actor=current_user._get_current_object(), link_for=link_for,
                                         group=group)
    except ApiError:
        abort(400)
    cards = []
    for invitation, link in printed:
        user = invitation.user
        cards.append({"name": user.name, "affiliation": user.member.name if user.member else user.affiliation,
                      "qr": _qr(link)})
    cards.sort(key=lambda card: _sort_key(card["affiliation"] or card["name"]))
    response = make_response(render_template("qr_sheet.html", organisation=Organisation.current(), meeting=meeting,
                                             cards=cards))
    response.headers["Cache-Control"] = "no-store"
    return response
