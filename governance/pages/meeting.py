"""The meeting pages: the delegate's phone (and the observer's view), the chair's console,
the secretariat's desk and the projector screen.

Each page is rendered with what the policy lets this person see, then kept live by its
script over Socket.IO; every change goes through /api/v1, so the pages hold no rule of
their own.
"""

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from governance import policy
from governance.extensions import db
from governance.meetings import queries
from governance.meetings.models import Group, Meeting
from governance.pages.blueprint import bp
from governance.pages.common import GROUP_LABELS  # noqa: F401
from governance.pages.common import current_item_id as _current_item_id
from governance.pages.common import render as _render
from governance.pages.common import roles as _roles
from governance.pages.common import signed_in_or_login as _signed_in_or_login
from governance.pages.common import sort_key as _sort_key
from governance.pages.common import visible_meeting as _visible_meeting
from governance.pages.distribution_words import DISTRIBUTION_MESSAGES
from governance.pages.i18n import js_messages
from governance.registry.models import Member

# The desk's own words (minutes work on any item, apologies), on top of the shared ones.
DESK_MESSAGES = {
    "moved_by": _l("Moved by"), "seconded_by": _l("Seconded by"), "nobody": _l("Nobody recorded"),
    "withdraw": _l("Withdraw"), "withdraw_question": _l("Withdraw “%(title)s”? It can no longer be put to the vote."),
    "withdraw_yes": _l("Yes, withdraw it"), "cancel": _l("Cancel"), "saved": _l("Saved."),
    "excused": _l("Excused"), "excused_label": _l("%(name)s: sent apologies (excused)"),
    "motions_of_item": _l("Motions of this item"),
    "decisions_published": _l("Closed-session decisions published: %(decisions)s in all, %(released)s changes made "
                              "public now."),
}


def _words(messages: dict) -> dict:
    return {key: str(text) for key, text in messages.items()}


def _page_data(meeting: Meeting, **extra) -> dict:
    return {"meeting_id": meeting.id, "user_id": current_user.id, "current_item_id": _current_item_id(meeting),
            "adjourned": meeting.adjourned_at is not None, "messages": js_messages(), **extra}


@bp.route("/meetings/<int:meeting_id>")
def meeting_page(meeting_id):
    """The delegate's phone page; for an observer the same page without the ballot."""
    if (login := _signed_in_or_login()) is not None:
        return login
    meeting = _visible_meeting(meeting_id)
    roles = _roles(meeting)
    present = queries.open_stay(meeting, current_user.id) is not None
    data = _page_data(meeting, can_vote=roles["can_vote"], present=present)
    place = policy.participation(current_user, meeting)
    # before the call to order a participant may send apologies from here (and take them back)
    apologies = ({"excused": place.excused} if place is not None and meeting.opened_at is None
                 and meeting.adjourned_at is None else None)
    from governance.pages.after_meeting import after_meeting
    return _render("meeting.html", meeting, page_data=data, present=present, apologies=apologies,
                   after=after_meeting(current_user, meeting))


@bp.route("/meetings/<int:meeting_id>/chair")
def chair_console(meeting_id):
    if (login := _signed_in_or_login()) is not None:
        return login
    meeting = _visible_meeting(meeting_id)
    if not policy.can_run_meeting(current_user, meeting):
        abort(403)
    quorum = queries.meeting_quorum(meeting).as_dict()
    stays = queries.open_stays(meeting)
    members = [_person(p, stays) for p in meeting.participants if p.group == Group.EXCOM_MEMBER]
    members.sort(key=lambda person: _sort_key(person["affiliation"]))
    others_present = sum(1 for p in meeting.participants if p.group != Group.EXCOM_MEMBER and p.user_id in stays)
    data = _page_data(meeting, quorum=quorum)
    return _render("chair.html", meeting, page_data=data, quorum=quorum, members=members,
                   others_present=others_present)


@bp.route("/meetings/<int:meeting_id>/desk")
def secretariat_desk(meeting_id):
    if (login := _signed_in_or_login()) is not None:
        return login
    meeting = _visible_meeting(meeting_id)
    if not policy.can_prepare(current_user):
        abort(403)
    stays = queries.open_stays(meeting)
    people = [_person(p, stays) for p in meeting.participants]
    people.sort(key=lambda person: (person["group"] != Group.EXCOM_MEMBER, _sort_key(person["name"])))
    registry = sorted(db.session.scalars(db.select(Member)), key=lambda member: _sort_key(member.name))
    quorum = queries.meeting_quorum(meeting).as_dict()
    data = _page_data(meeting, quorum=quorum, messages={**js_messages(), **_words(DESK_MESSAGES),
                                                        **_words(DISTRIBUTION_MESSAGES)},
                      participants=[{"user_id": p["user_id"], "name": f"{p['name']} ({p['affiliation']})"
                                     if p["affiliation"] else p["name"]} for p in people])
    return _render("desk.html", meeting, page_data=data, people=people, registry=registry, quorum=quorum)


@bp.route("/meetings/<int:meeting_id>/screen")
def projector(meeting_id):
    if (login := _signed_in_or_login()) is not None:
        return login
    meeting = _visible_meeting(meeting_id)
    return _render("screen.html", meeting, page_data=_page_data(meeting))


def _person(participant, stays: dict) -> dict:
    user, stay = participant.user, stays.get(participant.user_id)
    return {"user_id": user.id, "name": user.name, "title": user.title,
            "affiliation": user.member.name if user.member else (user.affiliation or ""),
            "group": participant.group, "group_label": str(GROUP_LABELS.get(participant.group, participant.group)),
            "chair": participant.chair, "present": stay is not None, "mode": stay.mode if stay else None,
            "participant_id": participant.id, "excused": participant.excused}
