"""Cross-examining a closed poll and the motion it decided (pure: no Flask, no database).

A recount that only recomputes the stored result from the stored ballots proves nothing
against someone who can write to the database: they change both. So the ballots are also
compared with what the audit trail recorded at closing (`poll.closed`, `poll.casting_vote`:
status, counts, winner, the ballots' digest and the participations' digest, see voting.seal),
with the roll-call of a named poll, and the motion's recorded decision with its poll. The
events are protected by the chain (and its anchors and key, governance.audit.chain).

The same examination serves `excom audit recount` (rows from the database) and
`excom archive verify` (rows from an archive). Every finding is a sentence naming what
differs; none is repaired.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from voting import results, seal
from voting.choices import readable_choice
from voting.poll_result import DECIDING, Method

# what a recount must reproduce exactly (presentation such as threshold_text is left out)
COMPARED = ("status", "subjects", "scale", "counts", "cast", "abstain", "ballots", "eligible", "present", "quorate",
            "threshold", "winner", "eliminated", "next_round", "contest", "rounds", "casting_vote", "round", "reason")
DECISIVE = tuple(status.value for status in DECIDING)  # recorded: an assessment's table taken


@dataclass(frozen=True)
class PollFacts:
    """A closed poll as stored, with its ballots, participations and audit events.

    ballots: (receipt, choice as stored, member_id or None, cast_at or None);
    participations: (member_id, cast_by_id); events: the poll's `poll.closed` and
    `poll.casting_vote` events as {"seq", "action", "after"}, oldest first."""

    id: int
    method: str
    majority: str
    secret: bool
    round: int
    reason: str
    ballot: list | None
    contest: list | None
    candidates: list
    eligible_count: int
    quorum_at_close: dict | None
    result: dict | None
    ballots_digest: str | None
    ballots: list[tuple] = field(default_factory=list)
    participations: list[tuple] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    # assessments: the motion's subjects and scale {"min", "max"} (None: those the result names,
    # for an archive written before they were in it)
    subjects: list | None = None
    scale: dict | None = None


@dataclass(frozen=True)
class MotionFacts:
    """A motion's recorded decision and its `motion.adopted/rejected/elected` events."""

    id: int
    title: str
    status: str
    resolution_number: str | None
    winner: int | None
    events: list[dict] = field(default_factory=list)


def recount(poll: PollFacts, casting_vote=None) -> dict:
    """The poll's result from its ballots alone, with the electorate recorded at closing.

    Raises ValueError (or another error of the rules) for ballots the rules cannot read."""
    at_close = poll.quorum_at_close or {}
    published = poll.result or {}
    electorate = results.Electorate(eligible=poll.eligible_count,
                                    present=at_close.get("present", published.get("present", 0)),
                                    quorate=at_close.get("quorate", published.get("quorate", False)))
    choices = [choice for _, choice, _, _ in poll.ballots]
    counts = dict(Counter(choices))
    if poll.method == Method.YES_NO:
        result = results.yes_no_result(poll.majority, counts, electorate)
    elif poll.method == Method.ASSESSMENT:
        subjects = poll.subjects if poll.subjects is not None else \
            [row.get("name") for row in published.get("subjects") or []]
        result = results.assessment_result(subjects=subjects, scale=poll.scale or published.get("scale") or {},
                                           choices=choices, electorate=electorate)
    elif poll.method == Method.EXHAUSTIVE:
        assert poll.contest is not None and poll.ballot is not None, "an exhaustive poll keeps its contest and ballot"
        result = results.exhaustive_result(contest=poll.contest, ballot=poll.ballot, counts=counts,
                                           tie_break=poll.reason == "tie_break", electorate=electorate,
                                           casting_vote=casting_vote)
    else:
        # the chair's casting votes settling ties for last place (voting.tally.instant_runoff), in order
        if casting_vote is not None and not isinstance(casting_vote, list):
            casting_vote = [casting_vote]
        result = results.irv_result(candidates=poll.candidates, choices=choices, electorate=electorate,
                                    casting_votes=casting_vote)
    votes = None if poll.secret else sorted(({"member_id": member_id, "choice": readable_choice(poll.method, choice)}
                                             for _, choice, member_id, _ in poll.ballots), key=_member_key)
    return replace(result, round=poll.round, reason=poll.reason, votes=votes).as_json()


def _member_key(vote: dict):
    return (vote.get("member_id") is None, vote.get("member_id") or 0)


def _short(digest) -> str:
    return f"{digest[:12]}…" if isinstance(digest, str) else repr(digest)


