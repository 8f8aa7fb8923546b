"""Counting multi-candidate ballots: elections of members and choices of logos.

Two methods:

* The EXHAUSTIVE BALLOT, one round at a time. Members vote for one candidate;
  the chair opens every round as a new poll on the same motion, so this module
  only judges a single round and says who is on the next ballot.
  ``exhaustive_round`` is that judgement.
* INSTANT-RUNOFF on ranked ballots, all rounds at once from the rankings.
  ``instant_runoff`` is that count.

Candidates are any hashable ids (member ids or logo ids in practice).
This module is pure: no framework, no database, standard library only.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from voting.poll_result import NextReason, ResultStatus

ELECTED = ResultStatus.ELECTED
RUNOFF = ResultStatus.RUNOFF
TIED = ResultStatus.TIED

ELIMINATION = NextReason.ELIMINATION
TIE_BREAK = NextReason.TIE_BREAK


# --------------------------------------------------------------------------
# Exhaustive ballot
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundResult:
    """What one round of an exhaustive ballot decided, and what comes next."""

    status: str  # "elected" | "runoff" | "tied"
    counts: dict  # candidate -> votes, every candidate on this round's ballot
    valid: int  # votes for candidates (abstentions excluded)
    abstain: int
    needed: int  # votes to be elected this round; 0 in a tie-break round
    winner: object | None
    eliminated: tuple  # candidates eliminated by this round
    next_candidates: tuple  # the next round's ballot; () when there is none
    next_reason: str | None  # "elimination" | "tie_break" | None
    contest: tuple  # candidates still in the main contest after this round


def _unique(name: str, candidates: Sequence) -> tuple:
    people = tuple(candidates)
    if not people:
        raise ValueError(f"{name} names no candidate")
    for candidate in people:
        if not isinstance(candidate, Hashable):
            raise TypeError(f"{name}: candidate {candidate!r} is not a usable id")
    if len(set(people)) != len(people):
        raise ValueError(f"{name} names a candidate twice: {people}")
    return people


def _vote_count(what: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be a whole number, not {value!r}")
    if value < 0:
        raise ValueError(f"{what} cannot be negative (got {value})")
    return value


def _ballot_counts(ballot: tuple, counts: Mapping) -> dict:
    """Votes for every candidate on the ballot, in ballot order, zeros included.

    A candidate nobody voted for is still a candidate: it is the one with the
    fewest votes, so it must appear in the count rather than vanish from it.
    """
    strangers = [candidate for candidate in counts if candidate not in ballot]
    if strangers:
        raise ValueError(f"votes counted for candidates not on this ballot: {strangers}")
    return {
        candidate: _vote_count(f"votes for {candidate!r}", counts.get(candidate, 0))
        for candidate in ballot
    }


def _fewest(counts: dict) -> tuple:
    """The candidates sharing the lowest count, in ballot order."""
    lowest = min(counts.values())
    return tuple(candidate for candidate, votes in counts.items() if votes == lowest)


def _without(candidates: tuple, gone: Iterable) -> tuple:
    gone = set(gone)
    return tuple(candidate for candidate in candidates if candidate not in gone)


def exhaustive_round(
    *,
    contest: Sequence,
    ballot: Sequence,
    counts: Mapping,
    abstain: int = 0,
    tie_break: bool = False,
    casting_vote=None,
) -> RoundResult:
    """Judge one round of an exhaustive ballot.

    ``contest`` is every candidate still in the main contest. ``ballot`` is who
    was on this round's ballot: the whole contest in a normal round, or only
    the candidates tied for the fewest votes in a tie-break round
    (``tie_break=True``). ``counts`` maps candidates to votes; a candidate left
    out got no vote, a key that was not on the ballot is a ValueError.

    Normal round:
      * a candidate with MORE than half of the valid votes (abstentions
        excluded) is elected; exactly half is not enough;
      * otherwise the only candidate with the fewest votes is eliminated and
        the rest go to the next round (``next_reason="elimination"``);
      * if several share the fewest votes, a separate tie-break round is held
        among those candidates only (``next_reason="tie_break"``), nobody is
        eliminated yet;
      * if every candidate on the ballot has the same number of votes (two
        candidates level in the final round, or three or more all level) no
        round can make progress: ``status="tied"``.

    Tie-break round: nobody is elected, whatever the numbers; ``needed`` is 0.
      * the only candidate with the fewest votes is eliminated and the main
        contest continues among everyone else (``next_reason="elimination"``);
      * if a strict subset shares the fewest votes, another tie-break among
        them follows (``next_reason="tie_break"``);
      * if every candidate on it is level: ``status="tied"``.

    A round with no valid vote at all is ``"tied"`` too (nobody is elected or
    eliminated on zero votes). It is not a tie the chair may break: the members
    have not decided anything, so the chair opens the round again.

    The casting vote. When a round comes out ``"tied"`` between candidates who
    received votes, the chair may call this again with the same numbers and
    ``casting_vote=<candidate>``. The casting vote is the chair's vote FOR one
    of the level candidates; it breaks the tie in that candidate's favour:
      * in a final between two candidates, that candidate is elected;
      * in any other tie, that candidate is KEPT; with two level candidates the
        other one is eliminated, with three or more the others go on to a
        tie-break round among themselves.
    ``counts``, ``valid`` and ``needed`` stay the members' votes: the minutes
    must show the tie and that the chair's casting vote settled it. A casting
    vote for a round that is not tied, after a round without valid votes, or for
    a candidate not level in the tie is a ValueError.

    ``next_candidates`` is the next round's ballot and ``contest`` the main
    contest after this round; pass them back as ``ballot`` and ``contest`` (with
    ``tie_break = next_reason == "tie_break"``) for the next round. When a
    candidate is elected, ``next_candidates`` is () and ``contest`` is just the
    winner; when the round is tied, ``next_candidates`` is () and ``contest``
    is unchanged.
    """
    contest = _unique("contest", contest)
    ballot = _unique("ballot", ballot)
    if not set(ballot) <= set(contest):
        outsiders = _without(ballot, contest)
        raise ValueError(f"ballot names candidates no longer in the contest: {outsiders}")
    if tie_break:
        # A tie-break is among some of the contest, never all of it: among
        # everyone it would just be the main round again, and a lone candidate
        # has nobody to be tied with.
        if not 2 <= len(ballot) < len(contest):
            raise ValueError(
                "a tie-break ballot holds two or more, but not all, of the contest"
            )
    elif set(ballot) != set(contest):
        raise ValueError("a normal round's ballot is the whole contest")

    votes = _ballot_counts(ballot, counts)
    abstain = _vote_count("abstain", abstain)
    valid = sum(votes.values())
    needed = 0 if tie_break else valid // 2 + 1

    def result(
        status: str,
        *,
        winner: object = None,
        eliminated: tuple = (),
        next_candidates: tuple = (),
        next_reason: str | None = None,
        contest_after: tuple = contest,
    ) -> RoundResult:
        return RoundResult(
            status=status,
            counts=votes,
            valid=valid,
            abstain=abstain,
            needed=needed,
            winner=winner,
            eliminated=eliminated,
            next_candidates=next_candidates,
            next_reason=next_reason,
            contest=contest_after,
        )

    def eliminate(loser: object) -> RoundResult:
        remaining = _without(contest, [loser])
        return result(
            RUNOFF,
            eliminated=(loser,),
            next_candidates=remaining,
            next_reason=ELIMINATION,
            contest_after=remaining,
        )

    def tie_break_among(tied: tuple) -> RoundResult:
        return result(RUNOFF, next_candidates=tied, next_reason=TIE_BREAK)

    if not tie_break:
        leader = max(votes, key=votes.__getitem__)
        if valid > 0 and votes[leader] >= needed:
            _refuse_casting_vote(casting_vote, "a candidate was elected")
            return result(ELECTED, winner=leader, contest_after=(leader,))

    if valid == 0:
        _refuse_casting_vote(
            casting_vote, "no valid votes were cast: the round must be held again"
        )
        return result(TIED)

    last = _fewest(votes)
    if len(last) < len(ballot):
        _refuse_casting_vote(casting_vote, "the round is not tied")
        if len(last) == 1:
            return eliminate(last[0])
        return tie_break_among(last)

    # Everyone on the ballot is level: only the chair's casting vote moves on.
    if casting_vote is None:
        return result(TIED)
    if casting_vote not in ballot:
        raise ValueError(f"casting vote for {casting_vote!r}, who is not level in this tie")
    others = _without(ballot, [casting_vote])
    if not tie_break and len(ballot) == 2:
        return result(ELECTED, winner=casting_vote, contest_after=(casting_vote,))
    if len(others) == 1:
        return eliminate(others[0])
    return tie_break_among(others)


def _refuse_casting_vote(casting_vote: object, why: str) -> None:
    if casting_vote is not None:
        raise ValueError(f"no casting vote is possible: {why}")


# --------------------------------------------------------------------------
# Instant-runoff
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class IrvRound:
    """One round of an instant-runoff count.

    ``level`` is set when this round's tie for last place was not separated by
    the earlier rounds: the candidates left level, whom only the chair's
    casting vote can separate. ``casting_votes`` are those given in this round,
    in order; each keeps its candidate in the count.
    """

    counts: dict  # candidate -> ballots counting for them, every standing candidate
    exhausted: int  # ballots that rank no standing candidate
    eliminated: tuple  # candidates eliminated at the end of this round
    continuing: tuple  # candidates left after this round
    level: tuple = ()  # tied for last, not separated by the earlier rounds
    casting_votes: tuple = ()  # the chair's casting votes that settled that tie

    @property
    def counting(self) -> int:
        """Ballots still counting for a standing candidate: this round's votes cast."""
        return sum(self.counts.values())

    @property
    def threshold(self) -> int:
        """Votes that elect in this round: more than half of the ballots still counting."""
        return self.counting // 2 + 1


