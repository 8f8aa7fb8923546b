"""The live hub: Socket.IO connections, rooms, and events sent only after their commit.

Rooms per meeting, disjoint so that one emit reaches each person once: "members" holds
those who may see the closed session (delegates of active EXCOM members, the secretariat),
"observers" everyone else who may see the meeting; "chair" the chair and the secretariat.
An operation calls `announce(...)`; the event goes out after the commit
(`governance.transaction.on_commit`), so nobody hears of a vote or a check-in that was rolled back.
"""
import logging
import re
import threading
import weakref
from dataclasses import dataclass

from flask import current_app, has_app_context, request
from flask import session as socket_session
from flask_login import current_user
from flask_socketio import join_room

from governance import policy, transaction
from governance.auth.loading import EPOCH_KEY, LINK_TOKEN_KEY
from governance.auth.models import AccessToken, hash_token
from governance.errors import ApiError
from governance.extensions import db, socketio
from governance.fields import id_or_none
from governance.signals import answers, join_state_asked
from governance.transaction import on_commit

log = logging.getLogger(__name__)



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
    """Queue an event for the rooms allowed to hear it; it is sent after the commit (after the
    connections are kept honest, see `_keep_connections_honest`), never if it rolls back."""
    on_commit(_emit, name, data, rooms(meeting_id, audience))


def _emit(name: str, data: dict, target: list[str]) -> None:
    try:
        socketio.emit(name, data, to=target)
    except Exception:  # a lost broadcast must not undo a committed vote; clients resync on join
        log.exception("could not send %s to %s", name, target)


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


def connection_credentials() -> tuple[str | None, int | None]:
    """Who is behind this connection, for work done later and elsewhere (the ballot box):
    (the token's hash, None), or (None, the user id) of a browser session that is still valid,
    checked now. (None, None) when the session has ended. Ends any transaction it began, so
    that the caller may wait (see governance.boundary)."""
    token = socket_session.get("token")
    if token is not None:
        return hash_token(token), None
    try:
        user = connection_user()
        return None, (user.id if user is not None else None)
    finally:
        db.session.rollback()


def socket_boundary(handler):
    """The Socket.IO twin of the HTTP request boundary: one commit, or a rollback and an error ack."""
    from functools import wraps

    @wraps(handler)
    def wrapper(data=None):
        try:
            # inside the try: a database that cannot answer (a pool timeout in a burst) must
            # still give the phone an answer it can act on, not silence
            user = connection_user()
            if user is None:
                raise ApiError(401, "unauthorized", "Your session has ended; sign in again.")
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


# --- watching over open connections --------------------------------------------------------
# Every event checks its credentials again (socket_boundary). A connection that only listens
# must be kept honest too: cut when its token (or the access link its browser signed in with)
# is revoked or its account deactivated, and moved out of a meeting's "members" room when its
# member is suspended (or its place changes).
#
# In the process that makes the change this is synchronous, and done before anything else can
# be sent: who may stay in which room is judged in `before_commit`, with the committing
# transaction's own view and before the commit (no room is touched there: changing rooms may
# yield, see governance.boundary); after the commit, cuts and moves are applied first, then
# the commit's own events go out, and only then does the request answer. So the suspending
# request's events, and every event sent after it, miss the suspended delegate.
# Two things the synchronous pass cannot see are left to a background reassess and to the
# sweep: a connection of the same user that joined a room between the judgement and the
# commit, and connections held by other processes (every process sweeps its own each
# SWEEP_INTERVAL).

SWEEP_INTERVAL = 1.0
_MEMBERS_ROOM = re.compile(r"meeting-(\d+)-members")
_CHAIR_ROOM = re.compile(r"meeting-(\d+)-chair")
_OBSERVERS_ROOM = re.compile(r"meeting-(\d+)-observers")


@dataclass
class Connection:
    user_id: int
    # the hash of the token behind it: the bearer token a phone or script connected with, or
    # the access link a browser signed in with; None for a browser's password session
    token_hash: str | None
    # a browser session's generation of its person's sign-ins (governance.auth.loading): once
    # the person signs out anywhere, the sweep cuts it in every process
    epoch: int | None = None


