"""How resolutions are numbered: a pattern the organisation chooses, filled in when a motion
is adopted. Pure: no Flask, no database.

A pattern is text with placeholders in braces (Python's format syntax, without conversions,
format specifications, attributes or indexes):

    {reference}   the meeting's reference, e.g. "EXCOM 2024" (at most 60 characters)
    {year}        the year the meeting starts, in its own time zone, e.g. 2024
    {n}           the resolution's sequence number within the meeting: 1, 2, 3 ...
    {short_name}  the organisation's short name, e.g. "WeGO" (at most 40 characters)

"{reference}/R{n}" gives "EXCOM 2024/R3", the form the EXCOM memoranda use. Every pattern
holds {n}, so two resolutions of one meeting never share a number, and the longest number a
pattern can make fits the 80 characters a resolution number is stored in.
"""
from string import Formatter

PLACEHOLDERS = ("reference", "year", "n", "short_name")
MAX_PATTERN = 80
MAX_NUMBER = 80
# the longest values each placeholder can take (the columns they come from; n: a million motions)
_WIDEST = {"reference": "R" * 60, "year": 9999, "n": 999_999, "short_name": "S" * 40}


class PatternProblem(ValueError):
    """Why a pattern cannot number resolutions: a sentence for a person."""


def placeholders(pattern: str) -> list[str]:
    """The placeholder names of `pattern` in order, or PatternProblem for anything else in braces."""
    try:
        parsed = list(Formatter().parse(pattern))
    except ValueError:
        raise PatternProblem("Braces must come in pairs around a placeholder, e.g. {n}.") from None
    names = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            raise PatternProblem(f"{shown} is not a placeholder; use {{reference}}, {{year}}, {{n}} "
                                 f"or {{short_name}}.")
        names.append(name)
    return names


def check_pattern(pattern: str) -> None:
    """Raise PatternProblem unless `pattern` can number every resolution of a meeting apart."""
    if not pattern.strip():
        raise PatternProblem("Give a pattern, e.g. {reference}/R{n}.")
    if len(pattern) > MAX_PATTERN:
        raise PatternProblem(f"A pattern has at most {MAX_PATTERN} characters.")
    if "n" not in placeholders(pattern):
        raise PatternProblem("The pattern must hold {n}, the resolution's number, or two resolutions "
                             "would be numbered alike.")
    if len(pattern.format(**_WIDEST)) > MAX_NUMBER:
        raise PatternProblem(f"Numbers made with this pattern could be longer than {MAX_NUMBER} characters.")


def resolution_number(pattern: str, *, reference: str, year: int, n: int, short_name: str) -> str:
    """The number of the meeting's n-th resolution, e.g. ("{reference}/R{n}", "EXCOM 2024", 3)
    → "EXCOM 2024/R3". `pattern` must pass check_pattern."""
    return pattern.format(reference=reference, year=year, n=n, short_name=short_name)
