"""Rehearsal polls cleared before the meeting is called to order, and what the polls of a
meeting mean for correcting it (governance.meetings.dependents).

A secretariat tries the phones out before the meeting: polls opened and closed on a test
motion. Clearing deletes those polls with their ballots, participations and electorates; the
audit trail keeps their `poll.opened` and `poll.closed` events, and a `polls.cleared` event
says what went. A motion the rehearsal decided goes back to pending, unless its adoption
changed something beyond the motion (a member's status, the next host, the logo, the agenda
lock, a memorandum's approval): that cannot be cleared, and the refusal names it.
"""
from sqlalchemy import delete, func, select

from governance.audit.operations import record
from governance.errors import conflict
from governance.extensions import db
from governance.meetings.models import Meeting, Participant
from motions.models import Motion, MotionStatus
from voting.models import Ballot, Participation, Poll

EFFECTFUL = ("membership", "host_city", "logo", "agenda_adoption", "minutes_approval")


# decisions whose effects last (a registry change, a winner) and forbid clearing the rehearsal
LASTING = (MotionStatus.ADOPTED, MotionStatus.ELECTED)


def clear_rehearsal_polls(meeting: Meeting, *, actor) -> dict:
    """Delete every poll of the meeting before it is called to order → {"polls", "ballots",
    "motions_reset"}. 409 `meeting_started`, `poll_open`, or `rehearsal_decided` (an adoption
    with effects)."""
    if meeting.opened_at is not None:
        raise conflict("meeting_started", "The meeting was called to order: its polls are the record now.")
    polls = db.session.scalars(select(Poll).where(Poll.meeting_id == meeting.id).order_by(Poll.id)).all()
    if any(poll.is_open for poll in polls):
        raise conflict("poll_open", "A poll is open; close it first.")
    motion_ids = sorted({poll.motion_id for poll in polls})
    motions = db.session.scalars(select(Motion).where(Motion.id.in_(motion_ids))).all() if motion_ids else []
    lasting = [m.title for m in motions if m.kind in EFFECTFUL and m.status in LASTING]
    if lasting:
        raise conflict("rehearsal_decided", "The rehearsal decided " + ", ".join(f"“{t}”" for t in lasting)
                       + ", whose adoption changed more than the motion; it cannot be cleared.")
    poll_ids = [poll.id for poll in polls]
    ballots = db.session.scalar(select(func.count()).select_from(Ballot).where(Ballot.poll_id.in_(poll_ids))) \
        if poll_ids else 0
    reset = []
    for motion in motions:
        if motion.status in (MotionStatus.ADOPTED, MotionStatus.REJECTED, MotionStatus.ELECTED):
            motion.status, motion.resolution_number, motion.decided_at, motion.winner = "pending", None, None, None
            reset.append(motion.id)
    db.session.flush()
    if poll_ids:
        # the database's cascades take the ballots, participations and electorates with the polls
        db.session.execute(delete(Poll).where(Poll.id.in_(poll_ids)))
        db.session.expire_all()
    report = {"polls": len(poll_ids), "ballots": ballots, "motions_reset": reset}
    record("polls.cleared", actor=actor, meeting=meeting, subject=meeting, after={**report, "poll_ids": poll_ids})
    return report


def polls_of(meeting: Meeting) -> list[str]:
    count = db.session.scalar(select(func.count()).select_from(Poll).where(Poll.meeting_id == meeting.id))
    return [f"{count} poll(s)"] if count else []


def votes_by(participant: Participant) -> list[str]:
    count = db.session.scalar(select(func.count()).select_from(Participation)
                              .join(Poll, Poll.id == Participation.poll_id)
                              .where(Poll.meeting_id == participant.meeting_id,
                                     Participation.cast_by_id == participant.user_id))
    return [f"{count} vote(s) cast"] if count else []
