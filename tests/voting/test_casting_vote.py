"""The chair sees the tie first, then gives the casting vote: POST /polls/{id}/casting-vote.

A host-city round between Makati and Abuja closes 2–2 (eight members abstain); the motion is
still pending. The chair's casting vote for Abuja elects it from the same ballots: the counts
stay 2–2, the motion gets its resolution number, Abuja is the next host, the trail says who
broke the tie, the room hears the new result, and the recount still holds."""
import pytest

from governance.cli import main
from governance.extensions import db, socketio
from tests.voting.scene import CITIES, DEMO_PASSWORD, OBSERVER, Room


@pytest.fixture
def room(demo, api):
    room = Room(api, demo)
    room.check_in(*CITIES)
    return room


def host_city_round(room, votes, *, candidates=("Makati", "Abuja"), method="exhaustive", title="Host city 2025"):
    """A host-city motion put to the vote, `votes` cast by the first cities in turn, the poll closed."""
    ids = [room.members[name] for name in candidates]
    motion = room.motion("Approval of Host City of the EXCOM Meeting 2025", kind="host_city", title=title,
                         candidates=ids, method=method)
    poll = room.open_poll(motion["id"]).get_json()
    for city, name in zip(CITIES, votes):
        choice = "abstain" if name == "abstain" else room.members[name]
        if method == "irv" and choice != "abstain":
            choice = [choice]
        assert room.vote(poll["id"], city, choice).status_code == 201
    return motion, poll, room.close(poll["id"])


def casting_vote(client, poll_id, value):
    return client.post(f"/polls/{poll_id}/casting-vote", json={"casting_vote": value})


def refusal(answer):
    return answer.status_code, answer.get_json()["error"]["code"]


def test_the_chair_breaks_a_two_all_tie_and_abuja_hosts(room, app, runner):
    makati, abuja = room.members["Makati"], room.members["Abuja"]
    motion, poll, tied = host_city_round(room, ["Makati", "Abuja", "Makati", "Abuja"] + ["abstain"] * 8)
    assert (tied["status"], tied["winner"], tied["casting_vote"]) == ("tied", None, None)
    assert tied["counts"] == {str(makati): 2, str(abuja): 2, "abstain": 8}
    assert "resolution_number" not in tied
    assert room.desk.get(f"/motions/{motion['id']}").get_json()["status"] == "pending"

    phone = socketio.test_client(app, auth={"token": room.delegate("Almaty").token})
    assert phone.emit("join", {"meeting_id": room.meeting_id}, callback=True)["ok"] is True
    phone.get_received()

    answer = casting_vote(room.chair, poll["id"], abuja)
    assert answer.status_code == 200, answer.get_json()
    result = answer.get_json()["result"]
    assert (result["status"], result["winner"], result["casting_vote"]) == ("elected", abuja, abuja)
    assert result["counts"] == tied["counts"]  # the members' votes stay as they were cast
    assert result["resolution_number"] == "EXCOM 2024/R1"
    assert result["ballots_digest"] == tied["ballots_digest"]
    assert (result["present"], result["quorate"]) == (tied["present"], True)
    assert room.chair.get(f"/polls/{poll['id']}").get_json()["result"] == result

    decided = room.desk.get(f"/motions/{motion['id']}").get_json()
    assert (decided["status"], decided["resolution_number"], decided["winner"]) == ("elected", "EXCOM 2024/R1", abuja)
    assert [(r["round"], r["status"]) for r in decided["rounds"]] == [(1, "elected")]
    assert room.desk.get(f"/meetings/{room.meeting_id}").get_json()["next_host_id"] == abuja

    trail = room.desk.get(f"/meetings/{room.meeting_id}/audit").get_json()
    event = next(e for e in trail if e["action"] == "poll.casting_vote")
    chair_id = room.chair.get("/me").get_json()["id"]
    assert (event["actor_id"], event["subject_id"]) == (chair_id, poll["id"])
    assert event["before"]["status"] == "tied"
    assert (event["after"]["casting_vote"], event["after"]["status"]) == (abuja, "elected")
    actions = [e["action"] for e in trail]
    assert actions.index("poll.casting_vote") < actions.index("motion.elected")

    heard = [p["args"][0] for p in phone.get_received() if p["name"] == "poll.closed"]
    assert len(heard) == 1 and heard[0]["poll_id"] == poll["id"]
    assert (heard[0]["result"]["status"], heard[0]["result"]["winner"]) == ("elected", abuja)
    assert "votes" not in heard[0]["result"] and heard[0]["result"]["roll_call"] == f"/api/v1/polls/{poll['id']}"
    phone.disconnect()

    recount = runner.invoke(main, ["audit", "recount"])
    assert recount.exit_code == 0, recount.output
    assert "recount holds for all 1 closed polls" in recount.output
    verify = runner.invoke(main, ["audit", "verify"])
    assert verify.exit_code == 0, verify.output