@dataclass(frozen=True)
class IrvResult:
    status: str  # "elected" | "tied"
    winner: object | None
    rounds: tuple[IrvRound, ...]
    level: tuple = ()  # when tied: who awaits the chair's casting vote; () if no ballot counts


def _checked_ranking(ranking: Sequence, standing: set) -> tuple:
    ranking = tuple(ranking)
    for choice in ranking:
        if choice not in standing:
            raise ValueError(f"ballot {ranking} ranks {choice!r}, who is not standing")
    if len(set(ranking)) != len(ranking):
        raise ValueError(f"ballot {ranking} ranks a candidate twice")
    return ranking


def _first_choices(rankings: list[tuple], standing: tuple) -> tuple[dict, int]:
    """Each ballot counts for its highest-ranked candidate still standing."""
    counts = dict.fromkeys(standing, 0)
    exhausted = 0
    for ranking in rankings:
        choice = next((c for c in ranking if c in counts), None)
        if choice is None:
            exhausted += 1
        else:
            counts[choice] += 1
    return counts, exhausted


def _last_place(counts: dict, history: list[IrvRound]) -> tuple[tuple, tuple]:
    """(who is eliminated at the end of a round with these counts, who is left level).

    One candidate with the fewest votes goes. A tie for the fewest is broken
    by the earlier rounds: going back one round at a time, keep only those
    tied candidates who had the fewest votes there, until one is left. If the
    earlier rounds do not separate them, the tied candidates are eliminated
    together provided their combined votes are fewer than any other
    candidate's: taking them out one at a time, in any order, could then not
    change the result, because none of them could overtake anybody else.
    Otherwise nobody is eliminated yet: ((), the candidates still level),
    for the chair's casting vote.
    """
    last = _fewest(counts)
    if len(last) == 1:
        return last, ()
    narrowed = last
    for earlier in reversed(history):
        lowest = min(earlier.counts[c] for c in narrowed)
        narrowed = tuple(c for c in narrowed if earlier.counts[c] == lowest)
        if len(narrowed) == 1:
            return narrowed, ()
    others = [votes for c, votes in counts.items() if c not in last]
    if others and sum(counts[c] for c in last) < min(others):
        return last, ()
    return (), narrowed


