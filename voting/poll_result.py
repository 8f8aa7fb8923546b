"""A poll's result as a value: what voting.results computes, voting.operations stores (as the
JSON of `polls.result`), the API shows (voting.schemas.PollResultOut documents it), the recount
compares and the memorandum reads (minutes.collect).

One frozen dataclass with optional parts rather than one per shape, because every shape shares
the turnout (`status`, `counts`, `cast`, `abstain`, `ballots`, `eligible`, `present`,
`quorate`, `rule`, `threshold`) and the stamps of the close (`round`, `reason`, `votes`,
`ballots_digest`, ...). `rule` says which shape it is:

* a majority name ("simple", "two_thirds", ...): yes/no; `threshold_text`;
* "exhaustive": one round of an exhaustive ballot; `winner`, `eliminated`, `contest`,
  `casting_vote` (a candidate), `next_round` {candidates, reason}, `level`;
* "irv": an instant-runoff count; `exhausted`, `winner`, `rounds` [IrvRoundCount], `level`,
  `casting_vote` (the list, in order);
* "assessment": a table of scores; `subjects` [SubjectRow], `scale` {min, max};
  `counts` is {"scored", "abstain"}.

`as_json()` gives exactly the dict stored and published before this type existed (same keys,
same order, a key absent where it was absent); `from_json()` reads a stored one, old ones
included (a missing part gets its empty value). Pure: no Flask, no database.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Any


class ResultStatus(StrEnum):
    """What a closed poll decided (`polls.result.status`)."""

    ADOPTED = "adopted"
    REJECTED = "rejected"
    ELECTED = "elected"
    RUNOFF = "runoff"  # exhaustive ballot: another round follows
    TIED = "tied"  # level: the chair's casting vote, or the round held again
    VOID = "void"  # the meeting was not quorate at the close
    RECORDED = "recorded"  # an assessment's scores (not a decision)


# the statuses that decide a motion (the rest leave it pending)
DECIDING = (ResultStatus.ADOPTED, ResultStatus.REJECTED, ResultStatus.ELECTED, ResultStatus.RECORDED)


class Method(StrEnum):
    """How a poll is counted (`polls.method`)."""

    YES_NO = "yes_no"
    EXHAUSTIVE = "exhaustive"
    IRV = "irv"
    ASSESSMENT = "assessment"


class Choice(StrEnum):
    """The choices of a yes/no ballot; `abstain` is also every other ballot's abstention."""

    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"


class NextReason(StrEnum):
    """Why an exhaustive ballot's next round is held (`polls.reason` of that round)."""

    ELIMINATION = "elimination"
    TIE_BREAK = "tie_break"


class _Absent(Enum):
    ABSENT = "absent"


ABSENT = _Absent.ABSENT  # a key the stored JSON does not hold (unlike a key holding null)


@dataclass(frozen=True)
class NextRound:
    candidates: list[int]
    reason: str  # NextReason

    def as_json(self) -> dict:
        return {"candidates": list(self.candidates), "reason": self.reason}


