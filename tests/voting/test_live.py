"""The room, live: real server processes, real Socket.IO clients, real HTTP."""
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
import requests
import socketio
from sqlalchemy import text

from governance.extensions import db
from tests.live import running_server
from tests.voting.scene import CHAIR, CITIES, OBSERVER, SECRETARIAT

pytestmark = pytest.mark.live


class Phone:
    """A delegate's (or observer's) phone: a Socket.IO connection that remembers what it heard."""

    def __init__(self, server, token):
        self.events: list[tuple[str, dict]] = []
        self.heard = threading.Condition()
        self.client = socketio.Client(reconnection=False)
        self.client.on("*", self._hear)
        self.client.connect(server.url, auth={"token": token}, transports=["websocket"], wait_timeout=10)

    def _hear(self, event, data=None):
        with self.heard:
            self.events.append((event, data))
            self.heard.notify_all()

    def join(self, meeting_id):
        return self.client.call("join", {"meeting_id": meeting_id}, timeout=10)

    def vote(self, poll_id, choice):
        return self.client.call("vote", {"poll_id": poll_id, "choice": choice}, timeout=10)

    def wait_for(self, name, timeout=10, **match):
        deadline = time.monotonic() + timeout
        with self.heard:
            while True:
                for event, data in self.events:
                    if event == name and all(data.get(k) == v for k, v in match.items()):
                        return data
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"never heard {name} {match}; heard {[e for e, _ in self.events]}")
                self.heard.wait(remaining)

    def names(self):
        return [event for event, _ in self.events]

    def close(self):
        self.client.disconnect()


def hang_up(*phones):
    """python-socketio's client takes up to 3 s to stop its reader after a disconnect: hang
    up all phones at once rather than one after another."""
    with ThreadPoolExecutor(max_workers=max(1, len(phones))) as pool:
        list(pool.map(Phone.close, phones))


@pytest.fixture(scope="module")
def shared_server(database_url, tmp_path_factory):
    """One `excom serve` per database for this module's tests: each test's `app` wipes the
    database after it and its `demo` loads the meeting again, under the running server."""
    instance = tmp_path_factory.mktemp("live-server")
    # every test signs the desk, the chair and the delegates in again
    with running_server(database_url, str(instance), log=str(instance / "serve.log"),
                        EXCOM_LOGIN_RATE_LIMIT="10000 per minute") as server:
        yield server


@pytest.fixture
def live(app, demo, shared_server):
    yield shared_server


@pytest.fixture
def room(live, demo):
    """Everyone checked in and signed in: tokens for the desk, the chair and every delegate."""
    desk = live.login(SECRETARIAT)
    participants = live.api("GET", f"/meetings/{demo}/participants", desk).json()
    users = {u["id"]: u["email"] for u in live.api("GET", "/users", desk).json()}
    delegates = {p["affiliation"]: users[p["user_id"]] for p in participants if p["group"] == "excom_member"}
    for p in participants:
        if p["group"] == "excom_member":
            live.api("POST", f"/meetings/{demo}/attendance", desk, json={"user_id": p["user_id"], "mode": "online"})
    tokens = {city: live.login(email) for city, email in delegates.items()}
    items = live.api("GET", f"/meetings/{demo}", desk).json()["sessions"]
    return {"desk": desk, "chair": live.login(CHAIR), "tokens": tokens, "meeting": demo,
            "open_item": items[0]["items"][3]["id"], "closed_item": items[1]["items"][5]["id"]}


def _motion(live, room, item, **fields):
    answer = live.api("POST", f"/items/{item}/motions", room["desk"],
                      json={"kind": "general", "title": "To note", **fields})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


