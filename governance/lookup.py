"""Load → check access, shared by every package's handlers: a thing the caller may not see
is answered exactly like a thing that does not exist (404, API.md's body).

The API raises the default `hidden` (governance.errors.not_found, an ApiError); the pages pass
their HTML 404 (governance.pages.common.page_not_found); the Socket.IO handlers keep the default,
which governance.realtime.socket_boundary answers as the event's error ack
(`{"error": {"code": "not_found", ...}}`), as the ballot box does for each slip of a batch."""
from governance import policy
from governance.auth.loading import signed_in_user
from governance.errors import forbidden, not_found
from governance.extensions import db


def _get(model, ident: int | None):
    """The row, or None also for no id at all (a socket event's missing `meeting_id`)."""
    return db.session.get(model, ident) if ident is not None else None


def get_or_404(model, ident: int, what: str, *, hidden=not_found):
    """The row of `model` with primary key `ident`, or `hidden(what)` raised: for rows whose
    caller was checked already (the secretariat's registry pages)."""
    thing = _get(model, ident)
    if thing is None:
        raise hidden(what)
    return thing


_CALLER = object()  # the signed-in caller of this request (API token, session or access link)


def visible(thing, what: str, *, user, sees, hidden=not_found):
    """`thing`, or the 404 `hidden(what)` raises when it is None or `sees(user, thing)` is False:
    a thing the caller may not see is answered exactly like one that does not exist. The one
    check every loader below (and the pages, with their HTML 404 as `hidden`) goes through."""
    if thing is None or not sees(user, thing):
        raise hidden(what)
    return thing


def _caller(user):
    return signed_in_user() if user is _CALLER else user


def visible_meeting(meeting_id: int | None, *, user=_CALLER, hidden=not_found):
    """(meeting, caller), or 404 for a meeting the caller does not take part in."""
    from governance.meetings.models import Meeting
    user = _caller(user)
    return visible(_get(Meeting, meeting_id), "meeting", user=user, sees=policy.can_see_meeting,
                   hidden=hidden), user


def sees_item_of(attribute: str):
    """The `sees` of a thing shown to whoever may see its agenda item, reached by the dotted
    `attribute` ("item", "motion.item"): for `visible` on things of every package."""
    return lambda user, thing: policy.can_see_item(user, _item_of(thing, attribute))


def _item_of(thing, attribute: str):
    for name in attribute.split("."):
        thing = getattr(thing, name)
    return thing


def visible_session(session_id: int, *, user=_CALLER, hidden=not_found):
    """(meeting session, caller), or 404 for a closed session the caller may not see."""
    from governance.meetings.models import MeetingSession
    user = _caller(user)
    return visible(_get(MeetingSession, session_id), "session", user=user, sees=policy.can_see_session,
                   hidden=hidden), user


def visible_item(item_id: int, *, user=_CALLER, hidden=not_found):
    """(agenda item, caller), or 404 for an item of a session the caller may not see."""
    from governance.meetings.models import AgendaItem
    user = _caller(user)
    return visible(_get(AgendaItem, item_id), "agenda item", user=user, sees=policy.can_see_item,
                   hidden=hidden), user


def visible_motion(motion_id: int, *, user=_CALLER, hidden=not_found):
    """(motion, caller), or 404 for a motion on an item the caller may not see."""
    from motions.models import Motion
    user = _caller(user)
    return visible(_get(Motion, motion_id), "motion", user=user, sees=sees_item_of("item"),
                   hidden=hidden), user


def visible_poll(poll_id: int, *, user=_CALLER, hidden=not_found):
    """(poll, caller), or 404 for a poll on an item the caller may not see."""
    from voting.queries import load_poll
    user = _caller(user)
    return visible(load_poll(poll_id), "poll", user=user, sees=sees_item_of("motion.item"), hidden=hidden), user


def visible_document(document_id: int, *, user=_CALLER, hidden=not_found):
    """(document, caller), or 404 for a document of an item the caller may not see."""
    from governance.documents.models import ItemDocument
    user = _caller(user)
    return visible(_get(ItemDocument, document_id), "document", user=user,
                   sees=sees_item_of("item"), hidden=hidden), user


def require_secretariat(user, what: str = "prepare the meeting") -> None:
    if not policy.can_prepare(user):
        raise forbidden(f"Only the secretariat may {what}.")


def require_chair(user, meeting, what: str = "run the meeting") -> None:
    if not policy.can_run_meeting(user, meeting):
        raise forbidden(f"Only the chair may {what}.")