@dataclass(frozen=True)
class IrvRoundCount:
    """One published round of an instant-runoff count (voting.tally.IrvRound, numbered)."""

    round: int
    counts: dict[str, int]
    counting: int  # ballots still counting: that round's votes cast
    exhausted: int
    threshold: int  # more than half of `counting`
    eliminated: list[int]
    continuing: list[int]
    level: list[int]  # tied for last, not separated by the earlier rounds
    casting_votes: list[int]  # the chair's, which settled that tie

    def as_json(self) -> dict:
        return {"round": self.round, "counts": dict(self.counts), "counting": self.counting,
                "exhausted": self.exhausted, "threshold": self.threshold, "eliminated": list(self.eliminated),
                "continuing": list(self.continuing), "level": list(self.level),
                "casting_votes": list(self.casting_votes)}

    @classmethod
    def from_json(cls, data: dict) -> IrvRoundCount:
        counts = dict(data.get("counts") or {})
        counting = int(data.get("counting", sum(int(n) for n in counts.values())))
        return cls(round=int(data.get("round", 0)), counts=counts, counting=counting,
                   exhausted=int(data.get("exhausted") or 0), threshold=int(data.get("threshold", counting // 2 + 1)),
                   eliminated=list(data.get("eliminated") or []), continuing=list(data.get("continuing") or []),
                   level=list(data.get("level") or []), casting_votes=list(data.get("casting_votes") or []))


@dataclass(frozen=True)
class SubjectRow:
    """One line of an assessment's table; `mean`/`median` None when nobody scored it."""

    name: str
    count: int
    mean: int | float | None
    median: int | float | None
    distribution: dict[str, int]  # score (as text) -> sheets giving it

    def as_json(self) -> dict:
        return {"name": self.name, "count": self.count, "mean": self.mean, "median": self.median,
                "distribution": dict(self.distribution)}

    @classmethod
    def from_json(cls, data: dict) -> SubjectRow:
        return cls(name=data["name"], count=int(data["count"]), mean=data.get("mean"), median=data.get("median"),
                   distribution={str(k): int(n) for k, n in (data.get("distribution") or {}).items()})


@dataclass(frozen=True)
class PollResult:
    status: str  # ResultStatus
    counts: dict[str, int]  # choice (or candidate id as text) -> votes; "abstain" included
    cast: int  # votes cast (abstentions never are)
    abstain: int
    ballots: int  # every ballot received
    eligible: int
    present: int
    quorate: bool
    rule: str  # a majority name, or "exhaustive" / "irv" / "assessment"
    threshold: int | None
    threshold_text: str | None = None  # not for an assessment
    # candidates (exhaustive and irv)
    winner: Any = None  # a candidate's id (a member id or a logo id)
    level: list[int] = field(default_factory=list)
    casting_vote: Any = None  # exhaustive: a candidate; irv: the list, in order
    eliminated: list[int] = field(default_factory=list)  # exhaustive
    contest: list[int] = field(default_factory=list)  # exhaustive
    next_round: NextRound | None = None  # exhaustive, when "runoff"
    exhausted: int = 0  # irv: the last round's
    rounds: list[IrvRoundCount] = field(default_factory=list)  # irv
    # assessment
    subjects: list[SubjectRow] = field(default_factory=list)
    scale: dict[str, int] | None = None  # {"min", "max"}
    # stamped by voting.operations at the close
    round: int | None = None
    reason: str | None = None
    approves: dict | None = None  # a minutes approval: the memorandum and version put to the vote
    votes: list[dict] | None = None  # a named poll's roll-call [{member_id, member, choice}]
    ballots_digest: str | None = None
    digest_scheme: int | None = None  # voting.seal.DIGEST_SCHEME
    resolution_number: Any = ABSENT  # once decided (None for a decision without a number)

    @property
    def shape(self) -> str:
        """"exhaustive", "irv", "assessment" or "yes_no"."""
        return self.rule if self.rule in (Method.EXHAUSTIVE, Method.IRV, Method.ASSESSMENT) else Method.YES_NO

    @property
    def decides(self) -> bool:
        return self.status in DECIDING

    def as_json(self) -> dict:
        """The stored and published dict, key for key as API.md shows it."""
        data: dict[str, Any] = {"status": str(self.status), "counts": dict(self.counts)}
        if self.shape == Method.ASSESSMENT:
            data = {"status": str(self.status), "subjects": [row.as_json() for row in self.subjects],
                    "scale": dict(self.scale or {}), "counts": dict(self.counts)}
        data.update(cast=self.cast, abstain=self.abstain, ballots=self.ballots, eligible=self.eligible,
                    present=self.present, quorate=self.quorate, rule=self.rule, threshold=self.threshold)
        if self.shape == Method.YES_NO:
            data["threshold_text"] = self.threshold_text
        elif self.shape == Method.EXHAUSTIVE:
            data.update(threshold_text=self.threshold_text, winner=self.winner, eliminated=list(self.eliminated),
                        contest=list(self.contest), casting_vote=self.casting_vote)
            if self.next_round is not None:
                data["next_round"] = self.next_round.as_json()
                data["level"] = list(self.level)
            else:
                data["level"] = list(self.level)
                if not self.quorate:  # a void round says there is no next round
                    data["next_round"] = None
        elif self.shape == Method.IRV:
            data.update(exhausted=self.exhausted, threshold_text=self.threshold_text, winner=self.winner,
                        rounds=[r.as_json() for r in self.rounds], level=list(self.level),
                        casting_vote=self.casting_vote)
        if self.round is not None or self.reason is not None:
            data.update(round=self.round, reason=self.reason)
        if self.approves is not None:
            data["approves"] = self.approves
        if self.votes is not None:
            data["votes"] = list(self.votes)
        if self.ballots_digest is not None:
            data["ballots_digest"] = self.ballots_digest
        if self.digest_scheme is not None:
            data["digest_scheme"] = self.digest_scheme
        if self.resolution_number is not ABSENT:
            data["resolution_number"] = self.resolution_number
        return data

    @classmethod
    def from_json(cls, data: dict) -> PollResult:
        """A stored result, however old: a part it lacks gets its empty value."""
        counts = dict(data.get("counts") or {})
        # an old result without `abstain` had its abstentions only in its counts
        abstain = int(data["abstain"] if data.get("abstain") is not None else counts.get("abstain", 0))
        cast = int(data.get("cast") or 0)
        next_round = data.get("next_round")
        return cls(
            status=data.get("status") or ResultStatus.VOID, counts=counts, cast=cast,
            abstain=abstain, ballots=int(data.get("ballots") or cast + abstain),
            eligible=int(data.get("eligible") or 0), present=int(data.get("present") or 0),
            quorate=bool(data.get("quorate", False)), rule=data.get("rule") or "", threshold=data.get("threshold"),
            threshold_text=data.get("threshold_text"), winner=data.get("winner"), level=list(data.get("level") or []),
            casting_vote=data.get("casting_vote"), eliminated=list(data.get("eliminated") or []),
            contest=list(data.get("contest") or []),
            next_round=NextRound(list(next_round.get("candidates") or []), next_round.get("reason") or "")
            if next_round else None,
            exhausted=int(data.get("exhausted") or 0),
            rounds=[IrvRoundCount.from_json(r) for r in data.get("rounds") or []],
            subjects=[SubjectRow.from_json(row) for row in data.get("subjects") or []], scale=data.get("scale"),
            round=data.get("round"), reason=data.get("reason"), approves=data.get("approves"),
            votes=data.get("votes"), ballots_digest=data.get("ballots_digest"),
            digest_scheme=data.get("digest_scheme"), resolution_number=data.get("resolution_number", ABSENT))