def examine_poll(poll: PollFacts) -> list[str]:
    """Every disagreement between the poll's ballots, its stored result, its seals and its events."""
    problems: list[str] = []
    published = poll.result or {}
    closings = [e for e in poll.events if e["action"] == "poll.closed"]
    castings = [e for e in poll.events if e["action"] == "poll.casting_vote"]
    closing = closings[-1] if closings else None
    recorded = (closing or {}).get("after") or {}
    if not closings:
        problems.append("the audit trail holds no poll.closed event for it")
    elif len(closings) > 1:
        problems.append(f"the audit trail holds {len(closings)} poll.closed events for it "
                        f"(events {', '.join(str(e['seq']) for e in closings)})")

    scheme = recorded.get("digest_scheme", published.get("digest_scheme", seal.LEGACY_DIGEST)) \
        if closing else published.get("digest_scheme", seal.LEGACY_DIGEST)
    digest = seal.digest_for(scheme, poll.id, poll.ballots)
    where = f"the poll.closed event (event {closing['seq']})" if closing else None
    if closing:
        if digest != recorded.get("digest"):
            what = "the ballots" if poll.secret else "the ballots (in this named poll, the roll-call too)"
            problems.append(f"{what} are not those sealed at closing: they hash to {_short(digest)}, "
                            f"{where} recorded {_short(recorded.get('digest'))}")
        if poll.ballots_digest != recorded.get("digest"):
            problems.append(f"the digest stored with the poll ({_short(poll.ballots_digest)}) is not the one "
                            f"{where} recorded ({_short(recorded.get('digest'))})")
    elif digest != poll.ballots_digest:
        problems.append("the ballots are not those counted at closing (the digest stored with the poll differs)")
    if published.get("ballots_digest") != poll.ballots_digest:
        problems.append(f"the published result's digest ({_short(published.get('ballots_digest'))}) differs from "
                        f"the poll's ({_short(poll.ballots_digest)})")

    problems += _examine_turnout(poll, recorded, where)

    try:
        at_close = recount(poll)
    except Exception as error:  # noqa: BLE001 - a ballot the rules cannot read is itself a finding
        return [*problems, f"the ballots cannot be counted: {error}"]
    for key in ("status", "counts", "winner"):
        if closing and key in recorded and recorded[key] != at_close.get(key):
            problems.append(f"{key}: {where} recorded {recorded[key]!r}, the ballots give {at_close.get(key)!r}")
    if closing and poll.method == "assessment":  # what was scored: the names in ballot order, the scale
        named = poll.subjects if poll.subjects is not None else \
            [row.get("name") for row in published.get("subjects") or []]
        for key, now in (("subjects", named), ("scale", poll.scale or published.get("scale"))):
            if key in recorded and recorded[key] != now:
                problems.append(f"{key}: {where} recorded {recorded[key]!r}, the motion has {now!r}")

    casting_event = castings[-1] if castings else None
    casting_vote = ((casting_event or {}).get("after") or {}).get("casting_vote")
    if casting_event is None and published.get("casting_vote") is not None:
        problems.append(f"the result names a casting vote ({published['casting_vote']!r}) that the audit trail "
                        "does not record")
    final = at_close
    if casting_event is not None and casting_vote is not None:  # the vote comes from the event
        try:
            final = recount(poll, casting_vote)
        except Exception as error:  # noqa: BLE001
            return [*problems, f"the casting vote recorded in event {casting_event['seq']} cannot apply: {error}"]
        given = casting_event.get("after") or {}
        for key in ("status", "winner", "counts"):
            if key in given and given[key] != final.get(key):
                problems.append(f"{key}: the poll.casting_vote event (event {casting_event['seq']}) recorded "
                                f"{given[key]!r}, the ballots and the casting vote give {final.get(key)!r}")
        if given.get("digest") not in (None, recorded.get("digest", given.get("digest"))):
            problems.append(f"the poll.casting_vote event (event {casting_event['seq']}) sealed other ballots "
                            f"({_short(given.get('digest'))}) than the poll.closed event")

    for key in COMPARED:
        if (key in final or key in published) and final.get(key) != published.get(key):
            problems.append(f"{key}: published {published.get(key)!r}, recounted {final.get(key)!r}")
    if not poll.secret:
        problems += _examine_roll_call(published.get("votes") or [], final["votes"])
    return problems


