"""The secretariat's list of meetings: a new meeting (or a copy of an earlier one, with its
sessions, agenda and participants), and deleting one in which nothing has happened yet.

Rendered with what is stored; its script works through /api/v1 (POST /meetings, POST
/meetings/{id}/copy, DELETE /meetings/{id}).
"""
from flask import render_template
from flask_babel import lazy_gettext as _l

from governance.extensions import db
from governance.meetings.models import QUORUM_RULES, Meeting
from governance.pages.i18n import js_messages
from governance.pages.organisation import secretariat_page, time_zones
from governance.registry.models import Organisation
from governance.views import bp

QUORUM_LABELS = {"majority": _l("A majority of the voting members"),
                 "two_thirds": _l("Two thirds of the voting members"),
                 "count": _l("A fixed number of voting members")}
CALENDAR_MESSAGES = {
    "meeting_created": _l("Meeting created: %(title)s. Opening its set-up…"),
    "meeting_deleted": _l("Deleted: %(title)s."),
    "delete_question": _l("Delete “%(title)s”? This cannot be undone."),
    "delete_yes": _l("Yes, delete it"),
    "cancel": _l("Cancel"),
    "no_meetings": _l("No meeting yet."),
}


@bp.route("/meetings")
def meetings_page():
    if (refusal := secretariat_page()) is not None:
        return refusal
    meetings = db.session.scalars(db.select(Meeting).order_by(Meeting.starts_at.desc())).all()
    organisation = Organisation.current()
    messages = {**js_messages(), **{key: str(text) for key, text in CALENDAR_MESSAGES.items()}}
    return render_template("meetings.html", organisation=organisation, meetings=meetings, zones=time_zones(),
                           quorum_rules=QUORUM_RULES, quorum_labels=QUORUM_LABELS,
                           page_data={"messages": messages})
