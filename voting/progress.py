"""Progress counts of open polls, coalesced into a few broadcasts a second however fast votes
arrive: `progress_changed(poll)` after a vote is added (voting.operations.cast_votes); the
count goes out after the commit, at most once per poll per PROGRESS_INTERVAL."""
import logging
import threading

from flask import current_app

from governance import realtime
from governance.extensions import db, socketio
from governance.transaction import on_commit
from voting.models import Poll
from voting.queries import audience, turnout
from voting.schemas import PollProgressOut

log = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.25  # seconds: the chair's counter still looks live; 1,000 votes make ≤ 4 broadcasts/s
# Each broadcast is one message per listening phone, as costly to send as a vote's ack: a burst
# of 2,000 votes at 4 counts a second sent four times as many counts as acks. A process sends
# at most this many counts a second; a larger audience hears the count less often.
PROGRESS_SENDS_PER_SECOND = 2_000


def pause_after(listeners: int) -> float:
    """Seconds to wait after a broadcast heard by `listeners` connections of this process:
    PROGRESS_INTERVAL up to 500 of them, then longer (1 s for 2,000)."""
    return max(PROGRESS_INTERVAL, listeners / PROGRESS_SENDS_PER_SECOND)


class ProgressCoalescer(realtime.OnePerApp):
    """Per app: the polls that received votes since the last tick, and the task that sends
    one `poll.progress` per poll per tick (one COUNT, one broadcast) however many votes came."""

    KEY = "excom_progress"

    def __init__(self, app):
        super().__init__(app)
        self.dirty: set[int] = set()
        self.lock = threading.Lock()

    def tasks(self) -> list:
        return [self._flush_forever]

    def stop(self) -> None:
        """No count goes out any more: the app (and in tests its database) may be gone."""
        super().stop()
        with self.lock:
            self.dirty.clear()

    def mark(self, poll_ids) -> None:
        with self.lock:
            self.dirty.update(poll_ids)

    def flush(self) -> None:
        """Send the counts marked so far now, without waiting for the tick (the tests' way of
        knowing the counts went out; the tick does the same)."""
        with self.turn:
            self._flush_once()

    def _flush_forever(self) -> None:
        pause = PROGRESS_INTERVAL
        while True:
            socketio.sleep(pause)
            with self.turn:  # stop() waits for a flush under way
                listeners = self._flush_once()
                if listeners is None:
                    return
            pause = pause_after(listeners)

    def _flush_once(self) -> int | None:
        """One tick: the counts of the polls marked since the last. Answers how many of this
        process's connections were sent a count; None once stopped or gone."""
        app = self._app()
        if app is None:  # stopped (governance.services) or gone
            return None
        listeners = 0
        with self.lock:
            polls, self.dirty = self.dirty, set()
        if polls:
            try:
                with app.app_context():
                    progress = []
                    for poll_id in polls:
                        poll = db.session.get(Poll, poll_id)
                        if poll is not None and poll.is_open:
                            progress.append((PollProgressOut().dump(turnout(poll)),
                                             realtime.rooms(poll.meeting_id, audience(poll))))
                    # end the (read) transaction before sending: an emit may yield, and no greenlet
                    # may be parked while it holds SQLite's lock (see governance.boundary)
                    db.session.rollback()
                for data, rooms in progress:
                    socketio.emit("poll.progress", data, to=rooms)
                    listeners += _listeners(rooms)
            except Exception:  # the next vote marks the poll again; never let the flusher die
                log.exception("could not send poll progress")
        return listeners


def _listeners(rooms: list[str]) -> int:
    """This process's connections in these rooms (an audience's rooms, members and observers,
    hold different connections)."""
    in_namespace = socketio.server.manager.rooms.get("/", {})
    return sum(len(in_namespace.get(room, ())) for room in rooms)


def progress_changed(poll: Poll) -> None:
    """A vote was added to this poll; its count goes out after the commit, coalesced."""
    on_commit(_mark_dirty, poll.id, key=("poll.progress", poll.id))


def _mark_dirty(poll_id: int) -> None:
    ProgressCoalescer.of(current_app._get_current_object()).mark({poll_id})  # type: ignore[attr-defined]  # a LocalProxy
