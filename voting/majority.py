"""The majority a motion needs, and whether a closed poll reached it.

A motion carries one of the rules in ``RULES``. When the chair closes the poll
we know how many members voted yes, no and abstained, how many voting members
were present at that moment and how many voting members the body has in all.
``decide`` turns those numbers into an ``Outcome``: adopted or not, and the
number of yes votes that would have adopted it, so the minutes can say
"needed 8, got 7" and not merely "rejected".

Rules common to every majority:

* Abstentions are never votes cast. They only matter where the rule counts
  members *present* (an abstaining member is present but did not vote yes).
* No rule adopts a motion without at least one yes vote. Left alone, some
  formulas would (all abstain under two-thirds: 0 >= 2 x 0), which no
  assembly would accept as a decision.
* Thresholds are whole numbers of votes, computed with integers only, so a
  two-thirds threshold can never be off by one through float rounding.

This module is pure: no framework, no database, standard library only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

SIMPLE = "simple"
TWO_THIRDS = "two_thirds"
ABSOLUTE_PRESENT = "absolute_present"
ABSOLUTE_ALL = "absolute_all"
TWO_THIRDS_PRESENT = "two_thirds_present"
UNANIMOUS_PRESENT = "unanimous_present"

RULES: tuple[str, ...] = (
    SIMPLE,
    TWO_THIRDS,
    ABSOLUTE_PRESENT,
    ABSOLUTE_ALL,
    TWO_THIRDS_PRESENT,
    UNANIMOUS_PRESENT,
)


class UnknownRule(ValueError):
    """The motion names a majority this module does not know."""


def more_than_half(n: int) -> int:
    """The smallest whole number of votes that is more than half of ``n``."""
    return n // 2 + 1


def at_least_two_thirds(n: int) -> int:
    """The smallest whole number of votes that is at least two thirds of ``n``.

    ceil(2n / 3) written with integer division, so it is exact for any size.
    """
    return (2 * n + 2) // 3


# Each rule's threshold, before the "at least one yes" floor is applied.
# The arguments are (no, present, voting_members): simple and two-thirds
# depend on how the others voted, the rest on who is in the room or on the roll.
_THRESHOLDS: dict[str, Callable[[int, int, int], int]] = {
    # More yes than no: one more yes than there are no votes.
    SIMPLE: lambda no, present, members: no + 1,
    # yes >= 2/3 of (yes + no)  <=>  yes >= 2 x no.
    TWO_THIRDS: lambda no, present, members: 2 * no,
    ABSOLUTE_PRESENT: lambda no, present, members: more_than_half(present),
    ABSOLUTE_ALL: lambda no, present, members: more_than_half(members),
    TWO_THIRDS_PRESENT: lambda no, present, members: at_least_two_thirds(present),
    # Everyone present said yes (nobody voted no, nobody abstained).
    UNANIMOUS_PRESENT: lambda no, present, members: present,
}


@dataclass(frozen=True)
class Outcome:
    """The result of one closed poll under one majority rule."""

    rule: str
    adopted: bool
    threshold: int  # yes votes that adopt the motion, given these counts
    yes: int
    no: int
    abstain: int
    cast: int  # yes + no: abstentions are not votes cast
    present: int = 0  # voting members present at the close
    voting_members: int = 0  # every voting member of the body

    def describe(self) -> str:
        """The rule and what it needed, in words that read right to a delegate.

        Where the threshold moves with the no votes (simple, two-thirds) the rule is said as
        the comparison it is, never as a number: "Needed: 1" for an 11-0 vote reads as if
        one vote had been enough for anything. Where it rests on a fixed base (members present,
        all members) the base and the number are said. The minutes (Robert's Rules) and every
        screen use these words."""
        none_yet = ", and at least one yes" if self.yes == 0 and self.no == 0 else ""
        if self.rule == SIMPLE:
            return f"simple majority of votes cast: more yes than no{none_yet}"
        if self.rule == TWO_THIRDS:
            return f"two-thirds of votes cast: yes at least twice no{none_yet}"
        needed = f"at least {self.threshold} yes"
        if self.rule == ABSOLUTE_PRESENT:
            return f"more than half of the {self.present} voting members present: {needed}"
        if self.rule == ABSOLUTE_ALL:
            return f"more than half of all {self.voting_members} voting members: {needed}"
        if self.rule == TWO_THIRDS_PRESENT:
            return f"two-thirds of the {self.present} voting members present: {needed}"
        if self.rule == UNANIMOUS_PRESENT:
            return f"every voting member present ({self.present}) votes yes: {needed}"
        raise UnknownRule(self.rule)


def _require_count(name: str, value: object) -> int:
    # bool is an int subclass; True as a vote count is always a caller's bug.
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be a whole number, not {value!r}")
    if value < 0:
        raise ValueError(f"{name} cannot be negative (got {value})")
    return value


def _check_counts(yes: int, no: int, abstain: int, present: int, voting_members: int) -> None:
    for name, value in (
        ("yes", yes),
        ("no", no),
        ("abstain", abstain),
        ("present", present),
        ("voting_members", voting_members),
    ):
        _require_count(name, value)
    if yes + no + abstain > present:
        raise ValueError(
            f"{yes + no + abstain} members voted or abstained but only {present} were present"
        )
    if present > voting_members:
        raise ValueError(
            f"{present} voting members present but the body has only {voting_members}"
        )


def threshold(rule: str, *, no: int, present: int, voting_members: int) -> int:
    """Yes votes needed to adopt under ``rule``; never fewer than one."""
    try:
        formula = _THRESHOLDS[rule]
    except (KeyError, TypeError):
        raise UnknownRule(f"unknown majority rule {rule!r}; expected one of {RULES}") from None
    return max(formula(no, present, voting_members), 1)


def decide(
    rule: str,
    *,
    yes: int,
    no: int,
    abstain: int = 0,
    present: int,
    voting_members: int,
) -> Outcome:
    """Whether a closed poll adopted the motion under ``rule``.

    ``present`` is the number of voting members present when the poll closed
    (voters, abstainers and those who did neither); ``voting_members`` is every
    voting member of the body. Impossible counts raise ValueError rather than
    producing a result that would end up in the minutes.
    """
    if rule not in RULES:
        raise UnknownRule(f"unknown majority rule {rule!r}; expected one of {RULES}")
    _check_counts(yes, no, abstain, present, voting_members)
    needed = threshold(rule, no=no, present=present, voting_members=voting_members)
    return Outcome(
        rule=rule,
        adopted=yes >= needed,
        threshold=needed,
        yes=yes,
        no=no,
        abstain=abstain,
        cast=yes + no,
        present=present,
        voting_members=voting_members,
    )
