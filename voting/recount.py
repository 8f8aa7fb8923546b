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
from governance.meetings.models import Meeting
from motions import effects
from motions.models import Motion
from voting import crosscheck
from voting.models import Poll, PollStatus
from voting.queries import ballot_rows, participation_rows

DECISIONS = ("motion.adopted", "motion.rejected", "motion.elected", "motion.recorded")  # recorded: an assessment
POLL_ACTIONS = ("poll.closed", "poll.casting_vote", "polls.cleared") + DECISIONS


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


def without_cleared_rehearsals(trail: Trail) -> Trail:
    """The trail less what clearing rehearsal polls undid (voting.rehearsal, its `polls.cleared`
    event): the cleared polls' events and the decisions of the motions it reset, each written
    before the clearing. Their ids may be given again (SQLite reuses a deleted row's id)."""
    undone: set[tuple[str, int, int]] = set()  # (subject type, id, clearing's seq)
    for clearing in trail.of_action("polls.cleared"):
        after = clearing["after"] or {}
        undone |= {("Poll", poll_id, clearing["seq"]) for poll_id in after.get("poll_ids") or ()}
        undone |= {("Motion", motion_id, clearing["seq"]) for motion_id in after.get("motions_reset") or ()}
    if not undone:
        return trail

    def kept(event: dict) -> bool:
        if event["subject_type"] == "Motion" and event["action"] not in DECISIONS:
            return True
        return not any((event["subject_type"], event["subject_id"]) == (kind, id_) and event["seq"] < seq
                       for kind, id_, seq in undone)
    return Trail([event for event in trail.events if kept(event)])


def _gone(trail: Trail, closed: set[int], motions: set[int]) -> list[Finding]:
    """Polls and motions the trail recorded closed or decided, in a meeting still there, whose
    rows are gone (a deleted motion takes its polls with it)."""
    meetings = set(db.session.scalars(select(Meeting.id)))
    findings = []
    status = dict(db.session.execute(select(Poll.id, Poll.status)).all())
    for event in trail.of_action("poll.closed"):
        if event["subject_id"] in closed or event["meeting_id"] not in meetings:
            continue
        now = "it is gone from the database" if event["subject_id"] not in status \
            else f"it is {status[event['subject_id']]} in the database"
        findings.append(Finding(f"poll {event['subject_id']}", f"the audit trail recorded its closing (event "
                                                              f"{event['seq']}), but {now}"))
    for event in trail.of_action(*DECISIONS):
        if event["subject_id"] not in motions and event["meeting_id"] in meetings:
            findings.append(Finding(f"motion {event['subject_id']}", f"the audit trail recorded its decision (event "
                                                                    f"{event['seq']}), but it is gone from the "
                                                                    "database"))
    return findings


def recount_all() -> RecountReport:
    read_snapshot()
    trail = without_cleared_rehearsals(Trail.load(tuple(sorted(set(POLL_ACTIONS) | effects.trail_actions()))))
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
    findings += _gone(trail, {poll.id for poll in closed}, set(db.session.scalars(select(Motion.id))))
    findings += effects.examine_effects(trail)
    return RecountReport(len(closed), findings)
