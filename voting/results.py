"""A poll's result from its counted ballots: the pure rules of majority.py and tally.py put
into the shape API.md promises. No Flask, no database."""
import json
from dataclasses import dataclass

from voting import assessment
from voting.majority import decide
from voting.poll_result import Choice, IrvRoundCount, Method, NextRound, PollResult, ResultStatus, SubjectRow
from voting.tally import exhaustive_round, instant_runoff


@dataclass(frozen=True)
class Electorate:
    eligible: int       # voting members fixed when the poll opened
    present: int        # voting members present when it closed
    quorate: bool


def yes_no_result(rule: str, counts: dict, electorate: Electorate) -> PollResult:
    yes, no, abstain = (counts.get(Choice.YES, 0), counts.get(Choice.NO, 0), counts.get(Choice.ABSTAIN, 0))
    # Whoever voted was present when they voted, even if they left before the close.
    present = min(electorate.eligible, max(electorate.present, yes + no + abstain))
    outcome = decide(rule, yes=yes, no=no, abstain=abstain, present=present, voting_members=electorate.eligible)
    decided = ResultStatus.ADOPTED if outcome.adopted else ResultStatus.REJECTED
    return PollResult(
        status=decided if electorate.quorate else ResultStatus.VOID,
        counts={Choice.YES.value: yes, Choice.NO.value: no, Choice.ABSTAIN.value: abstain},
        cast=outcome.cast, abstain=abstain, ballots=yes + no + abstain,
        eligible=electorate.eligible, present=present, quorate=electorate.quorate,
        rule=rule, threshold=outcome.threshold, threshold_text=outcome.describe())


def exhaustive_result(*, contest: list, ballot: list, counts: dict, tie_break: bool, electorate: Electorate,
                      casting_vote=None) -> PollResult:
    abstain = counts.get(Choice.ABSTAIN, 0)
    by_candidate = {candidate: counts.get(str(candidate), 0) for candidate in ballot}
    step = exhaustive_round(contest=contest, ballot=ballot, counts=by_candidate, abstain=abstain,
                            tie_break=tie_break, casting_vote=casting_vote)
    quorate = electorate.quorate
    next_round = NextRound(list(step.next_candidates), step.next_reason) \
        if step.status == ResultStatus.RUNOFF and step.next_reason else None
    return PollResult(
        status=step.status if quorate else ResultStatus.VOID,
        counts={**{str(c): n for c, n in step.counts.items()}, Choice.ABSTAIN.value: abstain},
        cast=step.valid, abstain=abstain, ballots=step.valid + abstain, eligible=electorate.eligible,
        present=electorate.present, quorate=quorate, rule=Method.EXHAUSTIVE.value,
        threshold=step.needed,
        threshold_text=("tie-break round: the candidate with the fewest votes is eliminated" if tie_break
                        else f"more than half of the {step.valid} votes cast: at least {step.needed}"),
        winner=step.winner if quorate else None, eliminated=list(step.eliminated) if quorate else [],
        contest=list(step.contest), casting_vote=casting_vote,
        next_round=next_round if quorate else None,
        # who the chair's casting vote may go to: everyone on a tied ballot, when votes were cast
        level=list(ballot) if quorate and step.status == ResultStatus.TIED and step.valid else [])


def irv_result(*, candidates: list, choices: list[str], electorate: Electorate, casting_votes=None) -> PollResult:
    """The instant-runoff count in API.md's shape, every round published with its own count
    (voting.poll_result.IrvRoundCount: its counts, `counting` = ballots still counting, that
    round's votes cast, `exhausted`, `threshold` = more than half of `counting`, `eliminated`,
    `continuing`, `level` = tied for last and not separated by the earlier rounds,
    `casting_votes` = the chair's, which settled that tie). The top-level `counts`,
    `threshold` and `exhausted` are those of the last round, the one that decided (or
    stopped on a tie); `level` names who awaits the chair's casting vote when `status` is
    "tied" ([] if no ballot counted); `casting_vote` is the list of casting votes given."""
    rankings = [json.loads(choice) for choice in choices if choice != Choice.ABSTAIN]
    abstain = len(choices) - len(rankings)
    outcome = instant_runoff(candidates, rankings, casting_votes=casting_votes or ())
    rounds = [IrvRoundCount(round=number, counts={str(c): n for c, n in r.counts.items()}, counting=r.counting,
                            exhausted=r.exhausted, threshold=r.threshold, eliminated=list(r.eliminated),
                            continuing=list(r.continuing), level=list(r.level), casting_votes=list(r.casting_votes))
              for number, r in enumerate(outcome.rounds, start=1)]
    last = rounds[-1]
    status = outcome.status if electorate.quorate else ResultStatus.VOID
    return PollResult(
        status=status, counts={**last.counts, Choice.ABSTAIN.value: abstain}, cast=len(rankings),
        abstain=abstain, ballots=len(choices), eligible=electorate.eligible, present=electorate.present,
        quorate=electorate.quorate, rule=Method.IRV.value, threshold=last.threshold, exhausted=last.exhausted,
        threshold_text=f"more than half of the {last.counting} ballots still counting in round {last.round}: "
                       f"at least {last.threshold}",
        winner=outcome.winner if electorate.quorate else None, rounds=rounds,
        level=list(outcome.level) if status == ResultStatus.TIED else [],
        casting_vote=list(casting_votes) if casting_votes else None)


def assessment_result(*, subjects: list[str], scale: dict, choices: list[str], electorate: Electorate) -> PollResult:
    """An assessment's table in API.md's shape: `{"status": "recorded", "subjects": [{"name",
    "count", "mean", "median", "distribution": {score: n}}]}`, with the turnout every result
    carries (`ballots` = sheets received, `cast` = sheets with scores, `abstain`). Not a
    decision: "recorded", or "void" when the meeting was not quorate at the close (the chair
    then opens it again, as for any void poll). Raises ValueError for a damaged stored sheet."""
    sheets = [assessment.read_sheet(choice) for choice in choices]
    scale_ = assessment.Scale(scale["min"], scale["max"])
    table = assessment.tally(list(subjects), scale_, sheets)
    scored = sum(1 for sheet in sheets if sheet is not None)
    abstain = len(sheets) - scored
    return PollResult(
        status=ResultStatus.RECORDED if electorate.quorate else ResultStatus.VOID,
        subjects=[SubjectRow.from_json(row.as_dict()) for row in table],
        scale={"min": scale_.min, "max": scale_.max},
        counts={"scored": scored, Choice.ABSTAIN.value: abstain},
        cast=scored, abstain=abstain, ballots=len(sheets), eligible=electorate.eligible,
        present=electorate.present, quorate=electorate.quorate, rule=Method.ASSESSMENT.value, threshold=None)
