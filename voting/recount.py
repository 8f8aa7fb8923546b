"""`excom audit recount`: every closed poll cross-examined, and what the adoptions did.

For each closed poll the ballots are recounted and compared with the stored result, with the
`poll.closed` and `poll.casting_vote` audit events (status, counts, winner, the digests of the
ballots and of who took part), and with the roll-call of a named poll (voting.crosscheck). Each
motion's recorded decision is compared with its polls and the trail, and the effects of the
adoptions and the state they left with the trail (motions.effects). Every difference is
reported, never repaired.

The events compared with are only as good as the chain that holds them: run `excom audit
verify` (with the heads printed in distributed memoranda, or EXCOM_AUDIT_KEY) beside it.
"""
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from governance.audit.trail import Finding, Trail, read_snapshot
from governance.extensions import db
from motions import effects
from motions.models import Motion
from voting import crosscheck
from voting.models import Poll, PollStatus
from voting.queries import ballot_rows, participation_rows

POLL_ACTIONS = ("poll.closed", "poll.casting_vote", "motion.adopted", "motion.rejected", "motion.elected",
                "motion.recorded")


@dataclass(frozen=True)
class RecountReport:
    polls: int
    findings: list[Finding]

    @property
    def holds(self) -> bool:
        return not self.findings


def poll_facts(poll: Poll, trail: Trail) -> crosscheck.PollFacts:
    motion = poll.motion
    return crosscheck.PollFacts(
        id=poll.id, method=poll.method, majority=motion.majority, secret=poll.secret, round=poll.round,
        reason=poll.reason, ballot=poll.ballot, contest=poll.contest, candidates=[c.value for c in motion.candidates],
        eligible_count=poll.eligible_count, quorum_at_close=poll.quorum_at_close, result=poll.result,
        ballots_digest=poll.ballots_digest, ballots=ballot_rows(poll.id), participations=participation_rows(poll.id),
        events=trail.about("Poll", poll.id, "poll.closed", "poll.casting_vote"),
        subjects=motion.subjects if motion.kind == "assessment" else None, scale=motion.scale)


def motion_facts(motion: Motion, trail: Trail) -> crosscheck.MotionFacts:
    return crosscheck.MotionFacts(
        id=motion.id, title=motion.title, status=motion.status, resolution_number=motion.resolution_number,
        winner=motion.winner.value if motion.winner else None,
        events=trail.about("Motion", motion.id, *(f"motion.{outcome}" for outcome in crosscheck.DECISIVE)))


def poll_subject(poll: Poll) -> str:
    return f"poll {poll.id} ({poll.motion.title}, round {poll.round})"


def recount_poll(poll: Poll) -> list[str]:
    """The findings about one closed poll (its ballots, result, seals, events and roll-call)."""
    return crosscheck.examine_poll(poll_facts(poll, Trail.load(("poll.closed", "poll.casting_vote"))))


def recount_all() -> RecountReport:
    read_snapshot()
    trail = Trail.load(tuple(sorted(set(POLL_ACTIONS) | effects.trail_actions)))
    findings: list[Finding] = []
    polls_of: dict[int, list[crosscheck.PollFacts]] = defaultdict(list)
    closed = db.session.scalars(select(Poll).where(Poll.status == PollStatus.CLOSED)
                                .order_by(Poll.motion_id, Poll.round, Poll.id)).all()
    for poll in closed:
        facts = poll_facts(poll, trail)
        polls_of[poll.motion_id].append(facts)
        findings += [Finding(poll_subject(poll), problem) for problem in crosscheck.examine_poll(facts)]
    decided = select(Motion).where(Motion.status.in_(crosscheck.DECISIVE) | Motion.id.in_(list(polls_of)))
    for motion in db.session.scalars(decided.order_by(Motion.id)):
        problems = crosscheck.examine_decision(motion_facts(motion, trail), polls_of.get(motion.id, []))
        findings += [Finding(effects.motion_subject(motion), problem) for problem in problems]
    findings += effects.examine_effects(trail)
    return RecountReport(len(closed), findings)