@pytest.mark.both_databases  # a vote through the ballot box of a real server, on each database
def test_a_delegate_votes_from_the_phone_and_everyone_hears_the_result(live, room):
    delegate = Phone(live, room["tokens"]["Almaty"])
    observer = Phone(live, live.login(OBSERVER))
    chair = Phone(live, room["chair"])
    try:
        for phone in (delegate, observer, chair):
            assert phone.join(room["meeting"])["ok"] is True
        motion = _motion(live, room, room["open_item"])
        poll = live.api("POST", f"/motions/{motion}/polls", room["chair"]).json()
        for phone in (delegate, observer, chair):
            assert phone.wait_for("poll.opened")["poll"]["id"] == poll["id"]

        ack = delegate.vote(poll["id"], "yes")
        assert ack["ok"] is True and len(ack["receipt"]) == 16
        again = delegate.vote(poll["id"], "no")
        assert again["error"]["code"] == "already_voted"
        progress = chair.wait_for("poll.progress", poll_id=poll["id"])
        assert (progress["cast"], progress["eligible"]) == (1, 12)
        assert "choice" not in progress and "member_id" not in progress

        result = live.api("POST", f"/polls/{poll['id']}/close", room["chair"]).json()["result"]
        for phone in (delegate, observer, chair):
            assert phone.wait_for("poll.closed", poll_id=poll["id"])["result"]["counts"] == result["counts"]
        late = delegate.vote(poll["id"], "yes")
        assert late["error"]["code"] == "poll_closed"
    finally:
        hang_up(delegate, observer, chair)


def test_observers_cannot_vote_and_hear_nothing_of_the_closed_session(live, room):
    observer = Phone(live, live.login(OBSERVER))
    member = Phone(live, room["tokens"]["Cuenca"])
    try:
        observer.join(room["meeting"]), member.join(room["meeting"])
        live.api("POST", f"/items/{room['closed_item']}/activate", room["chair"])
        motion = _motion(live, room, room["closed_item"], title="Membership fee use for 2025")
        poll = live.api("POST", f"/motions/{motion}/polls", room["chair"]).json()
        assert observer.vote(poll["id"], "yes")["error"]["code"] == "not_found"
        member.vote(poll["id"], "yes")
        live.api("POST", f"/polls/{poll['id']}/close", room["chair"])
        member.wait_for("poll.closed", poll_id=poll["id"])
        time.sleep(0.5)  # anything wrongly sent would have arrived by now
        heard = str(observer.events)
        assert "poll.opened" not in observer.names() and "poll.closed" not in observer.names()
        assert "poll.progress" not in observer.names()
        assert "Membership fee" not in heard and "Approval of Membership Fee Use" not in heard
        assert observer.wait_for("agenda.current")["item"] is None
    finally:
        hang_up(observer, member)


def test_a_phone_that_reconnects_gets_the_true_state_back(live, room):
    motion = _motion(live, room, room["open_item"])
    poll = live.api("POST", f"/motions/{motion}/polls", room["chair"]).json()
    phone = Phone(live, room["tokens"]["Hebron"])
    state = phone.join(room["meeting"])["state"]
    assert (state["poll"]["id"], state["voted"]) == (poll["id"], False)
    phone.vote(poll["id"], "yes")
    phone.close()  # the network drops

    phone = Phone(live, room["tokens"]["Hebron"])
    state = phone.join(room["meeting"])["state"]
    assert (state["poll"]["id"], state["voted"], state["poll"]["cast"]) == (poll["id"], True, 1)
    assert phone.vote(poll["id"], "no")["error"]["code"] == "already_voted"
    phone.close()


def test_connections_without_valid_credentials_are_refused(live):
    for auth in (None, {"token": "forged"}, {"token": ""}):
        client = socketio.Client(reconnection=False)
        with pytest.raises(socketio.exceptions.ConnectionError):
            client.connect(live.url, auth=auth, transports=["websocket"], wait_timeout=5)


@pytest.mark.both_databases  # two submissions at once: SQLite's write lock against PostgreSQL's unique index
def test_concurrent_double_submissions_count_once(live, room):
    """Every delegate taps several times at once, over HTTP and Socket.IO together."""
    motion = _motion(live, room, room["open_item"])
    poll = live.api("POST", f"/motions/{motion}/polls", room["chair"]).json()
    phones = {city: Phone(live, token) for city, token in room["tokens"].items()}

    def tap(city, n):
        if n % 2:
            return phones[city].vote(poll["id"], "yes")
        answer = live.api("POST", f"/polls/{poll['id']}/votes", room["tokens"][city], json={"choice": "yes"})
        return {"ok": True} if answer.status_code == 201 else answer.json()

    try:
        with ThreadPoolExecutor(max_workers=24) as pool:
            answers = list(pool.map(lambda job: (job[0], tap(*job)), [(c, n) for c in CITIES for n in range(4)]))
    finally:
        hang_up(*phones.values())
    accepted = [city for city, answer in answers if answer.get("ok")]
    refused = [answer["error"]["code"] for _, answer in answers if not answer.get("ok")]
    assert sorted(accepted) == sorted(CITIES)
    assert refused == ["already_voted"] * (len(answers) - len(CITIES))
    result = live.api("POST", f"/polls/{poll['id']}/close", room["chair"]).json()["result"]
    assert result["counts"] == {"yes": 12, "no": 0, "abstain": 0}


