"""Assessment polls: a sheet of scores, one per subject, read strictly and tallied. Pure: no
Flask, no database (standard library only).

An assessment (motion kind `assessment`, API.md "Additions of the second wave") asks each
member to score every subject (the six regional offices of the program book, say) on a
scale {"min", "max"} (default 1-5). A sheet is sent as

    {"scores": {"0": 4, "1": 5, ...}}   every subject, by its index in the motion's list

or "abstain". JSON object keys are strings; a score is a JSON integer (not a boolean) or a
string of ASCII digits, as forms send it. Anything else is refused with a sentence for the
voter (ChoiceRefused), exactly as voting.choices refuses a bad ballot: a missing or extra
subject, a score off the scale, "²", 4.0, true, a nested object.

The stored text is canonical JSON ordered by subject index, e.g. `{"0":4,"1":5}`, so that
equal sheets are equal strings (the seal digests them, the recount reads them back).

The result is a table, not a decision: per subject the number of scores, their mean and
median, and how many gave each score (`tally`).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from fractions import Fraction

from motions.scales import DEFAULT_SCALE, HIGHEST, LOWEST, MOST_STEPS, MOST_SUBJECTS, scale_problem  # noqa: F401
from voting.choices import ChoiceRefused
from voting.poll_result import Choice

_INDEX = re.compile(r"[0-9]{1,2}")  # ASCII only, unlike \d and str.isdigit
_SCORE = re.compile(r"[0-9]{1,3}")


@dataclass(frozen=True)
class Scale:
    min: int
    max: int

    def __post_init__(self):
        for bound in (self.min, self.max):
            if isinstance(bound, bool) or not isinstance(bound, int):
                raise TypeError(f"a scale's bounds are whole numbers, not {bound!r}")
        if not (LOWEST <= self.min < self.max <= HIGHEST) or self.max - self.min + 1 > MOST_STEPS:
            raise ValueError(scale_problem(self.min, self.max))

    @property
    def scores(self) -> range:
        return range(self.min, self.max + 1)


def _score(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and _SCORE.fullmatch(value):
        value = int(value)
    return value if isinstance(value, int) and LOWEST <= value <= HIGHEST else None


def looks_like_a_sheet(choice) -> bool:
    """Whether `choice` has the shape of some assessment's sheet, judged without the poll:
    {"scores": {...}} alone, with at most MOST_SUBJECTS entries of short index keys and
    in-range scores. A cheap filter before the ballot box's database work."""
    if not (isinstance(choice, dict) and set(choice) == {"scores"} and isinstance(choice["scores"], dict)):
        return False
    scores = choice["scores"]
    return 0 < len(scores) <= MOST_SUBJECTS and all(
        isinstance(key, str) and _INDEX.fullmatch(key) and _score(value) is not None
        for key, value in scores.items())


def stored_sheet(subject_count: int, scale: Scale, choice) -> str:
    """The sheet as stored: "abstain", or canonical JSON {"<index>": score} over every subject.
    Raises ChoiceRefused naming what is wrong."""
    if isinstance(choice, str) and choice == Choice.ABSTAIN:
        return Choice.ABSTAIN.value
    if not looks_like_a_sheet(choice):
        raise ChoiceRefused("Send a score for every subject, or abstain.")
    scores: dict[int, int] = {}
    for key, value in choice["scores"].items():
        index = int(key)
        if key != str(index) or index >= subject_count:  # "01" would name subject 1 twice
            raise ChoiceRefused("Score the subjects on this sheet only.")
        score = _score(value)
        if score is None or score not in scale.scores:
            raise ChoiceRefused(f"Give each subject a score from {scale.min} to {scale.max}.")
        scores[index] = score
    if len(scores) != subject_count:
        raise ChoiceRefused("Score every subject on the sheet, or abstain.")
    return canonical(scores)


def canonical(scores: dict[int, int]) -> str:
    return json.dumps({str(i): scores[i] for i in sorted(scores)}, separators=(",", ":"))


def read_sheet(stored: str) -> dict[int, int] | None:
    """A stored sheet back as {index: score}; None for an abstention. Raises ValueError for
    text that is not a stored sheet (the recount reports it)."""
    if stored == Choice.ABSTAIN:
        return None
    sheet = json.loads(stored)
    if not isinstance(sheet, dict):
        raise ValueError(f"not a sheet of scores: {stored!r}")
    return {int(key): value for key, value in sheet.items()}


@dataclass(frozen=True)
class SubjectScores:
    """One row of the table: `count` scores given, their `mean` and `median` (None when
    nobody scored), and `distribution` {score: how many}, every score of the scale."""

    name: str
    count: int
    mean: float | int | None
    median: float | int | None
    distribution: dict[int, int]

    def as_dict(self) -> dict:
        return {"name": self.name, "count": self.count, "mean": self.mean, "median": self.median,
                "distribution": {str(score): n for score, n in self.distribution.items()}}


def _number(value: Fraction) -> int | float:
    """An exact value as JSON shows it: a whole number as such, otherwise to two decimals."""
    return int(value) if value.denominator == 1 else round(float(value), 2)


def tally(subjects: list[str], scale: Scale, sheets: list[dict[int, int] | None]) -> list[SubjectScores]:
    """The table of an assessment from its sheets (None = an abstention, which scores nothing).

    Per subject: count = sheets that scored it; mean = their average; median = the middle
    score (the average of the two middle ones for an even count); distribution = scores given
    per step of the scale. Raises ValueError for a sheet naming an unknown subject or a score
    off the scale: the caller stored only checked sheets, so that is a damaged record."""
    per_subject: list[list[int]] = [[] for _ in subjects]
    for sheet in sheets:
        if sheet is None:
            continue
        for index, score in sheet.items():
            if not 0 <= index < len(subjects):
                raise ValueError(f"a sheet scores subject {index}, which is not on the sheet")
            if isinstance(score, bool) or not isinstance(score, int) or score not in scale.scores:
                raise ValueError(f"a sheet gives {score!r}, off the scale {scale.min}-{scale.max}")
            per_subject[index].append(score)
    table = []
    for name, scores in zip(subjects, per_subject):
        scores.sort()
        count = len(scores)
        mean = median = None
        if count:
            mean = _number(Fraction(sum(scores), count))
            middle = count // 2
            median = _number(Fraction(scores[middle]) if count % 2
                             else Fraction(scores[middle - 1] + scores[middle], 2))
        distribution = {score: 0 for score in scale.scores}
        for score in scores:
            distribution[score] += 1
        table.append(SubjectScores(name, count, mean, median, distribution))
    return table
