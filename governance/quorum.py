"""Quorum, as a pure rule: no Flask, no database.

Voting members are counted per member, never per delegate: a city with three delegates
in the room is one present voting member.
"""
from collections.abc import Iterable
from dataclasses import dataclass

RULES = ("majority", "two_thirds", "count")


@dataclass(frozen=True)
class QuorumRule:
    rule: str = "majority"
    count: int | None = None

    def __post_init__(self):
        if self.rule not in RULES:
            raise ValueError(f"unknown quorum rule {self.rule!r}")
        if self.rule == "count" and (self.count is None or self.count < 1):
            raise ValueError("a fixed quorum needs a count of at least 1")


@dataclass(frozen=True)
class Quorum:
    """The meeting's quorum at one moment: voting members (counted per member), how many of
    them are present, how many must be, and whether they are. A poll keeps the one at its
    opening (`polls.quorum_at_open`) and at its close (`polls.quorum_at_close`) as `as_dict()`;
    the API shows it as governance.meetings.schemas.QuorumOut."""

    voting_members: int
    present: int
    required: int
    quorate: bool

    def as_dict(self) -> dict:
        """The stored and published JSON: {voting_members, present, required, quorate}."""
        return {"voting_members": self.voting_members, "present": self.present,
                "required": self.required, "quorate": self.quorate}

    @classmethod
    def from_json(cls, data: dict | None) -> "Quorum | None":
        """A stored `as_dict()`; None for none, and for one that lacks a figure (nothing the
        platform wrote: a quorum it cannot read is shown as no quorum recorded, not guessed)."""
        if not data:
            return None
        try:
            return cls(int(data["voting_members"]), int(data["present"]), int(data["required"]),
                       bool(data["quorate"]))
        except (KeyError, TypeError, ValueError):
            return None


def required_for(rule: QuorumRule, voting_members: int) -> int:
    """How many voting members must be present. Never less than one: nobody is no meeting."""
    if rule.rule == "majority":
        return voting_members // 2 + 1  # more than half
    if rule.rule == "two_thirds":
        return max(1, -(-2 * voting_members // 3))  # at least two thirds, in integers
    assert rule.count is not None  # a fixed quorum has its count (QuorumRule checks it)
    return rule.count


def counted(rule: QuorumRule, voting_members: int, present: int) -> Quorum:
    """The quorum from the counts: `present` counts the voting members present only (compute)."""
    required = required_for(rule, voting_members)
    return Quorum(voting_members, present, required, present >= required)


def compute(rule: QuorumRule, voting_member_ids: Iterable[int], present_member_ids: Iterable[int]) -> Quorum:
    """The quorum of a meeting from who may vote and whose delegates are checked in.

    Present members who are not voting members (an observer city, a suspended member)
    do not count towards quorum.
    """
    voting = set(voting_member_ids)
    return counted(rule, len(voting), len(voting & set(present_member_ids)))