def test_a_secret_poll_keeps_no_link_between_ballot_and_voter(live, room, app):
    motion = _motion(live, room, room["open_item"], secret=True, title="Secret question")
    poll = live.api("POST", f"/motions/{motion}/polls", room["chair"]).json()
    receipts = {}
    for n, city in enumerate(CITIES):  # a known order of arrival, with choices that follow it
        answer = live.api("POST", f"/polls/{poll['id']}/votes", room["tokens"][city],
                          json={"choice": ["yes", "no", "abstain"][n % 3]})
        receipts[city] = answer.json()["receipt"]
    result = live.api("POST", f"/polls/{poll['id']}/close", room["chair"]).json()["result"]
    assert "votes" not in result

    ballots = live.api("GET", f"/polls/{poll['id']}/ballots", room["tokens"]["Almaty"]).json()
    assert sorted(b["receipt"] for b in ballots) == sorted(receipts.values())  # every voter finds theirs
    assert all(b["member_id"] is None for b in ballots)

    with app.app_context():
        # one connection: on SQLite a second one would wait for this transaction's lock
        schema = db.inspect(db.session.connection())
        ballot_columns = {c["name"] for c in schema.get_columns("poll_ballots")}
        stored = db.session.execute(text("SELECT * FROM poll_ballots WHERE poll_id = :p"),
                                    {"p": poll["id"]}).mappings().all()
        # the only identifying columns are poll and receipt; member and time stay empty
        assert all(row["member_id"] is None and row["cast_at"] is None for row in stored)
        assert ballot_columns == {"poll_id", "receipt", "choice", "member_id", "cast_at"}
        participation_columns = {c["name"] for c in schema.get_columns("poll_participations")}
        # no time, no sequence; the credential it came through is for the member's own vote record
        assert participation_columns == {"poll_id", "member_id", "cast_by_id", "credential", "credential_token_id"}
        # the stored order is not the order of arrival
        arrival = [receipts[city] for city in CITIES]
        assert [row["receipt"] for row in stored] != arrival
        if db.engine.dialect.name == "postgresql":
            physical = db.session.execute(text("SELECT receipt, xmin::text AS xmin FROM poll_ballots "
                                               "WHERE poll_id = :p ORDER BY ctid"), {"p": poll["id"]}).all()
            assert [r.receipt for r in physical] != arrival
            # rewritten by the closing transaction: no transaction id ties a ballot to its voter's
            assert len({r.xmin for r in physical}) == 1
            voters_xmin = set(db.session.scalars(text("SELECT xmin::text FROM poll_participations "
                                                      "WHERE poll_id = :p"), {"p": poll["id"]}))
            assert voters_xmin.isdisjoint({r.xmin for r in physical})
        trail = str(db.session.execute(text("SELECT * FROM audit_events")).all())
        assert not any(receipt in trail for receipt in receipts.values())


