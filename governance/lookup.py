"""Load → check access, shared by every package's handlers: a thing the caller may not see
is answered exactly like a thing that does not exist (404, API.md's body)."""
from governance import policy
from governance.auth.loading import signed_in_user
from governance.errors import forbidden, not_found
from governance.extensions import db


def get_or_404(model, ident: int, what: str):
    thing = db.session.get(model, ident)
    if thing is None:
        raise not_found(what)
    return thing


def visible_meeting(meeting_id: int):
    """(meeting, caller), or 404 for a meeting the caller does not take part in."""
    from governance.meetings.models import Meeting
    user = signed_in_user()
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or not policy.can_see_meeting(user, meeting):
        raise not_found("meeting")
    return meeting, user


def visible_item(item_id: int):
    """(agenda item, caller), or 404 for an item of a session the caller may not see."""
    from governance.meetings.models import AgendaItem
    user = signed_in_user()
    item = db.session.get(AgendaItem, item_id)
    if item is None or not policy.can_see_item(user, item):
        raise not_found("agenda item")
    return item, user


def require_secretariat(user, what: str = "prepare the meeting") -> None:
    if not policy.can_prepare(user):
        raise forbidden(f"Only the secretariat may {what}.")


def require_chair(user, meeting, what: str = "run the meeting") -> None:
    if not policy.can_run_meeting(user, meeting):
        raise forbidden(f"Only the chair may {what}.")