class OnePerApp:
    """A process-wide helper with background task(s), one per app, kept in
    `app.extensions[KEY]`: a service (governance.services), started by `excom serve` or on
    first use, stopped by `stop()` (serve, the tests). Its tasks ask `self._app()` at each turn
    and end when it answers None: once stopped, or once the app is gone (it is held weakly, a
    net for an app nobody stopped)."""

    KEY: str

    def __init__(self, app):
        self._app_ref = weakref.ref(app)
        self.stopped = False
        # held by a task for one turn of work on the app; stop() waits for it, so that no turn
        # is still reading the database when stop() returns (a test's database is then dropped)
        self.turn = threading.Lock()
        self.running: list = []  # the started tasks (threads in tests, greenlets under serve)

    def _app(self):
        """The app, or None once stopped or gone: then the task ends at its next turn."""
        return None if self.stopped else self._app_ref()

    def tasks(self) -> list:
        """The loops to run in the background (each returns when `_app()` is None)."""
        return []

    def start(self) -> None:
        self.running = [socketio.start_background_task(task) for task in self.tasks()]

    def stop(self) -> None:
        with self.turn:
            self.stopped = True

    @classmethod
    def of(cls, app):
        if cls.KEY not in app.extensions:
            from governance import services
            app.extensions[cls.KEY] = cls(app)
            services.run(app, app.extensions[cls.KEY])
        return app.extensions[cls.KEY]


