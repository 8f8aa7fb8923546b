"""Poll results as voting stores them, turned into the memorandum's rounds (no database)."""
from datetime import UTC, datetime
from types import SimpleNamespace

from minutes.collect import motion_record, poll_records

CLOSED = datetime(2024, 9, 20, 9, 30, tzinfo=UTC)
QUORUM = {"voting_members": 12, "present": 11, "required": 7, "quorate": True}


def candidate(value, label):
    return SimpleNamespace(value=value, id=value + 100, label=label)


def motion(**fields):
    base = dict(kind="host_city", title="Host city", text="That ...", majority="simple", secret=True,
                multi_candidate=True, candidates=[candidate(1, "Makati"), candidate(2, "Abuja"),
                                                  candidate(3, "Cuenca")],
                status="elected", moved_by=None, seconded_by=None, resolution_number="EXCOM 2024/R2", member=None,
                current_text=None, proposed_text=None, memorandum_meeting_id=None)
    base.update(fields)
    return SimpleNamespace(**base)


def poll(result, *, method="exhaustive", round_=1, reason="first", secret=True):
    return SimpleNamespace(status="closed", result=result, quorum_at_open=QUORUM, quorum_at_close=QUORUM,
                           eligible_count=12, secret=secret, method=method, round=round_, reason=reason,
                           closed_at=CLOSED, id=round_)


def test_an_instant_runoff_shows_every_round_with_its_own_threshold_and_the_winner():
    result = {"status": "elected", "counts": {"1": 6, "2": 4, "abstain": 1}, "cast": 11, "abstain": 1,
              "ballots": 12, "eligible": 12, "threshold": 6, "winner": 1, "rule": "irv",
              "rounds": [{"round": 1, "counts": {"1": 5, "2": 4, "3": 2}, "counting": 11, "exhausted": 0,
                          "threshold": 6, "eliminated": [3], "level": [], "casting_votes": []},
                         {"round": 2, "counts": {"1": 6, "2": 4}, "counting": 10, "exhausted": 1,
                          "threshold": 6, "eliminated": [], "level": [], "casting_votes": []}]}
    records = poll_records(motion(method="irv"), [poll(result, method="irv")])
    assert [r.round_label for r in records] == ["Instant-runoff count, round 1", "Instant-runoff count, round 2"]
    assert [(c.choice, c.votes) for c in records[0].counts] == [("Makati", 5), ("Abuja", 4), ("Cuenca", 2)]
    assert records[0].outcome == "runoff" and records[0].note == "Eliminated: Cuenca."
    assert records[1].outcome == "elected" and records[1].elected == "Makati"
    assert records[0].quorum.present == 11 and records[1].quorum is None
    assert [(r.cast, r.exhausted, r.abstentions, r.ballots) for r in records] == [(11, 0, 1, 12), (10, 1, 1, 12)]
    assert records[1].threshold_text.startswith(
        "Required: more than half of the 10 ballots still counting in this round: at least 6.")


def test_repeated_instant_runoff_votes_are_numbered_and_a_casting_vote_is_recorded():
    level = {"status": "tied", "counts": {"1": 4, "2": 3, "3": 3, "abstain": 0}, "cast": 10, "abstain": 0,
             "ballots": 10, "threshold": 6, "winner": None, "level": [2, 3],
             "rounds": [{"round": 1, "counts": {"1": 4, "2": 3, "3": 3}, "counting": 10, "exhausted": 0,
                         "threshold": 6, "eliminated": [], "level": [2, 3], "casting_votes": []}]}
    settled = {**level, "status": "elected", "winner": 3, "level": [], "casting_vote": [3],
               "rounds": [{**level["rounds"][0], "eliminated": [2], "casting_votes": [3]},
                          {"round": 2, "counts": {"1": 4, "3": 6}, "counting": 10, "exhausted": 0,
                           "threshold": 6, "eliminated": [], "level": [], "casting_votes": []}]}
    void = {**level, "status": "void", "level": []}
    records = poll_records(motion(method="irv"), [poll(void, method="irv"),
                                                  poll(level, method="irv", round_=2, reason="repeat"),
                                                  poll(settled, method="irv", round_=3, reason="repeat")])
    assert [r.round_label for r in records] == [
        "Vote 1, instant-runoff count round 1", "Vote 2 (repeated vote), instant-runoff count round 1",
        "Vote 3 (repeated vote), instant-runoff count round 1", "Vote 3 (repeated vote), instant-runoff count round 2"]
    assert records[1].outcome == "tied"
    assert records[1].note == ("Abuja and Cuenca are level for last place and the earlier rounds do not separate "
                               "them: the count awaits the chair's casting vote.")
    assert records[2].note == ("Abuja and Cuenca were level for last place and the earlier rounds did not separate "
                               "them; the chair's casting vote kept Cuenca. Eliminated: Abuja.")
    assert (records[3].outcome, records[3].elected) == ("elected", "Cuenca")


def test_exhaustive_rounds_with_a_tie_break_and_a_void_yes_no_vote():
    tie = {"status": "runoff", "counts": {"1": 5, "2": 3, "3": 3, "abstain": 0}, "cast": 11, "abstain": 0,
           "threshold": 6, "threshold_text": "more than half of the valid votes: at least 6",
           "next_round": {"candidates": [2, 3], "reason": "tie_break"}}
    breaker = {"status": "runoff", "counts": {"2": 7, "3": 4, "abstain": 0}, "cast": 11, "abstain": 0,
               "threshold": 0, "threshold_text": "tie-break round: the candidate with fewest votes is eliminated",
               "next_round": {"candidates": [1, 2], "reason": "elimination"}}
    records = poll_records(motion(), [poll(tie), poll(breaker, round_=2, reason="tie_break")])
    assert [r.round_label for r in records] == ["Round 1", "Round 2 (tie-break)"]
    assert records[0].note == "A tie for the fewest votes: a tie-break round among Abuja and Cuenca follows."
    assert records[1].note == "No candidate reached the threshold; the next round is between Makati and Abuja."

    void = {"status": "void", "counts": {"yes": 3, "no": 1, "abstain": 0}, "cast": 4, "abstain": 0,
            "threshold": 2, "threshold_text": "simple majority of votes cast: at least 2 yes", "quorate": False}
    yes_no = motion(kind="general", multi_candidate=False, candidates=[], secret=True, status="pending",
                    resolution_number=None)
    record = motion_record(yes_no, [poll(void, method="yes_no")])
    assert record.outcome == "pending" and record.polls[0].outcome == "void"
    assert [(c.choice, c.votes) for c in record.polls[0].counts] == [("Yes", 3), ("No", 1)]
    assert "not quorate" in record.polls[0].note
    assert record.majority == "simple majority of the votes cast"
    assert record.polls[0].threshold_text == ("Required: simple majority of votes cast: at least 2 yes. "
                                              "Abstentions are not votes cast.")


def test_a_round_the_chair_settled_by_casting_vote_says_so():
    result = {"status": "elected", "counts": {"1": 6, "2": 6}, "cast": 12, "abstain": 0, "eligible": 12,
              "threshold": 7, "winner": 2, "casting_vote": 2,
              "threshold_text": "more than half of the valid votes (abstentions excluded)"}
    record, = poll_records(motion(candidates=[candidate(1, "Makati"), candidate(2, "Abuja")]), [poll(result)])
    assert (record.outcome, record.elected) == ("elected", "Abuja")
    assert record.note == "The votes were tied; the chair gave the casting vote to Abuja."
