"""Voting over Socket.IO: the `vote` event, the state a (re)joining phone needs, and
progress counts coalesced into a few broadcasts a second however fast votes arrive."""
import logging
import threading

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from governance import policy, realtime
from governance.errors import ApiError, not_found
from governance.extensions import db, socketio
from voting.models import Poll
from voting.queries import audience, cast_count, open_poll_in, poll_view

log = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.25  # seconds: the chair's counter still looks live; 1,000 votes make ≤ 4 broadcasts/s

_dirty: set[int] = set()
_dirty_lock = threading.Lock()
_flusher_started = False
_PENDING_PROGRESS = "excom_pending_progress"


def progress_changed(poll: Poll) -> None:
    """A vote was added to this poll; its count goes out after the commit, coalesced."""
    db.session.info.setdefault(_PENDING_PROGRESS, set()).add(poll.id)


@event.listens_for(Session, "after_commit")
def _mark_dirty(session):
    polls = session.info.pop(_PENDING_PROGRESS, None)
    if polls:
        with _dirty_lock:
            _dirty.update(polls)
        if has_app_context():
            _ensure_flusher(current_app._get_current_object())


@event.listens_for(Session, "after_rollback")
def _forget(session):
    session.info.pop(_PENDING_PROGRESS, None)


def _ensure_flusher(app) -> None:
    global _flusher_started
    if _flusher_started:
        return
    _flusher_started = True
    socketio.start_background_task(_flush_progress_forever, app)


def _flush_progress_forever(app) -> None:
    while True:
        socketio.sleep(PROGRESS_INTERVAL)
        with _dirty_lock:
            polls = list(_dirty)
            _dirty.clear()
        if not polls:
            continue
        try:
            with app.app_context():
                for poll_id in polls:
                    poll = db.session.get(Poll, poll_id)
                    if poll is None or not poll.is_open:
                        continue
                    socketio.emit("poll.progress",
                                  {"poll_id": poll.id, "cast": cast_count(poll), "eligible": poll.eligible_count},
                                  to=realtime.rooms(poll.meeting_id, audience(poll)))
                db.session.rollback()
        except Exception:  # the next vote marks the poll again; never let the flusher die
            log.exception("could not send poll progress")


def _join_state(meeting, user) -> dict:
    poll = open_poll_in(meeting.id)
    if poll is None or not policy.can_see_item(user, poll.motion.item):
        return {"poll": None, "voted": False}
    view = poll_view(poll, user)
    return {"poll": view, "voted": view["voted"]}


realtime.state_providers.append(_join_state)


@socketio.on("vote")
@realtime.socket_boundary
def _vote(user, data):
    from voting.operations import cast_vote

    poll_id = data.get("poll_id")
    poll = db.session.get(Poll, poll_id) if isinstance(poll_id, int) and not isinstance(poll_id, bool) else None
    if poll is None or not policy.can_see_item(user, poll.motion.item):
        raise not_found("poll")
    if "choice" not in data:
        raise ApiError(422, "invalid", "Say what you vote.", {"choice": ["Missing data for required field."]})
    receipt = cast_vote(poll, voter=user, choice=data["choice"])
    return {"ok": True, "receipt": receipt, "poll_id": poll.id}