def test_the_recount_counts_with_the_casting_vote_the_trail_recorded(room, app, runner):
    """The recount judges the ballots with the casting vote of the `poll.casting_vote` event:
    a result doctored to name another casting vote (and its winner) is not reproduced."""
    from voting.models import Poll
    from voting.recount import recount_poll
    makati, abuja = room.members["Makati"], room.members["Abuja"]
    _, poll, _ = host_city_round(room, ["Makati", "Abuja", "Makati", "Abuja"])
    assert casting_vote(room.chair, poll["id"], abuja).status_code == 200
    with app.app_context():
        stored = db.session.get(Poll, poll["id"])
        assert recount_poll(stored) == []
        stored.result = {**stored.result, "casting_vote": makati, "winner": makati}  # the published result doctored
        db.session.commit()
        assert recount_poll(stored) == [f"winner: published {makati!r}, recounted {abuja!r}",
                                        f"casting_vote: published {makati!r}, recounted {abuja!r}"]
    recount = runner.invoke(main, ["audit", "recount"])
    assert recount.exit_code == 1
    assert f"casting_vote: published {makati!r}, recounted {abuja!r}" in recount.output


def test_a_three_way_tie_keeps_the_chairs_candidate_and_the_others_go_to_a_tie_break(room, runner):
    makati, abuja, cuenca = (room.members[name] for name in ("Makati", "Abuja", "Cuenca"))
    motion, poll, tied = host_city_round(room, ["Makati", "Abuja", "Cuenca"] * 2,
                                         candidates=("Makati", "Abuja", "Cuenca"))
    assert tied["status"] == "tied"
    result = casting_vote(room.chair, poll["id"], cuenca).get_json()["result"]
    assert (result["status"], result["casting_vote"]) == ("runoff", cuenca)
    assert result["next_round"] == {"candidates": [makati, abuja], "reason": "tie_break"}
    assert "resolution_number" not in result
    assert room.desk.get(f"/motions/{motion['id']}").get_json()["status"] == "pending"
    tie_break = room.open_poll(motion["id"]).get_json()
    assert (tie_break["round"], tie_break["reason"]) == (2, "tie_break")
    assert [c["value"] for c in tie_break["choices"]] == [makati, abuja, "abstain"]
    assert runner.invoke(main, ["audit", "recount"]).exit_code == 0


def test_the_secretariat_may_give_it_for_the_chair(room):
    """Same access as closing the poll: the secretariat runs the console when the chair cannot."""
    abuja = room.members["Abuja"]
    _, poll, _ = host_city_round(room, ["Makati", "Abuja"])
    answer = casting_vote(room.desk, poll["id"], abuja)
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["result"]["winner"] == abuja


def test_only_the_chair_or_the_secretariat_gives_it(room, api):
    abuja = room.members["Abuja"]
    motion, poll, _ = host_city_round(room, ["Makati", "Abuja"])
    assert refusal(casting_vote(room.delegate("Abuja"), poll["id"], abuja)) == (403, "forbidden")
    assert refusal(casting_vote(api.as_user(OBSERVER, DEMO_PASSWORD), poll["id"], abuja)) == (403, "forbidden")
    assert refusal(casting_vote(api, poll["id"], abuja)) == (401, "unauthorized")
    assert room.desk.get(f"/motions/{motion['id']}").get_json()["status"] == "pending"
    assert room.chair.get(f"/polls/{poll['id']}").get_json()["result"]["status"] == "tied"


def test_a_round_the_members_decided_has_no_tie_to_break(room):
    makati, abuja = room.members["Makati"], room.members["Abuja"]
    motion, poll, result = host_city_round(room, ["Makati", "Makati", "Abuja"])
    assert result["status"] == "elected"
    answer = casting_vote(room.chair, poll["id"], abuja)
    assert refusal(answer) == (409, "already_decided")
    assert room.desk.get(f"/motions/{motion['id']}").get_json()["winner"] == makati


def test_a_tie_already_broken_is_not_broken_again(room):
    makati, abuja = room.members["Makati"], room.members["Abuja"]
    motion, poll, _ = host_city_round(room, ["Makati", "Abuja"])
    assert casting_vote(room.chair, poll["id"], abuja).status_code == 200
    assert refusal(casting_vote(room.chair, poll["id"], makati)) == (409, "already_decided")
    decided = room.desk.get(f"/motions/{motion['id']}").get_json()
    assert (decided["winner"], decided["resolution_number"]) == (abuja, "EXCOM 2024/R1")