def instant_runoff(candidates: Sequence, ballots: Iterable[Sequence], casting_votes: Sequence = ()) -> IrvResult:
    """Count ranked ballots by instant-runoff.

    Each ballot ranks candidates, first preference first; it may stop early (a
    blank ballot is allowed and is exhausted from the start). Ranking someone
    who is not standing, or the same candidate twice, is a ValueError.

    In every round each ballot counts for its highest-ranked candidate still
    standing; a ballot ranking none of them is exhausted. A candidate with more
    than half of the ballots that still count is elected: each round has its
    own threshold (``IrvRound.threshold``), since exhausted ballots no longer
    count. Otherwise the candidate with the fewest votes is eliminated. A tie
    for the fewest is broken by the earlier rounds: the fewest votes in the
    most recent round where the tied candidates differ (repeated further back
    if that still leaves several of them level); failing that, candidates tied
    for the fewest are eliminated together if, together, they have fewer votes
    than any other candidate (typically several candidates nobody ranked
    first), because the order of their elimination then cannot matter.

    Any other tie is for the chair's casting vote, as in an exhaustive ballot:
    the count stops with status "tied", no winner, and ``level`` naming the
    candidates still level. Counted again with ``casting_votes`` (the chair's,
    in the order given), each casting vote keeps one of the level candidates;
    when one candidate is left it is eliminated and the count goes on. Three
    level candidates thus take two casting votes. A casting vote for someone
    not level, or one left over when no tie needs it, is a ValueError. If no
    ballot counts for anyone the count stops "tied" with ``level`` empty: the
    members decided nothing, and the chair does not decide for them.

    In each ``IrvRound``, ``continuing`` is who is left after that round: the
    others after an elimination, the winner alone in the deciding round,
    everyone standing when the count stops on a tie.
    """
    standing = _unique("candidates", candidates)
    rankings = [_checked_ranking(ranking, set(standing)) for ranking in ballots]
    casting = list(casting_votes)
    history: list[IrvRound] = []
    while True:
        counts, exhausted = _first_choices(rankings, standing)
        counting = sum(counts.values())
        leader = max(counts, key=counts.__getitem__)
        if counting > 0 and counts[leader] > counting // 2:
            _refuse_casting_vote(casting[0] if casting else None, "no tie is left to break")
            history.append(IrvRound(counts, exhausted, (), (leader,)))
            return IrvResult(ELECTED, leader, tuple(history))
        if counting == 0:
            _refuse_casting_vote(casting[0] if casting else None, "no ballot counts for any candidate")
            history.append(IrvRound(counts, exhausted, (), standing))
            return IrvResult(TIED, None, tuple(history))
        losers, level = _last_place(counts, history)
        tie = level
        given: list = []
        while not losers:
            if not casting:
                history.append(IrvRound(counts, exhausted, (), standing, tie, tuple(given)))
                return IrvResult(TIED, None, tuple(history), level)
            vote = casting.pop(0)
            if vote not in level:
                raise ValueError(f"casting vote for {vote!r}, who is not level in this tie: {level}")
            given.append(vote)
            level = _without(level, [vote])
            if len(level) == 1:
                losers = level
        standing = _without(standing, losers)
        history.append(IrvRound(counts, exhausted, losers, standing, tie, tuple(given)))
