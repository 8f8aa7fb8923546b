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
        while True:
            socketio.sleep(PROGRESS_INTERVAL)
            with self.turn:  # stop() waits for a flush under way
                if not self._flush_once():
                    return

    def _flush_once(self) -> bool:
        """One tick: the counts of the polls marked since the last. False once stopped or gone."""
        app = self._app()
        if app is None:  # stopped (governance.services) or gone
            return False
        with self.lock:
            polls, self.dirty = self.dirty, set()
        if polls:
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
        return True

def progress_changed(poll: Poll) -> None:
    """A vote was added to this poll; its count goes out after the commit, coalesced."""
    on_commit(_mark_dirty, poll.id, key=("poll.progress", poll.id))


def _mark_dirty(poll_id: int) -> None:
    ProgressCoalescer.of(current_app._get_current_object()).mark({poll_id})  # type: ignore[attr-defined]  # a LocalProxy
