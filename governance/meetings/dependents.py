"""What depends on a thing of a meeting (a session, an agenda item, a participant, the meeting
itself), so that correcting it would lose or orphan part of the record; and whether the
meeting's record is closed (its memorandum approved).

Each package adds the questions only it can answer (motions: the motions of an item; voting:
the polls; minutes: notes and memorandum versions) with `depends_on(kind)`, as `motions`
adds what adoption does through its hooks; governance imports none of them. A deletion asks
`refuse_if_depended_on`, which answers 409 `in_use` naming what depends, so a person knows what
to remove or withdraw first.
"""
from collections import defaultdict
from collections.abc import Callable

from governance.errors import ApiError

KINDS = ("meeting", "session", "item", "participant")
_questions: dict[str, list[Callable[[object], list[str]]]] = defaultdict(list)
_closers: list[Callable[[object], str | None]] = []


def depends_on(kind: str):
    """Register fn(thing) -> ["2 motions (Admission of Cali, ...)", ...] for a kind of thing."""
    assert kind in KINDS, kind

    def register(fn):
        _questions[kind].append(fn)
        return fn
    return register


def what_depends_on(kind: str, thing) -> list[str]:
    found = []
    for question in _questions[kind]:
        found.extend(question(thing))
    return found


def refuse_if_depended_on(kind: str, thing, what: str) -> None:
    """409 `in_use`: "<what> cannot be deleted: 2 motions (...) depend on it." when anything does."""
    found = what_depends_on(kind, thing)
    if found:
        raise ApiError(409, "in_use", f"{what} cannot be deleted: {'; '.join(found)} depend on it.")


def named(count_word: tuple[str, str], names: list[str], limit: int = 3) -> list[str]:
    """["2 motions (A, B)"] for two names, [] for none: the phrase the refusal lists."""
    if not names:
        return []
    word = count_word[0] if len(names) == 1 else count_word[1]
    shown = ", ".join(names[:limit]) + (", …" if len(names) > limit else "")
    return [f"{len(names)} {word} ({shown})"]


def closes_record(fn):
    """Register fn(meeting) -> a reason the meeting's record is closed (its memorandum was
    approved), or None. Minutes work (notes, mover and seconder) stops then."""
    _closers.append(fn)
    return fn


def record_closed(meeting) -> str | None:
    for question in _closers:
        reason = question(meeting)
        if reason:
            return reason
    return None
