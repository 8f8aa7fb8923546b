"""A memorandum build never freezes the server: a real `excom serve` (gevent, one process)
answers votes and pages while it builds a memorandum with a note of 100,000 characters."""
import threading
import time

import pytest
import requests

from tests.live import running_server
from tests.voting.scene import CHAIR, SECRETARIAT

# both databases: a long build beside votes: SQLite's one writer against PostgreSQL's row locks
pytestmark = [pytest.mark.live, pytest.mark.both_databases]

LONG_NOTE = "a\n\n" * 33_333 + "a"  # the case: 100,000 characters (the most a note may hold), 33,334 paragraphs


def test_votes_and_pages_are_answered_while_a_long_memorandum_builds(app, demo, database_url, tmp_path):
    """Compared within one run, not against a clock: while the build runs, the longest wait
    between two answers to the other requests is a small part of the build's own time (when the
    build held the event loop, that wait was the whole build: 20 s for this note)."""
    with running_server(database_url, str(tmp_path / "server")) as server:
        desk, chair = server.login(SECRETARIAT), server.login(CHAIR)
        meeting = server.api("GET", f"/meetings/{demo}", desk).json()
        item = meeting["sessions"][0]["items"][3]["id"]
        assert server.api("PUT", f"/items/{item}/notes", desk, json={"text": LONG_NOTE}).status_code == 200
        participants = server.api("GET", f"/meetings/{demo}/participants", desk).json()
        users = {u["id"]: u["email"] for u in server.api("GET", "/users", desk).json()}
        delegates = [p["user_id"] for p in participants if p["group"] == "excom_member"]
        for user_id in delegates:
            server.api("POST", f"/meetings/{demo}/attendance", desk, json={"user_id": user_id, "mode": "online"})
        voters = [server.login(users[user_id]) for user_id in delegates]
        motion = server.api("POST", f"/items/{item}/motions", desk, json={"kind": "general", "title": "To note"})
        poll = server.api("POST", f"/motions/{motion.json()['id']}/polls", chair).json()

        built, answers, votes = {}, [], []

        def build():
            built["started"] = time.monotonic()
            built["answer"] = server.api("POST", f"/meetings/{demo}/memorandum", desk)
            built["ended"] = time.monotonic()

        builder = threading.Thread(target=build)
        builder.start()
        web = requests.Session()
        while builder.is_alive():  # other people's requests, one after another, until the build answers
            if len(votes) < len(voters):
                voter = voters[len(votes)]
                votes.append(server.api("POST", f"/polls/{poll['id']}/votes", voter, json={"choice": "yes"}))
            else:
                web.get(f"{server.url}/api/v1/polls/{poll['id']}", headers={"Authorization": f"Bearer {chair}"},
                        timeout=60)
                web.get(f"{server.url}/login", timeout=60)
            answers.append(time.monotonic())
        builder.join()

    assert built["answer"].status_code == 201, built["answer"].text
    building = built["ended"] - built["started"]
    during = [built["started"]] + [t for t in answers if built["started"] < t < built["ended"]] + [built["ended"]]
    longest_wait = max(later - earlier for earlier, later in zip(during, during[1:]))
    assert longest_wait < building / 3, (longest_wait, building, len(during))
    assert [vote.status_code for vote in votes] == [201] * len(voters)
