"""A server killed in the middle of a burst of votes loses no acknowledged vote and counts
nothing twice; after a restart the poll goes on and closes correctly."""
import os
import signal
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from governance.auth.models import AccessToken
from governance.cli import main
from governance.extensions import db
from governance.meetings import operations as meeting_ops
from tests.live import running_server

# both databases: what each database keeps of a killed server's acknowledged votes
pytestmark = [pytest.mark.live, pytest.mark.both_databases]
VOTERS = 120


@pytest.fixture
def assembly(app, make):
    """An assembly of 120 voting members, every delegate checked in, with a token each."""
    with app.app_context():
        meeting = make.meeting("Assembly", sessions=(("Plenary", "open"),))
        chair = make.user(email="chair@example.org")
        make.participant(meeting, chair, group="guest", chair=True)
        desk = make.user(email="desk@example.org", roles=["secretariat"])
        tokens = {}
        for n in range(VOTERS):
            delegate = make.delegate(meeting, f"Member city {n:03d}")
            meeting_ops.record_attendance(meeting, actor=desk, user_id=delegate.id, mode="online", present=True)
            tokens[delegate.id] = AccessToken.issue(delegate, "personal")[1]
        chair_token = AccessToken.issue(chair, "personal")[1]
        desk_token = AccessToken.issue(desk, "personal")[1]
        item_id = meeting.sessions[0].items[0].id
        db.session.commit()
    return {"tokens": tokens, "chair": chair_token, "desk": desk_token, "item": item_id}


def _vote(server, token, poll_id):
    try:
        answer = requests.post(f"{server.url}/api/v1/polls/{poll_id}/votes", json={"choice": "yes"},
                               headers={"Authorization": f"Bearer {token}"}, timeout=10)
    except requests.RequestException:
        return None  # no answer: the voter does not know whether the vote counted
    return answer


def test_sigkill_during_a_burst_loses_no_acknowledged_vote(assembly, app, database_url, tmp_path, runner):
    acknowledged: dict[int, str] = {}
    lock = threading.Lock()
    with running_server(database_url, str(tmp_path / "before")) as server:
        motion = server.api("POST", f"/items/{assembly['item']}/motions", assembly["desk"],
                            json={"kind": "general", "title": "To adopt the budget"}).json()
        poll = server.api("POST", f"/motions/{motion['id']}/polls", assembly["chair"]).json()

        def vote_and_maybe_kill(voter):
            answer = _vote(server, assembly["tokens"][voter], poll["id"])
            if answer is not None and answer.status_code == 201:
                with lock:
                    acknowledged[voter] = answer.json()["receipt"]
                    if len(acknowledged) == VOTERS // 3:
                        os.kill(server.process.pid, signal.SIGKILL)  # the power cut, mid-burst

        with ThreadPoolExecutor(max_workers=24) as pool:
            list(pool.map(vote_and_maybe_kill, assembly["tokens"]))
    assert VOTERS // 3 <= len(acknowledged) < VOTERS, "the kill must land in the middle of the burst"

    with running_server(database_url, str(tmp_path / "after")) as server:
        state = server.api("GET", f"/polls/{poll['id']}", assembly["chair"]).json()
        assert state["status"] == "open"
        assert len(acknowledged) <= state["cast"] <= VOTERS
        recovered = 0
        for voter, token in assembly["tokens"].items():
            if voter in acknowledged:
                continue
            answer = _vote(server, token, poll["id"])
            if answer.status_code == 201:
                acknowledged[voter] = answer.json()["receipt"]
            else:  # the vote was committed before the crash, only its answer was lost
                assert answer.json()["error"]["code"] == "already_voted"
                recovered += 1
        result = server.api("POST", f"/polls/{poll['id']}/close", assembly["chair"]).json()["result"]
        ballots = server.api("GET", f"/polls/{poll['id']}/ballots", assembly["chair"]).json()

    assert result["counts"] == {"yes": VOTERS, "no": 0, "abstain": 0}
    assert len(ballots) == VOTERS
    stored = {b["receipt"] for b in ballots}
    assert set(acknowledged.values()) <= stored  # every acknowledged vote is there
    assert len(stored) == len(acknowledged) + recovered
    assert runner.invoke(main, ["audit", "recount"]).exit_code == 0
    assert runner.invoke(main, ["audit", "verify"]).exit_code == 0