def test_a_round_that_is_not_tied_or_not_closed_takes_no_casting_vote(room):
    makati, abuja, cuenca = (room.members[name] for name in ("Makati", "Abuja", "Cuenca"))
    # a run-off (Cuenca last) is not a tie, and the motion is still pending
    motion, poll, result = host_city_round(room, ["Makati", "Makati", "Abuja", "Abuja", "Cuenca"],
                                      candidates=("Makati", "Abuja", "Cuenca"))
    assert result["status"] == "runoff"
    assert refusal(casting_vote(room.chair, poll["id"], makati)) == (409, "not_tied")
    # an open poll is closed first
    next_round = room.open_poll(motion["id"]).get_json()
    assert refusal(casting_vote(room.chair, next_round["id"], makati)) == (409, "poll_open")
    room.close(next_round["id"])
    # nobody voted for anyone: a round the members left empty is held again, not settled by the chair
    _, empty, result = host_city_round(room, ["abstain"] * 3, title="Host city 2026")
    assert (result["status"], result["cast"]) == ("tied", 0)
    assert refusal(casting_vote(room.chair, empty["id"], abuja)) == (409, "not_tied")


def test_a_tie_put_to_the_members_again_is_superseded(room):
    abuja = room.members["Abuja"]
    motion, poll, _ = host_city_round(room, ["Makati", "Abuja"])
    again = room.open_poll(motion["id"]).get_json()
    assert (again["round"], again["reason"]) == (2, "repeat")
    room.close(again["id"])  # tied again, 0–0
    assert refusal(casting_vote(room.chair, poll["id"], abuja)) == (409, "superseded")


def test_the_casting_vote_goes_to_a_level_candidate(room):
    makati, abuja, cuenca = (room.members[name] for name in ("Makati", "Abuja", "Cuenca"))
    motion, poll, _ = host_city_round(room, ["Makati", "Abuja"])
    for value in (cuenca, 999999):  # a member who is not on this ballot, and no member at all
        answer = casting_vote(room.chair, poll["id"], value)
        assert refusal(answer) == (422, "invalid")
        assert "casting_vote" in answer.get_json()["error"]["fields"]
    for body in ({"casting_vote": str(abuja)}, {"casting_vote": None}, {}, {"casting_vote": True}):
        answer = room.chair.post(f"/polls/{poll['id']}/casting-vote", json=body)
        assert refusal(answer) == (422, "invalid") and "casting_vote" in answer.get_json()["error"]["fields"], body
    assert room.chair.get(f"/polls/{poll['id']}").get_json()["result"]["status"] == "tied"
    assert room.desk.get(f"/motions/{motion['id']}").get_json()["status"] == "pending"


def ranked_round(room, rankings):
    """An instant-runoff host-city motion between Makati, Abuja and Cuenca; `rankings` (lists
    of names, or "abstain") cast by the first cities in turn; the poll closed."""
    ids = {name: room.members[name] for name in ("Makati", "Abuja", "Cuenca")}
    motion = room.motion("Approval of Host City of the EXCOM Meeting 2025", kind="host_city", title="Host city",
                         candidates=list(ids.values()), method="irv", secret=True)
    poll = room.open_poll(motion["id"]).get_json()
    for city, ranking in zip(CITIES, rankings):
        choice = "abstain" if ranking == "abstain" else [ids[name] for name in ranking]
        assert room.vote(poll["id"], city, choice).status_code == 201
    return motion, poll, room.close(poll["id"]), ids