def test_two_server_processes_share_one_audience_through_redis(app, demo, database_url, tmp_path):
    if not database_url.startswith("postgresql"):
        pytest.skip("the scale-out test runs on PostgreSQL (SQLite is one process by design)")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis not reachable at 127.0.0.1:6379: {error}")
    channel_db = "redis://127.0.0.1:6379/0"
    with running_server(database_url, str(tmp_path / "one"), channel_db) as one, \
            running_server(database_url, str(tmp_path / "two"), channel_db) as two:
        desk = one.login(SECRETARIAT)
        participants = one.api("GET", f"/meetings/{demo}/participants", desk).json()
        for p in participants:
            if p["group"] == "excom_member":
                one.api("POST", f"/meetings/{demo}/attendance", desk, json={"user_id": p["user_id"]})
        items = one.api("GET", f"/meetings/{demo}", desk).json()["sessions"][0]["items"]
        on_one = Phone(one, one.login("almaty@excom.example.org"))
        on_two = Phone(two, two.login("cuenca@excom.example.org"))
        try:
            on_one.join(demo), on_two.join(demo)
            motion = one.api("POST", f"/items/{items[3]['id']}/motions", desk,
                             json={"kind": "general", "title": "To note"}).json()
            poll = two.api("POST", f"/motions/{motion['id']}/polls", two.login(CHAIR)).json()
            on_one.wait_for("poll.opened"), on_two.wait_for("poll.opened")  # opened on two, heard on one
            assert on_one.vote(poll["id"], "yes")["ok"]
            on_two.wait_for("poll.progress", poll_id=poll["id"], cast=1)  # a vote cast through one reaches two
            one.api("POST", f"/polls/{poll['id']}/close", one.login(CHAIR))
            for phone in (on_one, on_two):
                assert phone.wait_for("poll.closed", poll_id=poll["id"])["result"]["counts"]["yes"] == 1
        finally:
            hang_up(on_one, on_two)


def _personal_token(live, desk, email, label) -> dict:
    """The secretariat issues this person a personal token (as for an access link or a kiosk)."""
    person = next(u for u in live.api("GET", "/users", desk).json() if u["email"] == email)
    return live.api("POST", f"/users/{person['id']}/token", desk, json={"label": label}).json()


def test_a_revoked_token_ends_the_open_connection_at_once(live, room):
    desk = room["desk"]
    issued = _personal_token(live, desk, "makati@excom.example.org", "kiosk")
    phone = Phone(live, issued["token"])
    try:
        assert phone.join(room["meeting"])["ok"]
        assert live.api("DELETE", f"/tokens/{issued['id']}", desk).status_code == 204
        deadline = time.monotonic() + 5
        while phone.client.connected and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not phone.client.connected
        motion = _motion(live, room, room["open_item"])
        live.api("POST", f"/motions/{motion}/polls", room["chair"])
        time.sleep(0.5)
        assert "poll.opened" not in phone.names()
        with pytest.raises(socketio.exceptions.ConnectionError):
            Phone(live, issued["token"])
    finally:
        if phone.client.connected:
            phone.close()


class Browser(Phone):
    """A browser signed in through a personal access link: a session cookie, and the Socket.IO
    connection a meeting page opens with that cookie (no token of its own)."""

    def __init__(self, server, link_url):
        self.web = requests.Session()
        page = self.web.get(f"{server.url}{link_url}", timeout=10)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        signed_in = self.web.post(f"{server.url}{link_url}", data={"csrf_token": csrf},
                                  allow_redirects=False, timeout=10)
        assert signed_in.status_code == 302, signed_in.text
        self.events, self.heard, self.cut = [], threading.Condition(), threading.Event()
        self.client = socketio.Client(reconnection=False)
        self.client.on("*", self._hear)
        self.client.on("disconnect", lambda *reason: self.cut.set())
        cookie = "; ".join(f"{name}={value}" for name, value in self.web.cookies.items())
        self.client.connect(server.url, headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=10)


def test_a_revoked_access_link_ends_the_browser_s_open_connection_at_once(live, room):
    """A browser signed in with an access link listens to the meeting and never speaks: once the
    secretariat has revoked the link, the server has closed that connection, and it hears
    nothing more, not even the very next event."""
    desk = room["desk"]
    person = next(u for u in live.api("GET", "/users", desk).json() if u["email"] == "makati@excom.example.org")
    link = live.api("POST", f"/users/{person['id']}/access-link", desk, json={"label": "link"}).json()
    browser = Browser(live, link["url"])
    try:
        assert browser.join(room["meeting"])["ok"]
        poll = live.api("POST", f"/motions/{_motion(live, room, room['open_item'])}/polls", room["chair"]).json()
        assert browser.wait_for("poll.opened")["poll"]["id"] == poll["id"]

        assert live.api("DELETE", f"/tokens/{link['id']}", desk).status_code == 204
        # the revoking request answers only after the cut: what is sent from now on misses the browser
        assert live.api("POST", f"/polls/{poll['id']}/close", room["chair"]).status_code == 200
        assert browser.cut.wait(10), "the link was revoked, but the browser's connection is still open"
        assert "poll.closed" not in browser.names()
        assert browser.web.get(f"{live.url}/api/v1/me", timeout=10).status_code == 401
    finally:
        if browser.client.connected:
            browser.close()


