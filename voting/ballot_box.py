"""The ballot box of one server process: group commit of live votes.

Every `vote` event drops a slip into the box and waits. One writer takes every slip that has
gathered, records them in one transaction (each check one query for the whole batch, two
multi-row inserts, one commit) and then answers each phone. A burst of a thousand votes thus
costs a few transactions instead of a thousand, and the first phones are answered after the
first batch, not after the whole burst (docs/performance.md has the figures before and after).

The ack still comes only after the commit that holds the vote, so an acknowledged vote is
never lost; one writer per process also means the votes of a burst take one database
connection, not the whole pool.

Only the writer touches the database, in one go per batch: with SQLite under gevent no
greenlet may wait while holding the write lock (see governance.boundary).
"""
import logging
import queue
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from governance import policy
from governance.auth.models import AccessToken, User
from governance.errors import ApiError, invalid, not_found
from governance.extensions import db, socketio
from governance.lookup import sees_item_of, visible
from governance.realtime import OnePerApp
from voting.assessment import looks_like_a_sheet
from voting.choices import looks_like_a_choice, poll_id_of
from voting.operations import cast_votes
from voting.queries import load_poll

log = logging.getLogger(__name__)

MOST_PER_BATCH = 500  # bounds one transaction (and SQL parameter lists); a bigger burst takes several
WAIT_FOR_RECORDING = 120.0  # seconds a phone waits for its batch before it is told to try again
_IDLE_CHECK = 1.0  # seconds between checks that the app still exists (tests make many apps)

SESSION_ENDED = ApiError(401, "unauthorized", "Your session has ended; sign in again.")
NOT_RECORDED = ApiError(500, "internal_error", "Your vote could not be recorded; nothing was changed. Vote again.")
NOT_CONFIRMED = ApiError(503, "not_confirmed", "Your vote is taking long to record. Look at the ballot: "
                                               "it says whether your vote was counted; if not, vote again.")


@dataclass
class Slip:
    """One vote waiting for the writer: who (a token's hash, or a browser session's user id,
    already checked), for which poll, what; and the answer once recorded."""
    token_hash: str | None
    user_id: int | None
    data: dict
    # a browser session resting on an access link: that link's token id (the vote record says so)
    link_token_id: int | None = None
    answer: dict | None = None
    recorded: threading.Event = field(default_factory=threading.Event)

    @property
    def poll_id(self) -> int | None:
        return poll_id_of(self.data)


class BallotBox(OnePerApp):
    """Per app and process: the slips waiting, and the writer that records them in batches."""

    KEY = "excom_ballot_box"

    def __init__(self, app):
        super().__init__(app)
        self.slips: queue.Queue[Slip] = queue.Queue()  # gevent's own queue once monkey-patched

    def tasks(self) -> list:
        return [self._record_forever]

    def cast(self, slip: Slip) -> dict:
        """Drop the slip in and wait until the batch holding it is committed (or refused)."""
        self.slips.put(slip)
        if not slip.recorded.wait(WAIT_FOR_RECORDING):
            return NOT_CONFIRMED.body()
        assert slip.answer is not None  # answered before it is marked recorded
        return slip.answer

    def _record_forever(self) -> None:
        while True:
            try:
                first = self.slips.get(timeout=_IDLE_CHECK)
            except queue.Empty:
                if self._app() is None:
                    return
                continue
            # let the events already read off the sockets drop their slips in too: the larger
            # the batch, the fewer commits, and every phone in it is answered at once
            socketio.sleep(0)
            batch = [first]
            while len(batch) < MOST_PER_BATCH:
                try:
                    batch.append(self.slips.get_nowait())
                except queue.Empty:
                    break
            try:
                with self.turn:
                    self._record(batch)
            except Exception:  # the writer must outlive anything: every later vote depends on it
                log.exception("the ballot box could not answer a batch of %d votes", len(batch))
                for slip in batch:
                    if not slip.recorded.is_set():
                        slip.answer = NOT_RECORDED.body()
                        slip.recorded.set()

    def _record(self, batch: list[Slip]) -> None:
        app = self._app()
        started = time.monotonic()
        answers = [NOT_RECORDED.body()] * len(batch)
        if app is not None:
            with app.app_context():
                answers = record_batch(batch)
        log.debug("a batch of %d votes took %.1f ms", len(batch), 1000 * (time.monotonic() - started))
        for slip, answer in zip(batch, answers):
            slip.answer = answer
            slip.recorded.set()