class ConnectionWatch(OnePerApp):
    """This process's open connections for one app, and the sweep that keeps them honest."""

    KEY = "excom_watch"

    def __init__(self, app):
        super().__init__(app)
        self.connections: dict[str, Connection] = {}
        self.rights_channel = RightsChannel(app, self) if app.config.get("EXCOM_REDIS_URL") else None

    def tasks(self) -> list:
        return [self._sweep_forever] + ([self.rights_channel.listen_forever] if self.rights_channel else [])

    def recheck(self, user_ids: set[int], token_hashes: set[str]) -> None:
        """Another process changed these people's rights (or revoked these tokens): cut what
        no longer holds, move what may no longer be heard, and tell the phones concerned
        (`rights.changed`, after the move: they may join again to learn their new place)."""
        from sqlalchemy import select

        from governance.auth.models import User
        app = self._app()
        if app is None or not any(c.user_id in user_ids or c.token_hash in token_hashes
                                  for c in list(self.connections.values())):
            return
        with app.app_context():
            try:
                dead_users = set(db.session.scalars(select(User.id).where(User.id.in_(list(user_ids)),
                                                                          User.active.is_(False))))
                dead_tokens = set(db.session.scalars(select(AccessToken.token_hash).where(
                    AccessToken.token_hash.in_(list(token_hashes)), AccessToken.revoked_at.is_not(None))))
            finally:
                db.session.rollback()
        self.cut(lambda c: c.token_hash in dead_tokens or c.user_id in dead_users)
        self.reassess(user_ids)
        for sid, connection in list(self.connections.items()):
            if connection.user_id in user_ids:
                socketio.emit("rights.changed", {"user_id": connection.user_id}, to=sid)

    def cut(self, condition) -> None:
        for sid, connection in list(self.connections.items()):
            if condition(connection):
                self.connections.pop(sid, None)
                socketio.server.disconnect(sid, namespace="/")

    def judge(self, user_ids, *, observers: bool = True) -> dict[tuple[int, str], str | None]:
        """Where these users' connections sit in a room they may no longer be in, as the
        database says through db.session now: {(user id, room): room to move to, or None}.
        `observers`: judge the observers' rooms too (a person removed from the meeting); the
        sweep, which only looks for lost votes, leaves them out (one query per observer).
        Reads only; touches no room."""
        from governance.auth.models import User
        from governance.meetings.models import Meeting
        observers_too = observers
        seats = {(c.user_id, name) for sid, c in list(self.connections.items()) if c.user_id in user_ids
                 for name in socketio.server.rooms(sid, namespace="/")}
        verdicts: dict[tuple[int, str], str | None] = {}
        for user_id, name in seats:
            members, chair = _MEMBERS_ROOM.fullmatch(name), _CHAIR_ROOM.fullmatch(name)
            observing = _OBSERVERS_ROOM.fullmatch(name) if observers_too else None
            room = members or chair or observing
            if room is None:
                continue
            user = db.session.get(User, user_id)
            meeting = db.session.get(Meeting, int(room[1]))
            gone = user is None or meeting is None or not policy.can_see_meeting(user, meeting)
            if (members or observing) and gone:
                verdicts[(user_id, name)] = None  # removed from the meeting: it hears nothing more of it
            elif observing:
                continue
            elif members and meeting is not None and not policy.can_see_closed_session(user, meeting):
                verdicts[(user_id, name)] = f"meeting-{members[1]}-observers"
            elif chair and (user is None or meeting is None or not policy.can_run_meeting(user, meeting)):
                verdicts[(user_id, name)] = None
        return verdicts

    def move(self, verdicts: dict[tuple[int, str], str | None]) -> None:
        """Apply judge()'s verdicts to every connection of this process that sits in such a room
        now (one may have joined since): leave it, enter the other. No SQL; may yield."""
        if not verdicts:
            return
        for sid, connection in list(self.connections.items()):
            for name in list(socketio.server.rooms(sid, namespace="/")):
                if (connection.user_id, name) in verdicts:
                    socketio.server.leave_room(sid, name, namespace="/")
                    if verdicts[(connection.user_id, name)]:
                        socketio.server.enter_room(sid, verdicts[(connection.user_id, name)], namespace="/")

    def reassess(self, user_ids: set[int], *, observers: bool = True) -> None:
        """Judge and move these users' connections with a transaction of its own (needs SQL:
        never call it inside a commit hook)."""
        app = self._app()
        if app is None:
            return
        with app.app_context():
            try:
                verdicts = self.judge(user_ids, observers=observers)
            finally:
                db.session.rollback()  # before touching rooms, which may yield (see governance.boundary)
        self.move(verdicts)

    def _sweep_once(self) -> None:
        from sqlalchemy import and_, or_, select

        from governance.auth.models import User
        from governance.registry.models import Member
        snapshot = list(self.connections.values())
        hashes = list({c.token_hash for c in snapshot if c.token_hash})
        user_ids = list({c.user_id for c in snapshot})
        dead_tokens: set[str] = set()
        dead_users: set[int] = set()
        suspects: set[int] = set()
        epochs: dict[int, int] = {}
        app = self._app()
        if app is None:
            return
        with app.app_context():
            from governance.auth import sessions
            from governance.dbtypes import utcnow
            # revoked, or a login token past its absolute limit (governance.auth.sessions)
            too_old = utcnow() - sessions.limits()[1]
            for start in range(0, len(hashes), 500):
                dead_tokens.update(db.session.scalars(
                    select(AccessToken.token_hash).where(
                        AccessToken.token_hash.in_(hashes[start:start + 500]),
                        or_(AccessToken.revoked_at.is_not(None),
                            and_(AccessToken.kind == "login", AccessToken.created_at < too_old)))))
            # one query per 500 people, not three: the sweep runs every second of a vote burst
            for start in range(0, len(user_ids), 500):
                for user_id, active, epoch, member_id, status, excom in db.session.execute(
                        select(User.id, User.active, User.session_epoch, Member.id, Member.status, Member.excom)
                        .outerjoin(Member, Member.id == User.member_id)
                        .where(User.id.in_(user_ids[start:start + 500]))):
                    if not active:
                        dead_users.add(user_id)
                    epochs[user_id] = epoch
                    # whoever is not a delegate of an active EXCOM member must not sit in a members room
                    if member_id is None or not (status == "active" and excom):
                        suspects.add(user_id)
            db.session.rollback()
        self.cut(lambda c: c.token_hash in dead_tokens or c.user_id in dead_users
                 or (c.epoch is not None and c.epoch != epochs.get(c.user_id, c.epoch)))
        if suspects:
            self.reassess(suspects, observers=False)

    def _sweep_forever(self) -> None:
        while self._app() is not None:
            socketio.sleep(SWEEP_INTERVAL)
            if not self.connections:
                continue
            try:
                with self.turn:
                    self._sweep_once()
            except Exception:  # keep sweeping; the per-event check still refuses a revoked token
                log.exception("could not sweep open connections")