def test_the_server_log_carries_no_ballot_of_a_secret_poll(app, demo, database_url, tmp_path):
    """Even at DEBUG level, nothing the server writes pairs a voter with a secret ballot."""
    with running_server(database_url, str(tmp_path / "debug"), log_level="DEBUG") as server:
        desk = server.login(SECRETARIAT)
        participants = server.api("GET", f"/meetings/{demo}/participants", desk).json()
        users = {u["id"]: u["email"] for u in server.api("GET", "/users", desk).json()}
        delegates = [p for p in participants if p["group"] == "excom_member"]
        for p in delegates:
            server.api("POST", f"/meetings/{demo}/attendance", desk, json={"user_id": p["user_id"]})
        item = server.api("GET", f"/meetings/{demo}", desk).json()["sessions"][0]["items"][3]["id"]
        motion = server.api("POST", f"/items/{item}/motions", desk,
                            json={"kind": "general", "title": "Secret", "secret": True}).json()
        chair = server.login(CHAIR)
        poll = server.api("POST", f"/motions/{motion['id']}/polls", chair).json()
        receipts = [server.api("POST", f"/polls/{poll['id']}/votes", server.login(users[p["user_id"]]),
                               json={"choice": "no"}).json()["receipt"] for p in delegates]
        phone = Phone(server, server.login("almaty@excom.example.org"))
        phone.join(demo)
        server.api("POST", f"/polls/{poll['id']}/close", chair)
        hang_up(phone)
    log = server.output()
    assert "serving on" in log  # the log was captured
    assert not any(receipt in log for receipt in receipts)
    assert '"no"' not in log and "'no'" not in log


def test_the_result_event_leaves_the_roll_call_to_the_api(live, room):
    """poll.closed goes to every phone: it carries the outcome, not one line per member."""
    phone = Phone(live, room["tokens"]["Chengdu"])
    try:
        phone.join(room["meeting"])
        motion = _motion(live, room, room["open_item"])
        poll = live.api("POST", f"/motions/{motion}/polls", room["chair"]).json()
        phone.vote(poll["id"], "yes")
        live.api("POST", f"/polls/{poll['id']}/close", room["chair"])
        heard = phone.wait_for("poll.closed", poll_id=poll["id"])["result"]
        assert "votes" not in heard and heard["roll_call"] == f"/api/v1/polls/{poll['id']}"
        assert heard["counts"]["yes"] == 1
        roll_call = live.api("GET", f"/polls/{poll['id']}", room["tokens"]["Chengdu"]).json()["result"]["votes"]
        assert [(v["member"], v["choice"]) for v in roll_call] == [("Chengdu", "yes")]
    finally:
        hang_up(phone)


def test_a_page_on_another_site_cannot_open_a_live_connection(live):
    """Cross-site WebSocket hijacking: the Engine.IO handshake refuses a foreign Origin and
    accepts the app's own (websocket-client sends exactly the Origin it is given)."""
    import websocket
    url = live.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(url, origin="http://evil.example", timeout=10)
    assert refused.value.status_code == 400
    own = websocket.create_connection(url, origin=live.url, timeout=10)
    assert own.recv().startswith("0{")  # Engine.IO's open packet: the handshake went through
    own.close()


HOSTILE_VOTES = [{"poll_id": 10**30, "choice": "yes"}, {"poll_id": -1, "choice": "yes"}, {"poll_id": 2**63},
                 {"poll_id": "1", "choice": "yes"}, {"poll_id": True, "choice": "yes"}, {"poll_id": 1.5},
                 [1, 2], "vote", None, 10**30]


