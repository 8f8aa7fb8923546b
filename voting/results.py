"""A poll's result from its counted ballots: the pure rules of majority.py and tally.py put
into the shape API.md promises. No Flask, no database."""
import json
from dataclasses import dataclass
from typing import Any

from voting import assessment
from voting.majority import decide
from voting.tally import exhaustive_round, instant_runoff


@dataclass(frozen=True)
class Electorate:
    eligible: int       # voting members fixed when the poll opened
    present: int        # voting members present when it closed
    quorate: bool


def yes_no_result(rule: str, counts: dict, electorate: Electorate) -> dict:
    yes, no, abstain = counts.get("yes", 0), counts.get("no", 0), counts.get("abstain", 0)
    # Whoever voted was present when they voted, even if they left before the close.
    present = min(electorate.eligible, max(electorate.present, yes + no + abstain))
    outcome = decide(rule, yes=yes, no=no, abstain=abstain, present=present, voting_members=electorate.eligible)
    return {
        "status": ("adopted" if outcome.adopted else "rejected") if electorate.quorate else "void",
        "counts": {"yes": yes, "no": no, "abstain": abstain},
        "cast": outcome.cast, "abstain": abstain, "ballots": yes + no + abstain,
        "eligible": electorate.eligible, "present": present, "quorate": electorate.quorate,
        "rule": rule, "threshold": outcome.threshold, "threshold_text": outcome.describe(),
    }


def exhaustive_result(*, contest: list, ballot: list, counts: dict, tie_break: bool, electorate: Electorate,
                      casting_vote=None) -> dict:
    abstain = counts.get("abstain", 0)
    by_candidate = {candidate: counts.get(str(candidate), 0) for candidate in ballot}
    step = exhaustive_round(contest=contest, ballot=ballot, counts=by_candidate, abstain=abstain,
                            tie_break=tie_break, casting_vote=casting_vote)
    result = {
        "status": step.status, "counts": {**{str(c): n for c, n in step.counts.items()}, "abstain": abstain},
        "cast": step.valid, "abstain": abstain, "ballots": step.valid + abstain, "eligible": electorate.eligible,
        "present": electorate.present, "quorate": electorate.quorate, "rule": "exhaustive",
        "threshold": step.needed,
        "threshold_text": ("tie-break round: the candidate with the fewest votes is eliminated" if tie_break
                           else f"more than half of the {step.valid} votes cast: at least {step.needed}"),
        "winner": step.winner, "eliminated": list(step.eliminated), "contest": list(step.contest),
        "casting_vote": casting_vote,
    }
    if step.status == "runoff":
        result["next_round"] = {"candidates": list(step.next_candidates), "reason": step.next_reason}
    # who the chair's casting vote may go to: everyone on a tied ballot, when votes were cast
    result["level"] = list(ballot) if step.status == "tied" and step.valid else []
    if not electorate.quorate:
        result.update(status="void", winner=None, eliminated=[], next_round=None, level=[])
    return result


def irv_result(*, candidates: list, choices: list[str], electorate: Electorate, casting_votes=None) -> dict:
    """The instant-runoff count in API.md's shape, every round published with its own count:
    `rounds` = [{"round", "counts", "counting" (ballots still counting: that round's votes
    cast), "exhausted", "threshold" (more than half of `counting`), "eliminated",
    "continuing", "level" (tied for last and not separated by the earlier rounds),
    "casting_votes" (the chair's, which settled that tie)}]. The top-level `counts`,
    `threshold` and `exhausted` are those of the last round, the one that decided (or
    stopped on a tie); `level` names who awaits the chair's casting vote when `status` is
    "tied" ([] if no ballot counted); `casting_vote` is the list of casting votes given."""
    rankings = [json.loads(choice) for choice in choices if choice != "abstain"]
    abstain = len(choices) - len(rankings)
    outcome = instant_runoff(candidates, rankings, casting_votes=casting_votes or ())
    rounds: list[dict[str, Any]] = [
        {"round": number, "counts": {str(c): n for c, n in r.counts.items()}, "counting": r.counting,
         "exhausted": r.exhausted, "threshold": r.threshold, "eliminated": list(r.eliminated),
         "continuing": list(r.continuing), "level": list(r.level), "casting_votes": list(r.casting_votes)}
        for number, r in enumerate(outcome.rounds, start=1)]
    last = rounds[-1]
    status = outcome.status if electorate.quorate else "void"
    return {
        "status": status, "counts": {**last["counts"], "abstain": abstain}, "cast": len(rankings),
        "abstain": abstain, "ballots": len(choices), "eligible": electorate.eligible, "present": electorate.present,
        "quorate": electorate.quorate, "rule": "irv", "threshold": last["threshold"],
        "exhausted": last["exhausted"],
        "threshold_text": f"more than half of the {last['counting']} ballots still counting in round {last['round']}: "
                          f"at least {last['threshold']}",
        "winner": outcome.winner if electorate.quorate else None, "rounds": rounds,
        "level": list(outcome.level) if status == "tied" else [],
        "casting_vote": list(casting_votes) if casting_votes else None,
    }


def assessment_result(*, subjects: list[str], scale: dict, choices: list[str], electorate: Electorate) -> dict:
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
    return {
        "status": "recorded" if electorate.quorate else "void",
        "subjects": [row.as_dict() for row in table],
        "scale": {"min": scale_.min, "max": scale_.max},
        "counts": {"scored": scored, "abstain": abstain},
        "cast": scored, "abstain": abstain, "ballots": len(sheets), "eligible": electorate.eligible,
        "present": electorate.present, "quorate": electorate.quorate, "rule": "assessment", "threshold": None,
    }