def _watch_changes() -> dict:
    """What the current transaction changes about who may hear what: acted on just before its
    commit (the judgement, which reads) and right after it (cuts, moves, the other processes)."""
    changes = transaction.remembered("connection_watch")
    if not changes:
        changes.update(revoked=set(), closed=set(), reassess=set(), tell=set(), verdicts={})
        transaction.before_commit(_judge_before_commit, changes)
        # first: an event sent by the commit that suspends a member, or revokes a token,
        # already misses that delegate
        on_commit(_keep_connections_honest, changes, first=True)
    return changes


def token_revoked(token_hash: str) -> None:
    """Called by the revoking operation: cut the connections resting on it after the commit,
    in this process and (through the message queue) every other one."""
    _watch_changes()["revoked"].add(token_hash)


def account_closed(user_id: int) -> None:
    """Called when an account is deactivated or its sign-ins end: cut this process's
    connections of that person after the commit (other processes through the rights channel)."""
    _watch_changes()["closed"].add(user_id)


def rights_changed(user_ids) -> None:
    """Called wherever someone's rights change (participant group, chair, removal from a
    meeting, member status, account, token, password): after the commit, this process and
    every other one (through the message queue, see `RightsChannel`) re-check these people's
    open connections: rooms they may no longer be in are left, a connection whose credentials
    no longer hold is cut."""
    ids = set(user_ids)
    changes = _watch_changes()
    changes["reassess"].update(ids)
    changes["tell"].update(ids)


rooms_may_have_changed = rights_changed  # its older name


def _this_process_watch() -> "ConnectionWatch | None":
    if not has_app_context() or ConnectionWatch.KEY not in current_app.extensions:
        return None
    return current_app.extensions[ConnectionWatch.KEY]


def _judge_before_commit(changes: dict) -> None:
    """Judge the rooms of the users whose rights this transaction changes, with its own view of
    the database (after the commit is too late to read it consistently). Reads only: under
    gevent nothing may yield between the transaction's first query and its commit."""
    users, watch = changes["reassess"], _this_process_watch()
    if not users or watch is None:
        return
    if any(c.user_id in users for c in list(watch.connections.values())):
        changes["verdicts"] = watch.judge(users)


def _keep_connections_honest(changes: dict) -> None:
    revoked, closed, reassess, tell = changes["revoked"], changes["closed"], changes["reassess"], changes["tell"]
    watch = _this_process_watch()
    if (revoked or reassess or closed) and watch is not None:
        # this process's own connections first, before anything here may yield (Redis below)
        if revoked or closed:
            watch.cut(lambda connection: connection.token_hash in revoked or connection.user_id in closed)
        if reassess:
            watch.move(changes["verdicts"])
            # a room joined between the judgement and the commit, or a judgement skipped above
            socketio.start_background_task(watch.reassess, set(reassess))
    if (revoked or closed or tell) and has_app_context():
        if current_app.config.get("EXCOM_REDIS_URL"):
            # every process (this one too) re-checks and tells the phones (ConnectionWatch.recheck)
            RightsChannel.tell(current_app, tell | closed, revoked)
        elif tell:  # one process: the move is done, the phones may learn their new place
            for user_id in tell:
                socketio.emit("rights.changed", {"user_id": user_id}, to=user_room(user_id))


def _link_token_hash(user) -> str | None:
    """The hash of the access link a browser session rests on (governance.auth.loading), so
    that revoking the link cuts the connection as revoking a bearer token does."""
    token_id = socket_session.get(LINK_TOKEN_KEY)
    if token_id is None:
        return None
    token = db.session.get(AccessToken, token_id) if id_or_none(token_id) is not None else None
    return token.token_hash if token is not None and token.user_id == user.id else None


@socketio.on("connect")
def _connect(auth=None):
    token = auth.get("token") if isinstance(auth, dict) else None
    if token:
        user = AccessToken.find_user(str(token))
        if user is None:
            return False
        socket_session["token"] = str(token)
        connection = Connection(user.id, hash_token(str(token)))
    elif current_user.is_authenticated:  # the user loader has checked the access link, if any
        user = current_user._get_current_object()
        socket_session["cookie_user_id"] = user.id
        connection = Connection(user.id, _link_token_hash(user), socket_session.get(EPOCH_KEY))
    else:
        return False
    db.session.rollback()  # end the lookup's transaction now (see governance.boundary, _read_body_first)
    # current_app is a LocalProxy typed as Flask; Flask-SocketIO sets request.sid
    ConnectionWatch.of(current_app._get_current_object()).connections[request.sid] = connection  # type: ignore[attr-defined]
    join_room(user_room(connection.user_id))  # not user.id: the rollback expired it
    return True


