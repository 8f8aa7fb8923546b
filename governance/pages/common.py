"""What every page shares: who must sign in first, the meeting a person may see (or 404), the
agenda as they may see it, their roles, the page frame, and the order of names.
(Each page module imports these; none imports another page module's private names.)
"""
import unicodedata

from flask import abort, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from governance import lookup, policy
from governance.meetings.models import Meeting
from governance.meetings.schemas import load_documents
from governance.registry.models import Organisation

GROUP_LABELS = {
    "excom_member": _l("EXCOM member"), "observer_city": _l("Observer city"),
    "observer_institution": _l("Observer institution"), "observer_media": _l("Media"),
    "observer_corporate": _l("Corporate observer"), "secretariat": _l("Secretariat"), "guest": _l("Guest"),
}


def signed_in_or_login():
    if not current_user.is_authenticated:
        return redirect(url_for("pages.login", next=request.full_path.rstrip("?")))
    return None


def page_not_found(what: str):
    """The `hidden` of governance.lookup for a page: its own 404 (HTML), never naming `what`."""
    abort(404)  # the page's own 404 (HTML), not the API's body


def visible_meeting(meeting_id: int) -> Meeting:
    """The meeting, or the page's 404 for one this person does not take part in (governance.lookup)."""
    return lookup.visible_meeting(meeting_id, user=current_user, hidden=page_not_found)[0]


def agenda(meeting: Meeting) -> list[dict]:
    """The sessions and items this person may see; the closed session is simply absent."""
    sessions = []
    visible = policy.visible_sessions(current_user, meeting)
    load_documents([item for session in visible for item in session.items])
    for session in visible:
        sessions.append({"id": session.id, "title": session.title, "kind": session.kind,
                         "starts_at": session.starts_at, "ends_at": session.ends_at, "venue": session.venue,
                         "items": [{"id": item.id, "number": item.number, "title": item.title, "kind": item.kind,
                                    "documents": item.documents}
                                   for item in session.items]})
    return sessions


def current_item_id(meeting: Meeting) -> int | None:
    item = meeting.current_item
    if item is None or not policy.can_see_item(current_user, item):
        return None
    return item.id


def roles(meeting: Meeting) -> dict:
    return {"can_run": policy.can_run_meeting(current_user, meeting),
            "can_prepare": policy.can_prepare(current_user),
            "can_vote": policy.is_voting_delegate(current_user, meeting)}


def render(template: str, meeting: Meeting, **context):
    return render_template(template, organisation=Organisation.current(), meeting=meeting,
                           agenda=agenda(meeting), current_item_id=current_item_id(meeting),
                           roles=roles(meeting), **context)


def sort_key(text: str) -> str:
    """São Paulo between Seoul and Seberang Perai's neighbours, not after them: accents aside."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
