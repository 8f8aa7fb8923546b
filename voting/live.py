"""Voting over Socket.IO: the `vote` event, the state a (re)joining phone needs, and
progress counts coalesced into a few broadcasts a second however fast votes arrive."""
import logging
import threading

from flask import current_app
from flask import session as socket_session

from governance import policy, realtime
from governance.auth.loading import LINK_TOKEN_KEY
from governance.extensions import db, socketio
from governance.transaction import on_commit
from voting.models import Poll
from voting.queries import audience, open_poll_in, poll_view, turnout

log = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.25  # seconds: the chair's counter still looks live; 1,000 votes make ≤ 4 broadcasts/s


class ProgressCoalescer(realtime.OnePerApp):
    """Per app: the polls that received votes since the last tick, and the task that sends
    one `poll.progress` per poll per tick (one COUNT, one broadcast) however many votes came."""

    KEY = "excom_progress"

    def __init__(self, app):
        super().__init__(app)
        self.dirty: set[int] = set()
        self.lock = threading.Lock()
        socketio.start_background_task(self._flush_forever)

    def mark(self, poll_ids) -> None:
        with self.lock:
            self.dirty.update(poll_ids)

    def _flush_forever(self) -> None:
        while True:
            socketio.sleep(PROGRESS_INTERVAL)
            app = self._app()
            if app is None:
                return
            with self.lock:
                polls, self.dirty = self.dirty, set()
            if not polls:
                continue
            try:
                with app.app_context():
                    progress = []
                    for poll_id in polls:
                        poll = db.session.get(Poll, poll_id)
                        if poll is not None and poll.is_open:
                            count = turnout(poll)
                            progress.append(({"poll_id": poll.id, "cast": count["ballots"],
                                              "ballots": count["ballots"], "eligible": count["eligible"],
                                              "present": count["present"],
                                              "present_voted": count["present_voted"]},
                                             realtime.rooms(poll.meeting_id, audience(poll))))
                    # end the (read) transaction before sending: an emit may yield, and no greenlet
                    # may be parked while it holds SQLite's lock (see governance.boundary)
                    db.session.rollback()
                for data, rooms in progress:
                    socketio.emit("poll.progress", data, to=rooms)
            except Exception:  # the next vote marks the poll again; never let the flusher die
                log.exception("could not send poll progress")


def progress_changed(poll: Poll) -> None:
    """A vote was added to this poll; its count goes out after the commit, coalesced."""
    on_commit(_mark_dirty, poll.id, key=("poll.progress", poll.id))


def _mark_dirty(poll_id: int) -> None:
    ProgressCoalescer.of(current_app._get_current_object()).mark({poll_id})  # type: ignore[attr-defined]  # a LocalProxy


def _join_state(meeting, user) -> dict:
    poll = open_poll_in(meeting.id)
    if poll is None or not policy.can_see_item(user, poll.motion.item):
        return {"poll": None, "voted": False}
    view = poll_view(poll, user)
    return {"poll": view, "voted": view["voted"]}


realtime.state_providers.append(_join_state)


@socketio.on("vote")
def _vote(data=None):
    """A phone votes. The vote goes into this process's ballot box, which records it with the
    others arriving at the same moment; the ack comes after the commit that holds it."""
    from voting.ballot_box import NOT_RECORDED, BallotBox, Slip

    data = data if isinstance(data, dict) else {}
    try:
        token_hash, user_id = realtime.connection_credentials()
    except Exception:  # a database that cannot answer must still give the phone an answer
        db.session.rollback()
        log.exception("could not check the credentials of a vote")
        return NOT_RECORDED.body()
    link = socket_session.get(LINK_TOKEN_KEY) if token_hash is None else None
    return BallotBox.of(current_app._get_current_object()).cast(  # type: ignore[attr-defined]  # a LocalProxy
        Slip(token_hash, user_id, data, link_token_id=link if isinstance(link, int) else None))