def _examine_turnout(poll: PollFacts, recorded: dict, where: str | None) -> list[str]:
    """Who took part against the ballots and the participations' seal."""
    problems = []
    if len(poll.participations) != len(poll.ballots):
        problems.append(f"{len(poll.participations)} members took part but the box holds {len(poll.ballots)} ballots")
    if where and "ballots" in recorded and recorded["ballots"] != len(poll.ballots):
        problems.append(f"{where} counted {recorded['ballots']} ballots; the box holds {len(poll.ballots)}")
    sealed = recorded.get("participations_digest") if where else None
    if sealed and seal.participations_digest(poll.id, poll.participations) != sealed:
        problems.append(f"who took part, or which delegate cast a member's vote (\"voted by\"), is not what "
                        f"{where} sealed")
    if not poll.secret:
        took_part = {member_id for member_id, _ in poll.participations}
        named = Counter(member_id for _, _, member_id, _ in poll.ballots)
        for receipt, _, member_id, _ in sorted(poll.ballots, key=lambda b: b[0]):
            if member_id not in took_part:
                problems.append(f"the named ballot {receipt} names member {member_id}, who has no participation "
                                "in this poll (an edited roll-call)")
        for member_id, times in sorted(named.items(), key=lambda item: (item[0] is None, item[0] or 0)):
            if times > 1:
                problems.append(f"member {member_id} is named on {times} ballots")
        for member_id in sorted(took_part - set(named)):
            problems.append(f"member {member_id} took part but no ballot names it")
    return problems


def _examine_roll_call(published: list[dict], counted: list[dict]) -> list[str]:
    said = {v.get("member_id"): v.get("choice") for v in published}
    found = {v["member_id"]: v["choice"] for v in counted}
    problems = []
    for member_id in sorted(set(said) | set(found), key=lambda m: (m is None, m or 0)):
        if member_id not in found:
            problems.append(f"roll-call: the published result lists member {member_id} voting {said[member_id]!r}, "
                            "but no ballot names it")
        elif member_id not in said:
            problems.append(f"roll-call: member {member_id}'s ballot ({found[member_id]!r}) is missing from the "
                            "published result")
        elif said[member_id] != found[member_id]:
            problems.append(f"roll-call: the published result has member {member_id} voting {said[member_id]!r}, "
                            f"its ballot says {found[member_id]!r}")
    return problems


def examine_decision(motion: MotionFacts, polls: list[PollFacts]) -> list[str]:
    """The motion's recorded decision against its polls (oldest round first) and the trail."""
    problems = []
    deciding = [p for p in polls if (p.result or {}).get("status") in DECISIVE]
    decisions = [e for e in motion.events if e["action"] in tuple(f"motion.{s}" for s in DECISIVE)]
    if len(deciding) > 1:
        problems.append(f"{len(deciding)} polls decided it (polls {', '.join(str(p.id) for p in deciding)})")
    if deciding:
        poll = deciding[-1]
        result = poll.result or {}  # never empty: it decided
        if motion.status != result["status"]:
            problems.append(f"it is marked {motion.status}, but its poll {poll.id} (round {poll.round}) "
                            f"{result['status']} it")
        if result.get("resolution_number") != motion.resolution_number:
            problems.append(f"its resolution number is {motion.resolution_number!r}, the result of poll {poll.id} "
                            f"says {result.get('resolution_number')!r}")
        if result.get("winner") is not None and result.get("winner") != motion.winner:
            problems.append(f"its winner is {motion.winner!r}, poll {poll.id} elected {result.get('winner')!r}")
    elif motion.status in DECISIVE:
        problems.append(f"it is marked {motion.status}, but no poll decided it")
    if motion.status in DECISIVE:
        if not decisions:
            problems.append(f"it is marked {motion.status}, but the audit trail records no decision of it")
    elif decisions:
        problems.append(f"it is marked {motion.status}, but the audit trail recorded it "
                        f"{decisions[-1]['action'].split('.', 1)[1]} (event {decisions[-1]['seq']})")
    if decisions:
        event = decisions[-1]
        after = event.get("after") or {}
        outcome = event["action"].split(".", 1)[1]
        if len(decisions) > 1:
            problems.append(f"the audit trail records {len(decisions)} decisions of it")
        if motion.status in DECISIVE and outcome != motion.status:
            problems.append(f"it is marked {motion.status}, but the audit trail recorded it {outcome} "
                            f"(event {event['seq']})")
        if after.get("resolution_number") != motion.resolution_number:
            problems.append(f"its resolution number is {motion.resolution_number!r}, the audit trail recorded "
                            f"{after.get('resolution_number')!r} (event {event['seq']})")
        if after.get("winner") != motion.winner:
            problems.append(f"its winner is {motion.winner!r}, the audit trail recorded {after.get('winner')!r} "
                            f"(event {event['seq']})")
    return problems
