"""The secretariat's registry pages: the members (list, import, export, a member's page with its
status history) and the people with their roles (list, a person's page).

Rendered with what is stored; their scripts change things through /api/v1 (members, users,
imports), so the rules and refusals are the API's.
"""
from flask import render_template
from flask_babel import lazy_gettext as _l

from governance.auth.models import ROLES, User
from governance.extensions import db
from governance.lookup import get_or_404
from governance.meetings.models import Meeting
from governance.pages.blueprint import bp
from governance.pages.common import page_not_found
from governance.pages.common import sort_key as _sort_key
from governance.pages.i18n import js_messages
from governance.pages.organisation import secretariat_page
from governance.registry import queries
from governance.registry.models import MEMBER_CATEGORIES, MEMBER_STATUSES, Member, Organisation

STATUS_LABELS = {"applicant": _l("applicant"), "active": _l("active"), "suspended": _l("suspended"),
                 "withdrawn": _l("withdrawn"), "terminated": _l("terminated")}
CATEGORY_LABELS = {"city": _l("City"), "institution": _l("Institution"), "corporate": _l("Corporate")}
ROLE_LABELS = {"secretariat": _l("Secretariat")}
SOURCE_LABELS = {"entry": _l("Entered in the registry"), "decision": _l("Decision of a meeting"),
                 "import": _l("Imported from a file"), "desk": _l("Edited by the secretariat")}

# what the import preview and the forms' scripts say (on top of the shared words)
IMPORT_MESSAGES = {
    "action_create": _l("new"), "action_add": _l("added"), "action_update": _l("changed"),
    "action_unchanged": _l("unchanged"), "action_error": _l("problem"),
    "preview_counts": _l("%(create)s new, %(update)s changed, %(unchanged)s unchanged, %(error)s with problems."),
    "preview_ignored": _l("Columns left aside: %(columns)s."),
    "import_rows": _l("Import %(n)s rows"),
    "imported": _l("Imported: %(create)s new, %(update)s changed."),
    "nothing_to_import": _l("Nothing to import: fix the rows with problems and preview again."),
    "choose_file": _l("Choose a file first."),
    "line": _l("Line"), "what": _l("What"), "problems": _l("Problems"),
    "saved": _l("Saved."), "created": _l("Created: %(name)s."),
    "deactivated": _l("The account is closed: this person can no longer sign in."),
    "reactivated": _l("The account is open again."),
    "yes": _l("yes"), "cancel": _l("Cancel"),
}


def _messages() -> dict:
    return {**js_messages(), **{key: str(text) for key, text in IMPORT_MESSAGES.items()},
            **{f"status_{key}": str(text) for key, text in STATUS_LABELS.items()},
            **{f"category_{key}": str(text) for key, text in CATEGORY_LABELS.items()}}


def _labels() -> dict:
    return {"status_labels": STATUS_LABELS, "category_labels": CATEGORY_LABELS, "role_labels": ROLE_LABELS,
            "statuses": MEMBER_STATUSES, "categories": MEMBER_CATEGORIES, "roles": ROLES}


@bp.route("/members")
def member_registry():
    if (refusal := secretariat_page()) is not None:
        return refusal
    members = sorted(db.session.scalars(db.select(Member)), key=lambda m: _sort_key(m.name))
    return render_template("members.html", members=members, page_data={"messages": _messages()}, **_labels(),
                           organisation=Organisation.current())


@bp.route("/members/<int:member_id>")
def member_page(member_id):
    if (refusal := secretariat_page()) is not None:
        return refusal
    member = get_or_404(Member, member_id, "member", hidden=page_not_found)
    history = queries.status_history(member)
    meetings = {m.id: m for m in db.session.scalars(db.select(Meeting).where(
        Meeting.id.in_({h["meeting_id"] for h in history if h["meeting_id"]})))}
    delegates = db.session.scalars(db.select(User).where(User.member_id == member.id).order_by(User.name)).all()
    return render_template("member.html", member=member, history=history, meetings=meetings, delegates=delegates,
                           source_labels=SOURCE_LABELS, page_data={"messages": _messages(), "member_id": member.id},
                           organisation=Organisation.current(), **_labels())


@bp.route("/people")
def people():
    if (refusal := secretariat_page()) is not None:
        return refusal
    users = sorted(db.session.scalars(db.select(User)), key=lambda u: (not u.active, _sort_key(u.name)))
    members = sorted(db.session.scalars(db.select(Member)), key=lambda m: _sort_key(m.name))
    return render_template("people.html", users=users, members=members, page_data={"messages": _messages()},
                           organisation=Organisation.current(), **_labels())


@bp.route("/people/<int:user_id>")
def person_page(user_id):
    if (refusal := secretariat_page()) is not None:
        return refusal
    person = get_or_404(User, user_id, "user", hidden=page_not_found)
    members = sorted(db.session.scalars(db.select(Member)), key=lambda m: _sort_key(m.name))
    return render_template("person.html", person=person, members=members, organisation=Organisation.current(),
                           page_data={"messages": _messages(), "user_id": person.id}, **_labels())