def record_batch(slips: list[Slip]) -> list[dict]:
    """Record a batch and commit; answers each slip's ack body. One message, one failure: if
    the batch as a whole cannot be written (a slip the checks let through and the database
    refuses), it is recorded again slip by slip, each in a savepoint of one transaction, so
    that only the guilty slip fails and the others are counted (one commit still)."""
    try:
        answers = record_slips(slips)
        db.session.commit()
        return answers
    except Exception:
        db.session.rollback()
        if len(slips) == 1:
            log.exception("could not record a vote")
            return [NOT_RECORDED.body()]
        log.exception("could not record a batch of %d votes at once; recording them one by one", len(slips))
    answers = []
    for slip in slips:
        try:
            with db.session.begin_nested():
                answer, = record_slips([slip])
        except Exception:  # this slip alone: its savepoint is rolled back, the others stand
            log.exception("could not record one vote of a batch")
            answer = NOT_RECORDED.body()
        answers.append(answer)
    try:
        db.session.commit()
    except Exception:  # nothing was recorded: every phone may vote again
        db.session.rollback()
        log.exception("could not commit a batch of %d votes recorded one by one", len(slips))
        return [NOT_RECORDED.body()] * len(slips)
    return answers


def _shape_refusal(slip: Slip) -> ApiError | None:
    """What is wrong with a slip before anything is asked of the database: a poll id that
    cannot name a poll (not an integer, or out of range: 10**30 would overflow the database's
    integer) is a poll that does not exist; a choice no ballot could accept is invalid."""
    if slip.poll_id is None:
        return not_found("poll")
    if "choice" not in slip.data:  # a dict: poll_id_of found one in it
        return ApiError(422, "invalid", "Say what you vote.", {"choice": ["Missing data for required field."]})
    if not (looks_like_a_choice(slip.data["choice"]) or looks_like_a_sheet(slip.data["choice"])):
        return invalid({"choice": ["This is not a choice on any ballot: vote yes, no or abstain, "
                                   "a candidate's id, a ranking of candidate ids, or a sheet of scores."]})
    return None


def record_slips(slips: list[Slip]) -> list[dict]:
    """Record a batch of slips in the current transaction; answers each slip's ack body. The
    checks and their order are those of one vote (socket_boundary, then voting.operations).
    Slips whose shape is wrong are answered before the database is asked anything about them."""
    users, credentials = _voters(slips)
    answers: list[dict | None] = [None] * len(slips)
    by_poll: dict[int, list[int]] = defaultdict(list)
    for index, slip in enumerate(slips):
        refusal = SESSION_ENDED if users[index] is None else _shape_refusal(slip)
        if refusal is not None:
            answers[index] = refusal.body()
        else:
            by_poll[cast(int, slip.poll_id)].append(index)  # _shape_refusal refused a slip without one
    for poll_id, indexes in by_poll.items():
        poll = load_poll(poll_id)
        if poll is not None:
            policy.remember_participations(poll.motion.meeting, [users[i] for i in indexes])
        ready = []
        for index in indexes:
            try:  # the socket's answer to a poll this voter may not see: the 404 ack of one vote
                visible(poll, "poll", user=users[index], sees=sees_item_of("motion.item"))
            except ApiError as hidden:
                answers[index] = hidden.body()
            else:
                ready.append(index)
        if poll is None or not ready:  # no poll: every slip was answered above
            continue
        receipts = cast_votes(poll, [(users[i], slips[i].data["choice"], credentials[i]) for i in ready])
        for index, receipt in zip(ready, receipts):
            answers[index] = receipt.body() if isinstance(receipt, ApiError) \
                else {"ok": True, "receipt": receipt, "poll_id": poll.id}
    return cast(list[dict], answers)  # every slip answered


def _voters(slips: list[Slip]) -> tuple[list[User | None], list[tuple[str, int | None] | None]]:
    """The user behind each slip, and the credential it came through (kind, token id): all
    tokens in one query, all browser sessions in another."""
    by_hash = AccessToken.usable_by_hash([s.token_hash for s in slips if s.token_hash]) \
        if any(s.token_hash for s in slips) else {}
    user_ids = {s.user_id for s in slips if s.token_hash is None and s.user_id is not None}
    by_id = {user.id: user for user in db.session.scalars(
        select(User).where(User.id.in_(user_ids), User.active.is_(True)).options(joinedload(User.member)))} \
        if user_ids else {}
    users: list[User | None] = []
    credentials: list[tuple[str, int | None] | None] = []
    for slip in slips:
        if slip.token_hash:
            token = by_hash.get(slip.token_hash)
            users.append(token[0] if token is not None else None)
            credentials.append((token[1], token[2]) if token is not None else None)
        else:
            users.append(by_id.get(slip.user_id) if slip.user_id is not None else None)
            credentials.append(("link", slip.link_token_id) if slip.link_token_id else ("session", None))
    return users, credentials
