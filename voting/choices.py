"""What a ballot may say, read strictly. Pure: no Flask, no database.

A phone (or a script) sends `choice` as JSON, over REST or Socket.IO; anything may arrive.
What the poll accepts (API.md, "Motion kinds"):

- a yes/no poll: "yes", "no" or "abstain";
- an exhaustive ballot: "abstain", or one candidate's id (the member id of a city, the id of a
  logo) on this round's ballot, as a JSON integer or a string of ASCII digits ("12", as forms
  send it);
- an instant-runoff ballot: "abstain", or a ranking: a JSON list of one or more distinct
  candidate ids of the motion, each as above, most preferred first.

Everything else is refused with a sentence for the voter: a Unicode digit that `str.isdigit`
accepts and `int` refuses ("²", "①"), a 5,000-digit number, `true`, 12.0, a nested list
([[9]]), an object, a ranking naming a candidate twice. The checks run on the shape first
(`looks_like_a_choice`, before any database work) and then against the poll
(`stored_choice`), whose answer is the text kept in `poll_ballots.choice`.
"""
import json
import re

from governance.fields import MAX_ID, id_or_none  # ids are PostgreSQL integers
from voting.poll_result import Choice, Method

MOST_RANKED = 200  # longer than any ballot; bounds the work done on a ranking before the poll is known
_ASCII_ID = re.compile(r"[0-9]{1,10}")  # re's [0-9] is ASCII only, unlike \d and str.isdigit
_WORDS = tuple(choice.value for choice in Choice)


class ChoiceRefused(ValueError):
    """The choice does not fit the ballot; str(self) is the sentence for the voter."""


def candidate_id(value) -> int | None:
    """The id a value names: a JSON integer (not a boolean) or a string of 1 to 10 ASCII digits,
    between 1 and MAX_ID; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and _ASCII_ID.fullmatch(value):
        value = int(value)
    if isinstance(value, int) and 1 <= value <= MAX_ID:
        return value
    return None


def looks_like_a_choice(choice) -> bool:
    """Whether `choice` has a shape some ballot could accept, judged without the poll: a short
    string, an id, or a list of at most MOST_RANKED strings and ids. A cheap filter that lets
    only small, flat values reach the ballot box's database work."""
    if isinstance(choice, str):
        return choice in _WORDS or candidate_id(choice) is not None
    if isinstance(choice, list):
        return 0 < len(choice) <= MOST_RANKED and all(candidate_id(c) is not None for c in choice)
    return candidate_id(choice) is not None


def stored_choice(method: str, candidates, choice, *, longest: int | None = None) -> str:
    """The ballot as stored: "yes" / "no" / "abstain", a candidate's id in decimal, or an IRV
    ranking as a JSON list of ids. `method` is the poll's ("yes_no", "exhaustive", "irv");
    `candidates` the ids the voter may choose (this round's ballot, or the motion's candidates
    for IRV). `longest`: the most characters the stored text may have (the column's length).
    Raises ChoiceRefused."""
    if isinstance(choice, str) and choice == Choice.ABSTAIN:
        return Choice.ABSTAIN.value
    if method == Method.YES_NO:
        if not (isinstance(choice, str) and choice in _WORDS):
            raise ChoiceRefused("Vote yes, no or abstain.")
        return choice
    on_ballot = set(candidates)
    if method == Method.IRV:
        ranking = [candidate_id(c) for c in choice] if isinstance(choice, list) and \
            0 < len(choice) <= len(on_ballot) else None
        if not ranking or None in ranking or len(set(ranking)) != len(ranking) \
                or not set(ranking) <= on_ballot:
            raise ChoiceRefused("Rank one or more candidates of this ballot, each once.")
        stored = json.dumps(ranking)
        if longest is not None and len(stored) > longest:
            raise ChoiceRefused("This ranking is too long to be recorded.")
        return stored
    chosen = candidate_id(choice)
    if chosen is None or chosen not in on_ballot:
        raise ChoiceRefused("Vote for a candidate on this ballot, or abstain.")
    return str(chosen)


def poll_id_of(data) -> int | None:
    """The poll a live vote names (`{"poll_id": n, ...}`): a JSON integer between 1 and
    MAX_ID, or None, which the ballot box answers as a poll that does not exist."""
    return id_or_none(data.get("poll_id")) if isinstance(data, dict) else None


def readable_choice(method: str, choice: str):
    """A stored choice (`poll_ballots.choice`) as results and the published ballots show it:
    a candidate's id as a number, a ranking as a list, an assessment sheet as {"scores": ...}."""
    if method == Method.ASSESSMENT and choice != Choice.ABSTAIN:
        return {"scores": json.loads(choice)}
    if method == Method.IRV and choice != Choice.ABSTAIN:
        return json.loads(choice)
    if method == Method.EXHAUSTIVE and choice != Choice.ABSTAIN:
        return int(choice)
    return choice
