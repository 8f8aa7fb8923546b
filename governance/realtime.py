"""The live hub: Socket.IO connections, rooms, and events sent only after their commit.

Rooms per meeting, disjoint so that one emit reaches each person once: "members" holds
those who may see the closed session (delegates of active EXCOM members, the secretariat),
"observers" everyone else who may see the meeting; "chair" the chair and the secretariat. An operation calls `announce(...)`; the event waits in the
database session and goes out from its `after_commit` hook, so nobody hears of a vote or
a check-in that was rolled back.
"""
import logging
from typing import Callable

from flask import current_app, request, session as socket_session
from flask_login import current_user
from flask_socketio import join_room
from sqlalchemy import event
from sqlalchemy.orm import Session

from governance import policy
from governance.auth.models import AccessToken, hash_token
from governance.errors import ApiError, not_found
from governance.extensions import db, socketio

log = logging.getLogger(__name__)

_PENDING = "excom_pending_events"

# Other packages add what a (re)joining client must know, e.g. the open poll and whether
# this user has voted in it: callables (meeting, user) -> dict merged into the join answer.
state_providers: list[Callable] = []


def rooms(meeting_id: int, audience: str) -> list[str]:
    """audience: "open" (every participant), "closed" (who may see the closed session),
    "observers" (who may not), "chair"."""
    members, observers = f"meeting-{meeting_id}-members", f"meeting-{meeting_id}-observers"
    return {
        "open": [members, observers],
        "closed": [members],
        "observers": [observers],
        "chair": [f"meeting-{meeting_id}-chair"],
    }[audience]


def user_room(user_id: int) -> str:
    return f"user-{user_id}"


def announce(name: str, data: dict, *, meeting_id: int, audience: str = "open") -> None:
    """Queue an event for the rooms allowed to hear it; it is sent after the commit."""
    db.session.info.setdefault(_PENDING, []).append((name, data, rooms(meeting_id, audience)))


def announce_to_user(name: str, data: dict, user_id: int) -> None:
    db.session.info.setdefault(_PENDING, []).append((name, data, user_room(user_id)))


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    for name, data, target in pending or ():
        try:
            socketio.emit(name, data, to=target)
        except Exception:  # a lost broadcast must not undo a committed vote; clients resync on join
            log.exception("could not send %s to %s", name, target)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


# --- connections ---------------------------------------------------------------------------

def connection_user():
    """The user behind the current Socket.IO connection, checked again at every event so
    that a revoked token or a deactivated account stops working on open connections too."""
    token = socket_session.get("token")
    if token is not None:
        return AccessToken.find_user(token)
    user_id = socket_session.get("cookie_user_id")
    if user_id is not None and current_user.is_authenticated and current_user.id == user_id:
        return current_user._get_current_object()
    return None


def socket_boundary(handler):
    """The Socket.IO twin of the HTTP request boundary: one commit, or a rollback and an error ack."""
    from functools import wraps

    @wraps(handler)
    def wrapper(data=None):
        user = connection_user()
        if user is None:
            db.session.rollback()
            return ApiError(401, "unauthorized", "Your session has ended; sign in again.").body()
        try:
            answer = handler(user, data if isinstance(data, dict) else {})
            db.session.commit()
            return answer
        except ApiError as error:
            db.session.rollback()
            return error.body()
        except Exception:
            db.session.rollback()
            log.exception("socket event %s failed", handler.__name__)
            return {"error": {"code": "internal_error", "message": "Something went wrong; nothing was changed.",
                              "fields": {}}}
    return wrapper


# --- revocation -----------------------------------------------------------------------------
# Every event checks its credentials again (socket_boundary); a connection that only listens
# is cut as well: at once in the process that revoked the token, within SWEEP_INTERVAL in the
# others (each process sweeps its own connections).

