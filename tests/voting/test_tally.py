"""Exhaustive ballot and instant-runoff: real elections, worked cases, properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voting.tally import IrvResult, IrvRound, RoundResult, exhaustive_round, instant_runoff

# --------------------------------------------------------------------------
# Playing an exhaustive ballot the way the chair does
# --------------------------------------------------------------------------


def play(contest: tuple, recorded: list[tuple[dict, int]]) -> list[RoundResult]:
    """Run recorded rounds through exhaustive_round, one poll after another.

    Each round's ballot is the previous result's ``next_candidates``; the test
    checks that the ballot the module asks for is the ballot that was really
    held, so a wrong elimination shows up as a mismatch, not a silent zero.
    """
    ballot, tie_break = contest, False
    results = []
    for counts, abstain in recorded:
        assert set(counts) == set(ballot), f"the module asked for a ballot of {ballot}"
        result = exhaustive_round(
            contest=contest, ballot=ballot, counts=counts, abstain=abstain, tie_break=tie_break
        )
        results.append(result)
        if result.status != "runoff":
            break
        contest = result.contest
        ballot = result.next_candidates
        tie_break = result.next_reason == "tie_break"
    assert len(results) == len(recorded), "the ballot ended before the recorded rounds did"
    return results


def test_ioc_2013_vote_for_2020_host_city_with_a_tie_for_last():
    """IOC 125th Session, Buenos Aires, 7 September 2013: Games of 2020.

    Figures as announced by the IOC ("Round 1: Tokyo 42, Istanbul 26, Madrid 26;
    Round 1 tie-breaker: Istanbul 49, Madrid 45; Round 2: Tokyo 60, Istanbul 36"),
    reproduced at https://news.germanroadraces.de/?p=38527 (source: IOC) and
    consistent with https://gamesbids.com/eng/summer-olympic-bids/2020-olympic-bid-news/
    tokyo-wins-bid-to-host-the-olympic-games-in-2020/ and
    https://will.illinois.edu/news/story/tokyo-will-host-2020-summer-olympics-beating-out-istanbul
    (NPR). No abstentions were reported.
    """
    first, tie_break, second = play(
        ("Tokyo", "Istanbul", "Madrid"),
        [
            ({"Tokyo": 42, "Istanbul": 26, "Madrid": 26}, 0),
            ({"Istanbul": 49, "Madrid": 45}, 0),
            ({"Tokyo": 60, "Istanbul": 36}, 0),
        ],
    )

    # Round 1: nobody has 48 of 94; Istanbul and Madrid tie for last.
    assert first.status == "runoff"
    assert (first.valid, first.needed) == (94, 48)
    assert first.eliminated == ()
    assert first.next_reason == "tie_break"
    assert first.next_candidates == ("Istanbul", "Madrid")
    assert first.contest == ("Tokyo", "Istanbul", "Madrid")

    # The tie-break round only eliminates: Madrid goes, Tokyo stays in.
    assert tie_break.status == "runoff"
    assert tie_break.needed == 0
    assert tie_break.winner is None
    assert tie_break.eliminated == ("Madrid",)
    assert tie_break.next_reason == "elimination"
    assert tie_break.next_candidates == ("Tokyo", "Istanbul")
    assert tie_break.contest == ("Tokyo", "Istanbul")

    # Round 2: Tokyo has 60 of 96, more than the 49 needed.
    assert second.status == "elected"
    assert (second.valid, second.needed) == (96, 49)
    assert second.winner == "Tokyo"
    assert second.next_candidates == ()
    assert second.next_reason is None


def test_ioc_2009_vote_for_2016_host_city():
    """IOC 121st Session, Copenhagen, 2 October 2009: Games of 2016.

    Round 1: Madrid 28, Rio de Janeiro 26, Tokyo 22, Chicago 18 (94 valid);
    round 2: Rio 46, Madrid 29, Tokyo 20, one abstention (96 ballots);
    round 3: Rio 66, Madrid 32, one abstention (99 ballots).
    Round figures: http://sloopin.com/2009/10/chicago-only-got-18-out-of-94-votes.html
    and the results table of https://is.wikipedia.org/wiki/Sumar%C3%B3lymp%C3%ADuleikarnir_2016;
    the abstentions and ballot totals: Luoyang Evening News, 5 October 2009,
    http://lywb.lyd.com.cn/html/2009-10/05/content_573275.htm. (One DW report gives
    Rio 49 in round 2; the other sources agree on 46, which also matches the
    96 ballots with one abstention.)
    """
    first, second, third = play(
        ("Madrid", "Rio de Janeiro", "Tokyo", "Chicago"),
        [
            ({"Madrid": 28, "Rio de Janeiro": 26, "Tokyo": 22, "Chicago": 18}, 0),
            ({"Rio de Janeiro": 46, "Madrid": 29, "Tokyo": 20}, 1),
            ({"Rio de Janeiro": 66, "Madrid": 32}, 1),
        ],
    )

    assert first.status == "runoff"
    assert (first.valid, first.needed) == (94, 48)
    assert first.eliminated == ("Chicago",)
    assert first.next_reason == "elimination"
    assert first.next_candidates == ("Madrid", "Rio de Janeiro", "Tokyo")

    assert second.status == "runoff"
    assert (second.valid, second.abstain, second.needed) == (95, 1, 48)
    assert second.eliminated == ("Tokyo",)
    assert second.next_reason == "elimination"
    assert second.next_candidates == ("Madrid", "Rio de Janeiro")

    assert third.status == "elected"
    assert (third.valid, third.abstain, third.needed) == (98, 1, 50)
    assert third.winner == "Rio de Janeiro"
    assert third.contest == ("Rio de Janeiro",)


# --------------------------------------------------------------------------
# Exhaustive ballot: worked cases
# --------------------------------------------------------------------------


def round_of(counts: dict, *, abstain: int = 0, casting_vote=None) -> RoundResult:
    """A normal round whose contest is exactly the candidates in ``counts``."""
    contest = tuple(counts)
    return exhaustive_round(
        contest=contest, ballot=contest, counts=counts, abstain=abstain, casting_vote=casting_vote
    )


def test_exactly_half_is_not_a_majority():
    result = round_of({"Ana": 5, "Ben": 3, "Cleo": 2})
    assert result.needed == 6
    assert result.status == "runoff"
    assert result.eliminated == ("Cleo",)


def test_more_than_half_elects():
    result = round_of({"Ana": 6, "Ben": 3, "Cleo": 2})
    assert (result.status, result.winner, result.needed) == ("elected", "Ana", 6)
    assert result.eliminated == ()
    assert result.contest == ("Ana",)


def test_abstentions_are_not_valid_votes():
    # 6 of 14 ballots, but 6 of the 11 votes for candidates: elected.
    result = round_of({"Ana": 6, "Ben": 5}, abstain=3)
    assert (result.valid, result.abstain, result.needed) == (11, 3, 6)
    assert (result.status, result.winner) == ("elected", "Ana")


def test_candidate_without_a_vote_is_listed_and_is_the_fewest():
    result = exhaustive_round(
        contest=(11, 12, 13, 14), ballot=(11, 12, 13, 14), counts={11: 4, 12: 3, 14: 2}
    )
    assert result.counts == {11: 4, 12: 3, 13: 0, 14: 2}
    assert result.eliminated == (13,)
    assert result.next_candidates == (11, 12, 14)


def test_two_candidates_without_votes_go_to_a_tie_break():
    result = round_of({"Ana": 4, "Ben": 4, "Cleo": 0, "Dev": 0})
    assert result.status == "runoff"
    assert result.eliminated == ()
    assert (result.next_reason, result.next_candidates) == ("tie_break", ("Cleo", "Dev"))
    assert result.contest == ("Ana", "Ben", "Cleo", "Dev")


def test_a_tie_break_round_never_elects():
    # Ana's supporters also vote in the tie-break: Ben has a majority of it,
    # but a tie-break only decides who leaves.
    result = exhaustive_round(
        contest=("Ana", "Ben", "Cleo"),
        ballot=("Ben", "Cleo"),
        counts={"Ben": 40, "Cleo": 2},
        tie_break=True,
    )
    assert (result.status, result.winner, result.needed) == ("runoff", None, 0)
    assert result.eliminated == ("Cleo",)
    assert (result.next_reason, result.next_candidates) == ("elimination", ("Ana", "Ben"))


def test_a_tie_break_round_can_narrow_to_a_smaller_tie_break():
    result = exhaustive_round(
        contest=("Ana", "Ben", "Cleo", "Dev"),
        ballot=("Ben", "Cleo", "Dev"),
        counts={"Ben": 6, "Cleo": 5, "Dev": 5},
        tie_break=True,
    )
    assert result.eliminated == ()
    assert (result.next_reason, result.next_candidates) == ("tie_break", ("Cleo", "Dev"))
    assert result.contest == ("Ana", "Ben", "Cleo", "Dev")


def test_a_level_final_is_tied_and_the_casting_vote_elects():
    tied = round_of({"Ana": 10, "Ben": 10}, abstain=2)
    assert (tied.status, tied.winner, tied.eliminated, tied.next_candidates) == (
        "tied",
        None,
        (),
        (),
    )
    assert tied.contest == ("Ana", "Ben")

    settled = round_of({"Ana": 10, "Ben": 10}, abstain=2, casting_vote="Ben")
    assert (settled.status, settled.winner, settled.contest) == ("elected", "Ben", ("Ben",))
    # The record still shows the members' tie, not the chair's vote.
    assert settled.counts == {"Ana": 10, "Ben": 10}
    assert (settled.valid, settled.needed) == (20, 11)


def test_a_level_tie_break_is_tied_and_the_casting_vote_keeps_its_candidate():
    tie_break = dict(
        contest=("Tokyo", "Istanbul", "Madrid"),
        ballot=("Istanbul", "Madrid"),
        counts={"Istanbul": 47, "Madrid": 47},
        tie_break=True,
    )
    tied = exhaustive_round(**tie_break)
    assert (tied.status, tied.eliminated, tied.next_candidates) == ("tied", (), ())
    assert tied.contest == ("Tokyo", "Istanbul", "Madrid")

    settled = exhaustive_round(**tie_break, casting_vote="Madrid")
    assert settled.status == "runoff"
    assert settled.eliminated == ("Istanbul",)
    assert (settled.next_reason, settled.next_candidates) == ("elimination", ("Tokyo", "Madrid"))


def test_casting_vote_in_a_three_way_level_tie_keeps_one_and_sends_the_rest_to_a_tie_break():
    tied = round_of({"Ana": 7, "Ben": 7, "Cleo": 7})
    assert tied.status == "tied"

    settled = round_of({"Ana": 7, "Ben": 7, "Cleo": 7}, casting_vote="Ben")
    assert settled.status == "runoff"
    assert settled.eliminated == ()
    assert (settled.next_reason, settled.next_candidates) == ("tie_break", ("Ana", "Cleo"))


def test_a_round_without_valid_votes_decides_nothing():
    result = round_of({"Ana": 0, "Ben": 0, "Cleo": 0}, abstain=9)
    assert (result.status, result.valid, result.abstain) == ("tied", 0, 9)
    assert (result.winner, result.eliminated, result.next_candidates) == (None, (), ())
    # The members decided nothing; the chair holds the round again rather than deciding alone.
    with pytest.raises(ValueError, match="no valid votes"):
        round_of({"Ana": 0, "Ben": 0, "Cleo": 0}, abstain=9, casting_vote="Ana")


def test_a_lone_candidate_with_votes_is_elected():
    assert round_of({"Ana": 3}, abstain=4).winner == "Ana"


@pytest.mark.parametrize(
    "counts, casting_vote",
    [
        pytest.param({"Ana": 6, "Ben": 5}, "Ben", id="someone-elected"),
        pytest.param({"Ana": 5, "Ben": 4, "Cleo": 3}, "Cleo", id="single-last-place"),
        pytest.param({"Ana": 5, "Ben": 3, "Cleo": 3}, "Cleo", id="tie-break-follows"),
    ],
)
def test_casting_vote_is_refused_when_the_members_decided(counts, casting_vote):
    with pytest.raises(ValueError, match="casting vote"):
        round_of(counts, casting_vote=casting_vote)


def test_casting_vote_must_name_a_level_candidate():
    with pytest.raises(ValueError, match="not level"):
        round_of({"Ana": 10, "Ben": 10}, casting_vote="Zoe")


@pytest.mark.parametrize(
    "arguments",
    [
        pytest.param(dict(contest=("A", "B"), ballot=("A", "B"), counts={"A": 1, "Z": 1}), id="vote-for-stranger"),
        pytest.param(dict(contest=("A", "B"), ballot=("A", "B"), counts={"A": -1}), id="negative-count"),
        pytest.param(dict(contest=("A", "B"), ballot=("A", "B"), counts={}, abstain=-1), id="negative-abstain"),
        pytest.param(dict(contest=("A", "B"), ballot=("A", "C"), counts={}), id="ballot-outside-contest"),
        pytest.param(dict(contest=("A", "B", "C"), ballot=("A", "B"), counts={}), id="normal-round-short-ballot"),
        pytest.param(
            dict(contest=("A", "B", "C"), ballot=("A", "B", "C"), counts={}, tie_break=True),
            id="tie-break-of-whole-contest",
        ),
        pytest.param(
            dict(contest=("A", "B", "C"), ballot=("A",), counts={}, tie_break=True),
            id="tie-break-of-one",
        ),
        pytest.param(dict(contest=("A", "A"), ballot=("A", "A"), counts={}), id="duplicate-candidate"),
        pytest.param(dict(contest=(), ballot=(), counts={}), id="nobody-standing"),
    ],
)
def test_impossible_rounds_are_refused(arguments):
    with pytest.raises(ValueError):
        exhaustive_round(**arguments)


def test_counts_must_be_whole_numbers():
    with pytest.raises(TypeError):
        round_of({"A": 2.5, "B": 1})


# --------------------------------------------------------------------------
# Exhaustive ballot: properties
# --------------------------------------------------------------------------


@st.composite
def rounds(draw, max_votes: int = 30):
    """Any legal round: a normal one, or a tie-break among part of the contest."""
    contest = tuple(draw(st.lists(st.integers(0, 99), unique=True, min_size=1, max_size=6)))
    tie_break = len(contest) >= 3 and draw(st.booleans())
    if tie_break:
        ballot = tuple(
            draw(st.lists(st.sampled_from(contest), unique=True, min_size=2, max_size=len(contest) - 1))
        )
    else:
        ballot = contest
    # Some candidates are left out of the mapping: they got no vote.
    counts = draw(
        st.dictionaries(st.sampled_from(ballot), st.integers(0, max_votes), max_size=len(ballot))
    )
    abstain = draw(st.integers(0, 10))
    return dict(contest=contest, ballot=ballot, counts=counts, abstain=abstain, tie_break=tie_break)


@given(rounds())
def test_counts_list_every_ballot_candidate(arguments):
    result = exhaustive_round(**arguments)
    assert tuple(result.counts) == arguments["ballot"]
    for candidate, votes in result.counts.items():
        assert votes == arguments["counts"].get(candidate, 0)
    assert result.valid == sum(result.counts.values())


@given(rounds())
def test_elected_candidate_has_more_than_half_of_valid_votes(arguments):
    result = exhaustive_round(**arguments)
    if result.status == "elected":
        assert not arguments["tie_break"]
        assert result.winner in arguments["ballot"]
        assert result.counts[result.winner] * 2 > result.valid
        assert result.counts[result.winner] >= result.needed
        assert result.needed == result.valid // 2 + 1
    else:
        assert result.winner is None


@given(rounds())
def test_runoff_removes_one_candidate_or_narrows_to_a_smaller_tie_break(arguments):
    contest, ballot = arguments["contest"], arguments["ballot"]
    result = exhaustive_round(**arguments)
    if result.status != "runoff":
        return
    if result.next_reason == "elimination":
        (loser,) = result.eliminated
        assert loser in ballot
        assert result.contest == tuple(c for c in contest if c != loser)
        assert result.next_candidates == result.contest
    else:
        assert result.next_reason == "tie_break"
        assert result.eliminated == ()
        assert result.contest == contest
        assert 2 <= len(result.next_candidates) < len(ballot)
        assert set(result.next_candidates) < set(ballot)
        lowest = min(result.counts.values())
        assert all(result.counts[c] == lowest for c in result.next_candidates)


@given(rounds())
def test_tied_round_changes_nothing(arguments):
    result = exhaustive_round(**arguments)
    if result.status == "tied":
        assert len(set(result.counts.values())) == 1  # everyone level, perhaps at zero
        assert (result.eliminated, result.next_candidates, result.next_reason) == ((), (), None)
        assert result.contest == arguments["contest"]


@given(st.lists(st.integers(0, 99), unique=True, min_size=1, max_size=7), st.data())
def test_a_whole_ballot_always_ends(contest, data):
    """Played round after round, a ballot ends in an election within a bounded number of rounds.

    Small vote numbers make ties common; whenever a round ties, the chair gives
    a casting vote. A round without valid votes decides nothing and would be
    held again, so the game stops there.
    """
    contest = tuple(contest)
    ballot, tie_break = contest, False
    # Each runoff shortens the contest or the tie-break ballot, so this is ample.
    for _ in range(len(contest) ** 2 + 1):
        counts = {c: data.draw(st.integers(0, 3)) for c in ballot}
        result = exhaustive_round(contest=contest, ballot=ballot, counts=counts, tie_break=tie_break)
        if result.status == "tied":
            if result.valid == 0:
                return
            result = exhaustive_round(
                contest=contest,
                ballot=ballot,
                counts=counts,
                tie_break=tie_break,
                casting_vote=data.draw(st.sampled_from(ballot)),
            )
        if result.status == "elected":
            assert result.winner in contest
            return
        assert result.status == "runoff"
        contest, ballot = result.contest, result.next_candidates
        tie_break = result.next_reason == "tie_break"
    pytest.fail("the ballot went on without end")


# --------------------------------------------------------------------------
# Instant-runoff: worked cases
# --------------------------------------------------------------------------


def test_irv_transfers_eliminated_candidates_ballots():
    ballots = [("A",)] * 4 + [("B",)] * 3 + [("C", "B")] * 2
    result = instant_runoff(["A", "B", "C"], ballots)
    assert (result.status, result.winner) == ("elected", "B")
    assert result.rounds == (
        IrvRound(counts={"A": 4, "B": 3, "C": 2}, exhausted=0, eliminated=("C",), continuing=("A", "B")),
        IrvRound(counts={"A": 4, "B": 5}, exhausted=0, eliminated=(), continuing=("B",)),
    )


def test_irv_majority_is_of_ballots_still_counting():
    # Chicago's voters ranked nobody else: their ballots are exhausted, and
    # A's 4 of the 7 ballots still counting is a majority.
    ballots = [("A",)] * 4 + [("B",)] * 3 + [("C",)] * 2
    result = instant_runoff(["A", "B", "C"], ballots)
    assert (result.status, result.winner) == ("elected", "A")
    assert result.rounds[-1] == IrvRound({"A": 4, "B": 3}, 2, (), ("A",))


def test_irv_first_preference_majority_wins_in_round_one():
    ballots = [(1, 2)] * 3 + [(2, 1)] * 2
    result = instant_runoff([1, 2, 3], ballots)
    assert (result.status, result.winner, len(result.rounds)) == ("elected", 1, 1)
    assert result.rounds[0].counts == {1: 3, 2: 2, 3: 0}


def test_irv_tie_for_last_is_broken_by_the_earlier_round():
    # Round 2: B and C both have 4. In round 1 C had fewer (3 against 4): C goes.
    ballots = [("A",)] * 5 + [("B",)] * 4 + [("C",)] * 3 + [("D", "C")]
    result = instant_runoff(["A", "B", "C", "D"], ballots)
    assert [r.eliminated for r in result.rounds] == [("D",), ("C",), ()]
    assert result.rounds[1].counts == {"A": 5, "B": 4, "C": 4}
    assert result.rounds[2] == IrvRound({"A": 5, "B": 4}, 4, (), ("A",))
    assert result.winner == "A"


def test_irv_candidates_nobody_ranked_first_leave_together():
    ballots = [("A",)] * 4 + [("B",)] * 3 + [("C", "B")] * 2
    result = instant_runoff(["A", "B", "C", "D", "E"], ballots)
    assert result.rounds[0].eliminated == ("D", "E")
    assert result.rounds[0].continuing == ("A", "B", "C")
    assert [r.eliminated for r in result.rounds[1:]] == [("C",), ()]
    assert result.winner == "B"


def test_irv_unbreakable_tie_stops_the_count_for_the_chair():
    result = instant_runoff(["A", "B", "C"], [("A",)] * 3 + [("B",)] * 3 + [("C", "A")] * 3)
    assert (result.status, result.winner, result.level) == ("tied", None, ("A", "B", "C"))
    assert result.rounds == (
        IrvRound({"A": 3, "B": 3, "C": 3}, 0, (), ("A", "B", "C"), level=("A", "B", "C")),
    )


def test_irv_three_level_take_two_casting_votes():
    ballots = [("A",)] * 3 + [("B",)] * 3 + [("C", "A")] * 3
    once = instant_runoff(["A", "B", "C"], ballots, casting_votes=["B"])
    assert (once.status, once.level) == ("tied", ("A", "C"))  # B kept; A and C still level
    assert once.rounds[-1].casting_votes == ("B",)
    twice = instant_runoff(["A", "B", "C"], ballots, casting_votes=["B", "A"])  # A kept too: C goes
    assert [r.eliminated for r in twice.rounds] == [("C",), ()]
    assert twice.rounds[0] == IrvRound({"A": 3, "B": 3, "C": 3}, 0, ("C",), ("A", "B"), ("A", "B", "C"), ("B", "A"))
    assert (twice.status, twice.winner) == ("elected", "A")  # C's ballots went to A: 6 of 9


def test_irv_tie_among_some_that_cannot_leave_together_goes_to_the_chair():
    # B and C tie for last with 2 each; there is no earlier round to look back
    # on, and together (4) they outnumber A (3), so eliminating both at once
    # could change the result: only the chair's casting vote can settle it.
    ballots = [("A",)] * 3 + [("B", "C")] * 2 + [("C", "A")] * 2
    result = instant_runoff(["A", "B", "C"], ballots)
    assert (result.status, result.winner, result.level) == ("tied", None, ("B", "C"))
    kept_c = instant_runoff(["A", "B", "C"], ballots, casting_votes=["C"])
    assert [r.eliminated for r in kept_c.rounds] == [("B",), ()]
    assert (kept_c.winner, kept_c.rounds[1].counts) == ("C", {"A": 3, "C": 4})
    kept_b = instant_runoff(["A", "B", "C"], ballots, casting_votes=["B"])
    assert (kept_b.winner, kept_b.rounds[1].counts) == ("A", {"A": 5, "B": 2})


def test_irv_each_round_has_its_own_threshold():
    # 9 ballots; two rank only C and are exhausted once C is out: round 2 needs 4 of 7, not 5 of 9
    ballots = [("A",)] * 4 + [("B",)] * 3 + [("C",)] * 2
    result = instant_runoff(["A", "B", "C"], ballots)
    first, second = result.rounds
    assert (first.counting, first.threshold, first.exhausted) == (9, 5, 0)
    assert (second.counting, second.threshold, second.exhausted) == (7, 4, 2)
    assert (result.winner, second.counts["A"]) == ("A", 4)


@pytest.mark.parametrize("casting_votes, why", [
    (["B"], "not level"),                # A and C are level, B is not in the tie
    (["C", "A"], "left over"),           # one casting vote settles a tie of two
])
def test_irv_casting_votes_must_be_needed_and_for_a_level_candidate(casting_votes, why):
    ballots = [("A",)] * 2 + [("B",)] * 5 + [("C",)] * 2
    with pytest.raises(ValueError):
        instant_runoff(["A", "B", "C"], ballots, casting_votes=casting_votes)


def test_irv_no_casting_vote_when_nothing_counts():
    with pytest.raises(ValueError):
        instant_runoff(["A", "B"], [(), ()], casting_votes=["A"])
    assert instant_runoff(["A", "B"], [(), ()]).level == ()


def test_irv_blank_ballots_are_exhausted_from_the_start():
    result = instant_runoff(["A", "B"], [(), ("A",), ("A",), ("B",)])
    assert result.rounds[0] == IrvRound({"A": 2, "B": 1}, 1, (), ("A",))


@pytest.mark.parametrize(
    "ballots",
    [
        pytest.param([], id="no-ballots"),
        pytest.param([(), ()], id="only-blank-ballots"),
    ],
)
def test_irv_without_a_counted_ballot_elects_nobody(ballots):
    result = instant_runoff(["A", "B"], ballots)
    assert (result.status, result.winner) == ("tied", None)
    lone = instant_runoff(["A"], ballots)
    assert (lone.status, lone.winner) == ("tied", None)


@pytest.mark.parametrize(
    "candidates, ballots",
    [
        pytest.param(["A", "B"], [("A", "Z")], id="ranks-someone-not-standing"),
        pytest.param(["A", "B"], [("A", "B", "A")], id="ranks-a-candidate-twice"),
        pytest.param(["A", "A"], [("A",)], id="candidate-standing-twice"),
        pytest.param([], [], id="nobody-standing"),
    ],
)
def test_irv_refuses_impossible_ballots(candidates, ballots):
    with pytest.raises(ValueError):
        instant_runoff(candidates, ballots)


def test_irv_accepts_any_iterable_of_ballots():
    result = instant_runoff([7, 8], (ranking for ranking in [(7,), (7, 8), (8,)]))
    assert result == IrvResult("elected", 7, (IrvRound({7: 2, 8: 1}, 0, (), (7,)),))


# --------------------------------------------------------------------------
# Instant-runoff: properties
# --------------------------------------------------------------------------


@st.composite
def elections(draw):
    """Candidates and partial rankings of them, blank ballots included."""
    candidates = draw(st.lists(st.integers(0, 50), unique=True, min_size=1, max_size=6))
    ranking = st.permutations(candidates).flatmap(
        lambda order: st.integers(0, len(order)).map(lambda depth: tuple(order[:depth]))
    )
    ballots = draw(st.lists(ranking, max_size=40))
    return candidates, ballots


@given(elections())
def test_irv_every_round_accounts_for_every_ballot(election):
    candidates, ballots = election
    result = instant_runoff(candidates, ballots)
    for round_ in result.rounds:
        assert sum(round_.counts.values()) + round_.exhausted == len(ballots)


@given(elections())
def test_irv_winner_is_a_candidate_with_a_majority_of_the_last_round(election):
    candidates, ballots = election
    result = instant_runoff(candidates, ballots)
    if result.status == "elected":
        assert result.winner in candidates
        last = result.rounds[-1]
        assert last.counts[result.winner] * 2 > sum(last.counts.values())
    else:
        assert result.status == "tied"
        assert result.winner is None


@given(elections())
def test_irv_rounds_follow_on_from_each_other(election):
    candidates, ballots = election
    result = instant_runoff(candidates, ballots)
    assert tuple(result.rounds[0].counts) == tuple(candidates)
    for before, after in zip(result.rounds, result.rounds[1:]):
        assert len(before.eliminated) >= 1
        assert tuple(after.counts) == before.continuing
        assert set(before.continuing) | set(before.eliminated) == set(before.counts)
        # A ballot stays with its candidate while that candidate stands.
        for candidate, votes in after.counts.items():
            assert votes >= before.counts[candidate]
    assert result.rounds[-1].eliminated == ()


@given(elections(), st.data())
def test_irv_first_preference_majority_always_wins_round_one(election, data):
    candidates, ballots = election
    favourite = data.draw(st.sampled_from(candidates))
    # Enough extra ballots ranking the favourite first to give a majority.
    others = [b for b in ballots if not b or b[0] != favourite]
    extra = [(favourite,)] * (len(others) + 1)
    result = instant_runoff(candidates, ballots + extra)
    assert (result.status, result.winner, len(result.rounds)) == ("elected", favourite, 1)


@given(elections())
def test_irv_every_round_publishes_its_own_threshold(election):
    candidates, ballots = election
    for round_ in instant_runoff(candidates, ballots).rounds:
        assert round_.counting == len(ballots) - round_.exhausted
        assert 2 * round_.threshold > round_.counting >= 2 * (round_.threshold - 1)


@given(elections(), st.data())
def test_irv_casting_votes_always_bring_the_count_to_an_end(election, data):
    """Whatever level candidate the chair keeps each time, the count ends: elected, or tied
    only because no ballot counts; and a tie settled never changes the rounds before it."""
    candidates, ballots = election
    given_votes: list = []
    result = instant_runoff(candidates, ballots)
    for _ in range(len(candidates) * len(candidates) + 1):
        if result.status == "elected" or not result.level:
            break
        before = result.rounds[:-1]
        given_votes.append(data.draw(st.sampled_from(result.level)))
        result = instant_runoff(candidates, ballots, casting_votes=given_votes)
        assert result.rounds[:len(before)] == before
        kept = given_votes[-1]
        assert kept not in result.rounds[len(before)].eliminated
    assert result.status == "elected" or (result.level == () and result.rounds[-1].counting == 0)
    if result.status == "elected":
        assert result.rounds[-1].counts[result.winner] >= result.rounds[-1].threshold
