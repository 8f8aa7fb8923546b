"""What an assessment may ask (motion kind `assessment`): how many subjects, which scales.
Pure; voting.assessment reads and tallies the sheets within these bounds."""

MOST_SUBJECTS = 30  # a sheet of 30 scores on a phone is already long; bounds the work on a sheet
LOWEST, HIGHEST = 0, 100  # the widest scale accepted
MOST_STEPS = 11  # buttons in a row on a phone: 0-10 at most
DEFAULT_SCALE = {"min": 1, "max": 5}  # API.md: "default 1-5"


def scale_problem(low: int, high: int) -> str | None:
    """Why {"min": low, "max": high} is not a usable scale (a sentence), or None."""
    if not (LOWEST <= low < high <= HIGHEST):
        return f"A scale runs from a lower to a higher whole number, between {LOWEST} and {HIGHEST}."
    if high - low + 1 > MOST_STEPS:
        return f"A scale has at most {MOST_STEPS} steps (one button each on a phone)."
    return None