@pytest.mark.both_databases  # a batch with garbage in it: each database's rollback of one vote
def test_a_hostile_phone_costs_no_honest_delegate_their_vote(live, room):
    """While the twelve delegates vote, the press fires votes for polls that cannot exist
    (10**30, which no database integer holds) and a delegate's second phone fires choices no
    ballot accepts ("²", [[9]], a 5,000-digit number) and a deeply nested frame: each of those
    gets its own error, and all twelve honest votes are recorded and acknowledged."""
    motion = _motion(live, room, room["open_item"])
    poll = live.api("POST", f"/motions/{motion}/polls", room["chair"]).json()
    phones = {city: Phone(live, token) for city, token in room["tokens"].items()}
    press = Phone(live, live.login(OBSERVER))
    careless = Phone(live, room["tokens"]["Almaty"])  # the same delegate, a second phone
    bad_choices = ["²", "①", "1" * 5000, True, [[9]], [{"a": 1}], {"a": 1}, 10**30, "yes " * 100]
    hostile_acks, done = [], threading.Event()

    def fire():
        for n in range(400):
            if done.is_set() and n >= 40:
                return
            press.client.emit("vote", HOSTILE_VOTES[n % len(HOSTILE_VOTES)], callback=hostile_acks.append)
            careless.client.emit("vote", {"poll_id": poll["id"], "choice": bad_choices[n % len(bad_choices)]},
                                 callback=hostile_acks.append)
            if n % 20 == 0:  # a frame nested too deeply for any JSON parser's recursion
                careless.client.eio.send("2" + '["vote",' + "[" * 50000 + "]" * 50000 + "]")
                press.client.emit("join", {"meeting_id": 10**30}, callback=hostile_acks.append)
            time.sleep(0.002)

    try:
        attacker = threading.Thread(target=fire)
        attacker.start()
        with ThreadPoolExecutor(max_workers=12) as pool:
            acks = dict(zip(CITIES, pool.map(lambda city: phones[city].vote(poll["id"], "yes"), CITIES)))
        done.set()
        attacker.join(60)
        assert {city: ack.get("ok") for city, ack in acks.items()} == {city: True for city in CITIES}, acks
        deadline = time.monotonic() + 30
        while len(hostile_acks) < 80 and time.monotonic() < deadline:
            time.sleep(0.05)
        codes = {ack["error"]["code"] for ack in hostile_acks}
        assert len(hostile_acks) >= 80 and codes <= {"not_found", "invalid", "already_voted"}, codes
        result = live.api("POST", f"/polls/{poll['id']}/close", room["chair"]).json()["result"]
        assert result["counts"] == {"yes": 12, "no": 0, "abstain": 0}
        assert live.process.poll() is None  # the server is still there
    finally:
        hang_up(*phones.values(), press, careless)


def test_live_events_with_ids_out_of_range_are_answered_not_found(live, room):
    phone = Phone(live, room["tokens"]["Cuenca"])
    try:
        for meeting_id in (10**30, 2**63, 2**31, -1, 0, "1", True, 1.5, None, [1], {"id": 1}):
            answer = phone.join(meeting_id)
            assert answer["error"]["code"] == "not_found", (meeting_id, answer)
        for poll_id in (10**30, 2**63, 2**31, -1, 0, "1", True, 1.5, None):
            answer = phone.vote(poll_id, "yes")
            assert answer["error"]["code"] == "not_found", (poll_id, answer)
        assert phone.join(room["meeting"])["ok"] is True  # the same connection, still good
    finally:
        hang_up(phone)


def test_deeply_nested_bodies_are_refused_and_the_server_carries_on(live, room):
    """"[" * 50000 to a real server (gevent, one process): a 400 each time, and the next vote
    and page are answered as usual."""
    deep = "[" * 50000
    for path in ("/members", "/auth/login", f"/meetings/{room['meeting']}/attendance", "/polls/1/votes"):
        answer = requests.post(f"{live.url}/api/v1{path}", data=deep, timeout=60, headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {room['desk']}"})
        assert answer.status_code == 400 and answer.json()["error"]["code"] == "bad_request", answer.text
    motion = _motion(live, room, room["open_item"])
    poll = live.api("POST", f"/motions/{motion}/polls", room["chair"]).json()
    vote = live.api("POST", f"/polls/{poll['id']}/votes", room["tokens"]["Kampala"], json={"choice": "no"})
    assert vote.status_code == 201
    assert requests.get(f"{live.url}/login", timeout=10).status_code == 200
    assert live.process.poll() is None
