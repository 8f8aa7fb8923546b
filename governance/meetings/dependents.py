"""What depends on a thing of a meeting (a session, an agenda item, a participant, the meeting
itself), so that correcting it would lose or orphan part of the record; and whether the
meeting's record is closed (its memorandum approved).

Each package answers the questions only it can (motions: the motions of an item; voting: the
polls; minutes: notes and memorandum versions) by connecting to governance.meetings.signals
in its `init_app`; governance imports none of them. A deletion asks `refuse_if_depended_on`,
which answers 409 `in_use` naming what depends, so a person knows what to remove or withdraw
first.
"""
from governance.errors import ApiError
from governance.meetings.signals import KINDS, record_closed_asked
from governance.meetings.signals import what_depends_on as _asked
from governance.signals import answers

__all__ = ["KINDS", "named", "record_closed", "refuse_if_depended_on", "what_depends_on"]


def what_depends_on(kind: str, thing) -> list[str]:
    """Every package's phrases, in the order of governance.create_app's packages."""
    return [found for phrases in answers(_asked[kind], thing) for found in phrases]


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


def record_closed(meeting) -> str | None:
    """The first reason a package gives that the meeting's record is closed, or None."""
    return next((reason for reason in answers(record_closed_asked, meeting) if reason), None)
