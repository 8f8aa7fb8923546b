"""Two installations sharing one Redis: each one's live events travel on its own channel."""
import time

import pytest
import redis

from governance import create_app
from governance.extensions import socketio

REDIS_URL = "redis://127.0.0.1:6379/0"


def test_live_events_travel_on_the_installation_s_own_channel(tmp_path):
    try:
        listener = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        listener.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis not reachable at 127.0.0.1:6379: {error}")
    ours, theirs = f"excom-test-ours-{time.time_ns()}", f"excom-test-theirs-{time.time_ns()}"
    subscription = listener.pubsub(ignore_subscribe_messages=True)
    subscription.subscribe(ours, theirs)
    app = create_app({"EXCOM_DATABASE_URL": f"sqlite:///{tmp_path / 'excom.sqlite3'}",
                      "EXCOM_INSTANCE_PATH": str(tmp_path), "EXCOM_REDIS_URL": REDIS_URL,
                      "EXCOM_REDIS_CHANNEL": ours})
    with app.app_context():
        socketio.emit("agenda.current", {"meeting_id": 1, "item": None}, to="meeting-1-members")

    heard, deadline = [], time.monotonic() + 10
    while not heard and time.monotonic() < deadline:
        message = subscription.get_message(timeout=0.5)
        if message:
            heard.append(message["channel"].decode())
    subscription.close()
    assert heard == [ours]