SWEEP_INTERVAL = 1.0
_connections: dict[str, tuple[str, object]] = {}  # sid -> ("token", sha256) | ("user", user id)
_sweeper_started = False
_REVOKED = "excom_revoked_tokens"


def token_revoked(token_hash: str) -> None:
    """Called by the revoking operation: cut this process's connections after the commit."""
    db.session.info.setdefault(_REVOKED, set()).add(token_hash)


@event.listens_for(Session, "after_commit")
def _cut_revoked_after_commit(session: Session) -> None:
    revoked = session.info.pop(_REVOKED, None)
    if revoked:
        _disconnect_where(lambda kind, value: kind == "token" and value in revoked)


def _disconnect_where(condition) -> None:
    for sid, (kind, value) in list(_connections.items()):
        if condition(kind, value):
            _connections.pop(sid, None)
            socketio.server.disconnect(sid, namespace="/")


def _sweep_forever(app) -> None:
    from sqlalchemy import or_, select

    from governance.auth.models import User
    while True:
        socketio.sleep(SWEEP_INTERVAL)
        snapshot = list(_connections.values())
        hashes = [value for kind, value in snapshot if kind == "token"]
        user_ids = [value for kind, value in snapshot if kind == "user"]
        if not snapshot:
            continue
        try:
            with app.app_context():
                dead_tokens, dead_users = set(), set()
                for start in range(0, len(hashes), 500):
                    dead_tokens.update(db.session.scalars(
                        select(AccessToken.token_hash).join(User, User.id == AccessToken.user_id)
                        .where(AccessToken.token_hash.in_(hashes[start:start + 500]),
                               or_(AccessToken.revoked_at.is_not(None), User.active.is_(False)))))
                for start in range(0, len(user_ids), 500):
                    dead_users.update(db.session.scalars(
                        select(User.id).where(User.id.in_(user_ids[start:start + 500]), User.active.is_(False))))
                db.session.rollback()
            _disconnect_where(lambda kind, value: value in (dead_tokens if kind == "token" else dead_users))
        except Exception:  # keep sweeping; the per-event check still refuses a revoked token
            log.exception("could not sweep revoked connections")


def _remember_connection(credential: tuple[str, object]) -> None:
    global _sweeper_started
    _connections[request.sid] = credential
    if not _sweeper_started:
        _sweeper_started = True
        socketio.start_background_task(_sweep_forever, current_app._get_current_object())


@socketio.on("connect")
def _connect(auth=None):
    token = auth.get("token") if isinstance(auth, dict) else None
    if token:
        user = AccessToken.find_user(str(token))
        if user is None:
            return False
        socket_session["token"] = str(token)
        _remember_connection(("token", hash_token(str(token))))
    elif current_user.is_authenticated:
        user = current_user._get_current_object()
        socket_session["cookie_user_id"] = user.id
        _remember_connection(("user", user.id))
    else:
        return False
    join_room(user_room(user.id))
    return True


@socketio.on("disconnect")
def _disconnect(*_reason):
    _connections.pop(request.sid, None)


@socketio.on("join")
@socket_boundary
def _join(user, data):
    from governance.meetings.models import Meeting
    from governance.meetings.schemas import current_item_payload

    meeting_id = data.get("meeting_id")
    meeting = db.session.get(Meeting, meeting_id) if isinstance(meeting_id, int) else None
    if meeting is None or not policy.can_see_meeting(user, meeting):
        raise not_found("meeting")
    audience = "closed" if policy.can_see_closed_session(user, meeting) else "observers"
    for name in rooms(meeting.id, audience):
        join_room(name)
    if policy.can_run_meeting(user, meeting):
        join_room(rooms(meeting.id, "chair")[0])
    state = {"meeting_id": meeting.id, "item": current_item_payload(meeting, user)}
    for provide in state_providers:
        state.update(provide(meeting, user))
    log.debug("sid %s joined meeting %s", request.sid, meeting.id)
    return {"ok": True, "state": state}