@socketio.on("disconnect")
def _disconnect(*_reason):
    watch = current_app.extensions.get(ConnectionWatch.KEY)
    if watch is not None:
        watch.connections.pop(request.sid, None)  # type: ignore[attr-defined]  # set by Flask-SocketIO


@socketio.on("join")
@socket_boundary
def _join(user, data):
    from governance.lookup import visible_meeting
    from governance.meetings.schemas import current_item_payload

    # 10**30 would overflow the database's integer; the 404 is answered as the event's error ack
    meeting = visible_meeting(id_or_none(data.get("meeting_id")), user=user)[0]
    audience = "closed" if policy.can_see_closed_session(user, meeting) else "observers"
    for name in rooms(meeting.id, audience):
        join_room(name)
    if policy.can_run_meeting(user, meeting):
        join_room(rooms(meeting.id, "chair")[0])
    from governance.meetings.queries import open_stay
    # whether this person is checked in: a delegate's phone offers "I am here" before the ballot
    state = {"meeting_id": meeting.id, "item": current_item_payload(meeting, user),
             "present": open_stay(meeting, user.id) is not None, "adjourned": meeting.adjourned_at is not None}
    # what other packages add, e.g. voting: the open poll and whether this user has voted in it
    for more in answers(join_state_asked, meeting, user=user):
        state.update(more)
    log.debug("sid %s joined meeting %s", request.sid, meeting.id)  # type: ignore[attr-defined]  # Flask-SocketIO
    return {"ok": True, "state": state}


def init_app(app) -> None:
    """The hub's socket handlers (connect, disconnect, join) are declared when this module is
    imported, on the Socket.IO extension: create_app calls this before socketio.init_app so
    that every server gets them. What a joining phone also learns comes from receivers of
    governance.signals.join_state_asked (voting.init_app)."""


# --- rights changed: every process hears it through the message queue --------------------

class RightsChannel:
    """A Redis pub/sub channel beside Socket.IO's own (`<EXCOM_REDIS_CHANNEL>-rights`): a
    process that commits a change of rights publishes the people (and revoked tokens' hashes)
    concerned; every process, itself included, re-checks its own connections of them at once
    (ConnectionWatch.recheck). Without Redis there is one process, which does it synchronously
    (see `_watch_after_commit`). The sweep stays as a net for a message lost in a Redis outage."""

    def __init__(self, app, watch: "ConnectionWatch"):
        self.watch = watch  # it listens while its watch runs (stopped with it)
        self.url, self.name = app.config["EXCOM_REDIS_URL"], self.channel(app)

    def _app(self):
        return self.watch._app()

    @staticmethod
    def channel(app) -> str:
        return f"{app.config['EXCOM_REDIS_CHANNEL']}-rights"

    @classmethod
    def tell(cls, app, user_ids: set[int], token_hashes: set[str]) -> None:
        url = app.config.get("EXCOM_REDIS_URL")
        if not url:
            return
        import json

        import redis
        try:
            client = app.extensions.get("excom_rights_publisher")
            if client is None:
                client = app.extensions["excom_rights_publisher"] = redis.Redis.from_url(url)
            client.publish(cls.channel(app), json.dumps({"users": sorted(user_ids), "tokens": sorted(token_hashes)}))
        except redis.RedisError:  # the commit stands; the sweep still catches revocations and suspensions
            log.exception("could not tell the other processes of a change of rights")

    def listen_forever(self) -> None:
        import json

        import redis
        while self._app() is not None:
            try:
                subscription = redis.Redis.from_url(self.url).pubsub(ignore_subscribe_messages=True)
                subscription.subscribe(self.name)
                while self._app() is not None:
                    message = subscription.get_message(timeout=1.0)
                    if message is None:
                        socketio.sleep(0)
                        continue
                    news = json.loads(message["data"])
                    self.watch.recheck({int(u) for u in news.get("users", ())}, set(news.get("tokens", ())))
            except Exception:  # Redis away, or a bad message: listen again shortly
                log.exception("the rights channel failed; listening again")
                socketio.sleep(1.0)
