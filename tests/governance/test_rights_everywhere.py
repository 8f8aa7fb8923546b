"""A change of rights reaches every server process at once, through the message queue.

Two `excom serve` processes share PostgreSQL and Redis; a delegate's phone is connected to
process B. The secretariat moves that delegate to an observer group through process A: B
hears of it through Redis (governance.realtime.RightsChannel), moves the phone out of the
closed-session room and tells it (`rights.changed`); the next closed-session vote is not
heard on that phone, while the open session's still is. The periodic sweep checks member
status, deactivation and tokens, not groups: without the channel the phone kept hearing the
closed session."""
import pytest
import redis

from tests.live import running_server
from tests.voting.scene import CHAIR, SECRETARIAT
from tests.voting.test_live import Phone, hang_up

pytestmark = [pytest.mark.live, pytest.mark.committed]
REDIS_URL = "redis://127.0.0.1:6379/0"


def test_a_delegate_moved_to_observers_on_one_process_stops_hearing_the_closed_session_on_another(
        app, demo, database_url, tmp_path):
    if not database_url.startswith("postgresql"):
        pytest.skip("several server processes run on PostgreSQL (SQLite is one process by design)")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis not reachable at 127.0.0.1:6379: {error}")
    with running_server(database_url, str(tmp_path / "a"), REDIS_URL) as a, \
            running_server(database_url, str(tmp_path / "b"), REDIS_URL) as b:
        desk, chair = a.login(SECRETARIAT), a.login(CHAIR)
        participants = a.api("GET", f"/meetings/{demo}/participants", desk).json()
        for p in participants:
            if p["group"] == "excom_member":
                a.api("POST", f"/meetings/{demo}/attendance", desk, json={"user_id": p["user_id"]})
        almaty = next(p for p in participants if p["affiliation"] == "Almaty")
        sessions = a.api("GET", f"/meetings/{demo}", desk).json()["sessions"]
        open_item, closed_item = sessions[0]["items"][3]["id"], sessions[1]["items"][5]["id"]
        phone = Phone(b, b.login("almaty@excom.example.org"))
        try:
            assert phone.join(demo)["ok"]
            moved = a.api("PATCH", f"/participants/{almaty['id']}", desk, json={"group": "observer_city"})
            assert moved.status_code == 200, moved.text
            phone.wait_for("rights.changed")  # B moved the phone's rooms, then told it

            closed = a.api("POST", f"/items/{closed_item}/motions", desk,
                           json={"kind": "general", "title": "In camera"}).json()
            closed_poll = a.api("POST", f"/motions/{closed['id']}/polls", chair).json()
            assert a.api("POST", f"/polls/{closed_poll['id']}/close", chair).status_code == 200
            opened = a.api("POST", f"/items/{open_item}/motions", desk,
                           json={"kind": "general", "title": "In the open"}).json()
            open_poll = a.api("POST", f"/motions/{opened['id']}/polls", chair).json()
            # events from A reach B in the order sent: once the open poll is heard, the closed one
            # would have been heard before it
            phone.wait_for("poll.opened")
            heard = [data["poll"]["id"] for name, data in phone.events if name == "poll.opened"]
            assert heard == [open_poll["id"]]
            assert not any(name == "poll.closed" and data.get("poll_id") == closed_poll["id"]
                           for name, data in phone.events)
        finally:
            hang_up(phone)
