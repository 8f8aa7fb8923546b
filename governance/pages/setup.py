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
from governance.meetings.models import GROUPS, ITEM_KINDS, Group, Meeting
from governance.pages.blueprint import bp
from governance.pages.calendar import QUORUM_LABELS
from governance.pages.common import GROUP_LABELS
from governance.pages.common import render as _render
from governance.pages.common import signed_in_or_login as _signed_in_or_login
from governance.pages.common import sort_key as _sort_key
from governance.pages.common import visible_meeting as _visible_meeting
from governance.pages.i18n import js_messages
from governance.pages.organisation import time_zones
from governance.pages.registry import IMPORT_MESSAGES
from governance.registry.models import Member

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
    "assessment": _l("Assessment (each member scores each subject)"),
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
    # corrections (corrections.js)
    "edit": _l("Edit"), "delete": _l("Delete"), "save": _l("Save"), "cancel": _l("Cancel"), "saved": _l("Saved."),
    "edit_thing": _l("Edit: %(title)s"), "delete_thing": _l("Delete: %(title)s"),
    "delete_question": _l("Delete “%(title)s”?"), "delete_yes": _l("Yes, delete it"),
    "deleted": _l("Deleted: %(title)s."), "excused": _l("excused"),
    "remove_participant": _l("Remove %(name)s from the meeting"), "removed": _l("%(name)s no longer takes part."),
    "title": _l("Title"), "kind": _l("Kind"), "venue": _l("Venue"), "date": _l("Date"), "starts": _l("Starts"),
    "ends": _l("Ends"), "number": _l("Number"), "group": _l("Takes part as"), "chair_flag": _l("Chairs the meeting"),
    "excused_flag": _l("Sent apologies (excused)"), "label": _l("Name of the design"),
    "moved_by": _l("Moved by"), "seconded_by": _l("Seconded by"), "nobody": _l("Nobody recorded"),
    "withdraw": _l("Withdraw"), "withdraw_question": _l("Withdraw “%(title)s”? It can no longer be put to the vote."),
    "withdraw_yes": _l("Yes, withdraw it"), "withdrawn": _l("Withdrawn: %(title)s."),
    "open_kind": _l("Open session (observers follow it)"),
    "closed_kind": _l("Closed session (EXCOM members and secretariat only)"),
    "rehearsal_question": _l("Delete every poll of this meeting, with its ballots?"),
    "rehearsal_yes": _l("Yes, clear them"),
    "rehearsal_cleared": _l("Cleared: %(polls)s polls, %(ballots)s ballots; %(motions)s motions are pending again."),
    "meeting_delete_question": _l("Delete this meeting with its sessions, agenda and participants?"),
    "meeting_deleted": _l("The meeting is deleted."),
    "rename": _l("Rename"),
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
                          key=lambda p: (p.group != Group.EXCOM_MEMBER, _sort_key(p.user.name)))
    taking_part = {p.user_id for p in meeting.participants}
    people = [u for u in db.session.scalars(db.select(User).where(User.active.is_(True)))
              if u.id not in taking_part]
    people.sort(key=lambda u: _sort_key(u.name))
    members = sorted(db.session.scalars(db.select(Member)), key=lambda m: _sort_key(m.name))
    others = [m for m in db.session.scalars(db.select(Meeting).order_by(Meeting.starts_at.desc()))
              if m.id != meeting.id]
    messages = {**js_messages(), **{key: str(text) for key, text in {**IMPORT_MESSAGES, **SETUP_MESSAGES}.items()}}
    data = {"meeting_id": meeting.id, "timezone": meeting.timezone, "messages": messages,
            "members": {str(m.id): m.name for m in members},
            "participants": [{"user_id": p.user_id, "name": p.user.display_name} for p in participants],
            "groups": list(GROUPS), "item_kinds": list(ITEM_KINDS)}
    return _render("setup.html", meeting, page_data=data, sessions=meeting.sessions, participants=participants,
                   people=people, members=members, other_meetings=others, groups=GROUPS,
                   group_labels=GROUP_LABELS, item_kinds=ITEM_KINDS, item_kind_labels=ITEM_KIND_LABELS,
                   motion_kind_labels=MOTION_KIND_LABELS, action_labels=MEMBERSHIP_ACTION_LABELS,
                   quorum_labels=QUORUM_LABELS, zones=time_zones())
