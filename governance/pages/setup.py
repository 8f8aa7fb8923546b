"""The secretariat's meeting set-up: sessions, the agenda and its order, participants,
motions of every kind and logo candidates.

The page is rendered with what the meeting holds now; every change is made by its script
through the existing /api/v1 routes (with the session cookie and the CSRF token), so the
rules and the error messages are the API's. Motions are read by the script from the API
too: governance does not import the motions package.
"""
from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from governance import policy
from governance.auth.models import User
from governance.extensions import db
from governance.meetings.models import GROUPS, ITEM_KINDS, Meeting
from governance.pages.i18n import js_messages
from governance.pages.meeting import (GROUP_LABELS, _render, _signed_in_or_login, _sort_key,
                                      _visible_meeting)
from governance.registry.models import Member
from governance.views import bp

ITEM_KIND_LABELS = {
    "procedural": _l("Procedural"), "report": _l("Report"), "motion": _l("Motion"),
    "membership": _l("Membership"), "host_city": _l("Host city"), "logo": _l("Logo"),
    "agenda_adoption": _l("Adoption of the agenda"), "minutes_approval": _l("Approval of the minutes"),
    "statutes_amendment": _l("Amendment of the statutes"),
}

MOTION_KIND_LABELS = {
    "general": _l("General motion (yes / no)"), "membership": _l("Membership (admit, suspend …)"),
    "host_city": _l("Host city (ballot between members)"), "logo": _l("Logo (ballot between images)"),
    "agenda_adoption": _l("Adoption of the agenda"), "minutes_approval": _l("Approval of the minutes"),
    "statutes_amendment": _l("Amendment of the statutes"),
}

MEMBERSHIP_ACTION_LABELS = {
    "admit": _l("Admit"), "withdraw": _l("Withdraw"), "suspend": _l("Suspend"),
    "terminate": _l("Terminate"), "reinstate": _l("Reinstate"),
}

# The words the set-up script shows (on top of the shared ones).
SETUP_MESSAGES = {
    "session_added": _l("Session added: %(title)s."),
    "item_added": _l("Item added: %(title)s."),
    "participant_added": _l("%(name)s takes part as %(group)s."),
    "person_registered": _l("%(name)s is registered; choose the group and add them."),
    "motion_added": _l("Motion put: %(title)s."),
    "logo_added": _l("Logo candidate uploaded: %(label)s."),
    "order_saved": _l("Order saved."),
    "move_up_item": _l("Move up: %(title)s"),
    "move_down_item": _l("Move down: %(title)s"),
    "move_up": _l("Move up"),
    "move_down": _l("Move down"),
    "no_motions_yet": _l("No motion yet."),
    "no_items_yet": _l("No item yet."),
    "closed_session": _l("closed session"),
    "open_session": _l("open session"),
    "chair": _l("chair"),
    "candidates": _l("Candidates: %(names)s"),
    "upload_logo": _l("Upload a logo candidate"),
    "logo_file": _l("Image (PNG, JPEG or SVG)"),
    "logo_label": _l("Name of the design"),
    "upload": _l("Upload"),
    "logo_alt": _l("Logo candidate: %(label)s"),
    "choose_file": _l("Choose an image file first."),
    "choose_document": _l("Choose the memorandum's file (PDF or DOCX) first."),
    "secret": _l("secret ballot"),
    "method_exhaustive": _l("exhaustive ballot"),
    "method_irv": _l("instant runoff"),
    "majority_simple": _l("simple majority"),
    "majority_two_thirds": _l("two thirds"),
    "majority_absolute_present": _l("more than half of those present"),
    "majority_absolute_all": _l("more than half of all members"),
    "majority_two_thirds_present": _l("two thirds of those present"),
    "majority_unanimous_present": _l("unanimity of those present"),
    "invalid_fields": _l("Check these fields: %(fields)s"),
    **{f"group_{key}": label for key, label in GROUP_LABELS.items()},
    **{f"item_kind_{key}": label for key, label in ITEM_KIND_LABELS.items()},
    **{f"motion_kind_{key}": label for key, label in MOTION_KIND_LABELS.items()},
    **{f"action_{key}": label for key, label in MEMBERSHIP_ACTION_LABELS.items()},
}


@bp.route("/meetings/<int:meeting_id>/setup")
def meeting_setup(meeting_id):
    if (login := _signed_in_or_login()) is not None:
        return login
    meeting = _visible_meeting(meeting_id)
    if not policy.can_prepare(current_user):
        abort(403)
    participants = sorted(meeting.participants,
                          key=lambda p: (p.group != "excom_member", _sort_key(p.user.name)))
    taking_part = {p.user_id for p in meeting.participants}
    people = [u for u in db.session.scalars(db.select(User).where(User.active.is_(True)))
              if u.id not in taking_part]
    people.sort(key=lambda u: _sort_key(u.name))
    members = sorted(db.session.scalars(db.select(Member)), key=lambda m: _sort_key(m.name))
    others = [m for m in db.session.scalars(db.select(Meeting).order_by(Meeting.starts_at.desc()))
              if m.id != meeting.id]
    messages = {**js_messages(), **{key: str(text) for key, text in SETUP_MESSAGES.items()}}
    data = {"meeting_id": meeting.id, "timezone": meeting.timezone, "messages": messages,
            "members": {str(m.id): m.name for m in members}}
    return _render("setup.html", meeting, page_data=data, sessions=meeting.sessions, participants=participants,
                   people=people, members=members, other_meetings=others, groups=GROUPS,
                   group_labels=GROUP_LABELS, item_kinds=ITEM_KINDS, item_kind_labels=ITEM_KIND_LABELS,
                   motion_kind_labels=MOTION_KIND_LABELS, action_labels=MEMBERSHIP_ACTION_LABELS)