def test_an_instant_runoff_tie_for_last_is_settled_by_the_chair(room, runner):
    """Abuja and Cuenca tie for last with 3 each and there is no earlier round to separate them:
    the count stops and says who is level; the chair keeps Cuenca, Abuja is eliminated, and
    Abuja's ballots elect Cuenca in round 2, each round with its own threshold."""
    rankings = [["Makati"]] * 4 + [["Abuja", "Cuenca"]] * 3 + [["Cuenca", "Abuja"]] * 3 + ["abstain"] * 2
    motion, poll, tied, ids = ranked_round(room, rankings)
    assert (tied["status"], tied["winner"]) == ("tied", None)
    assert tied["level"] == [ids["Abuja"], ids["Cuenca"]]
    assert tied["rounds"] == [{"round": 1, "counts": {str(ids["Makati"]): 4, str(ids["Abuja"]): 3,
                                                      str(ids["Cuenca"]): 3},
                               "counting": 10, "exhausted": 0, "threshold": 6, "eliminated": [],
                               "continuing": list(ids.values()), "level": [ids["Abuja"], ids["Cuenca"]],
                               "casting_votes": []}]
    assert refusal(casting_vote(room.chair, poll["id"], ids["Makati"])) == (422, "invalid")  # Makati is not level

    decided = casting_vote(room.chair, poll["id"], ids["Cuenca"])
    assert decided.status_code == 200, decided.get_json()
    result = decided.get_json()["result"]
    assert (result["status"], result["winner"], result["casting_vote"]) == ("elected", ids["Cuenca"], [ids["Cuenca"]])
    first, second = result["rounds"]
    assert (first["eliminated"], first["casting_votes"], first["threshold"]) == ([ids["Abuja"]], [ids["Cuenca"]], 6)
    assert second["counts"] == {str(ids["Makati"]): 4, str(ids["Cuenca"]): 6}
    assert (second["counting"], second["threshold"], second["exhausted"]) == (10, 6, 0)
    # the published threshold is the deciding round's, with its counts: the winner is not below the line
    assert (result["threshold"], result["counts"][str(ids["Cuenca"])]) == (6, 6)
    assert (result["ballots"], result["cast"], result["abstain"]) == (12, 10, 2)
    motion = room.desk.get(f"/motions/{motion['id']}").get_json()
    assert (motion["status"], motion["winner"]) == ("elected", ids["Cuenca"])
    assert refusal(casting_vote(room.chair, poll["id"], ids["Cuenca"])) == (409, "already_decided")
    recount = runner.invoke(main, ["audit", "recount"])
    assert recount.exit_code == 0, recount.output


def test_three_level_candidates_take_two_casting_votes(room):
    rankings = [["Makati", "Abuja"]] * 3 + [["Abuja", "Cuenca"]] * 3 + [["Cuenca", "Makati"]] * 3
    _, poll, tied, ids = ranked_round(room, rankings)
    assert tied["level"] == list(ids.values())
    still = casting_vote(room.chair, poll["id"], ids["Abuja"]).get_json()["result"]
    assert (still["status"], still["level"], still["casting_vote"]) == (
        "tied", [ids["Makati"], ids["Cuenca"]], [ids["Abuja"]])
    assert refusal(casting_vote(room.chair, poll["id"], ids["Abuja"])) == (422, "invalid")  # no longer level
    done = casting_vote(room.chair, poll["id"], ids["Makati"]).get_json()["result"]
    assert [r["eliminated"] for r in done["rounds"]] == [[ids["Cuenca"]], []]
    assert done["rounds"][0]["casting_votes"] == [ids["Abuja"], ids["Makati"]]
    assert (done["status"], done["winner"]) == ("elected", ids["Makati"])  # Cuenca's 3 went to Makati: 6 of 9


def test_an_instant_runoff_without_a_counted_ballot_takes_no_casting_vote(room):
    _, poll, tied, ids = ranked_round(room, ["abstain"] * 4)
    assert (tied["status"], tied["level"]) == ("tied", [])
    assert refusal(casting_vote(room.chair, poll["id"], ids["Makati"])) == (409, "not_tied")


def test_closing_an_instant_runoff_with_a_casting_vote_is_refused(room):
    """It used to be accepted and silently ignored."""
    makati = room.members["Makati"]
    motion = room.motion("Approval of Host City of the EXCOM Meeting 2025", kind="host_city", title="Host city",
                         candidates=[makati, room.members["Abuja"]], method="irv")
    poll = room.open_poll(motion["id"]).get_json()
    answer = room.chair.post(f"/polls/{poll['id']}/close", json={"casting_vote": makati})
    assert refusal(answer) == (422, "invalid") and "casting_vote" in answer.get_json()["error"]["fields"]
    assert room.chair.get(f"/polls/{poll['id']}").get_json()["status"] == "open"


def test_after_adjournment_the_tie_stands(room):
    abuja = room.members["Abuja"]
    motion, poll, _ = host_city_round(room, ["Makati", "Abuja"])
    assert room.chair.post(f"/meetings/{room.meeting_id}/adjourn").status_code == 200
    assert refusal(casting_vote(room.chair, poll["id"], abuja)) == (409, "adjourned")
    assert room.desk.get(f"/motions/{motion['id']}").get_json()["status"] == "pending"


def test_the_stored_result_of_a_close_keeps_its_resolution_number(room):
    """The close answered the resolution number but the poll did not keep it: GET showed none."""
    _, poll, result = host_city_round(room, ["Makati", "Makati", "Abuja"])
    assert result["resolution_number"] == "EXCOM 2024/R1"
    assert room.chair.get(f"/polls/{poll['id']}").get_json()["result"]["resolution_number"] == "EXCOM 2024/R1"
