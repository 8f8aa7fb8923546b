"""The closed-session decisions of a meeting, as published (governance.publication).

Once the secretariat publishes a meeting's closed-session decisions, the public learns of
each one taken until then: its resolution number, the motion as worded and its outcome,
never the debate, the notes or the counts of a secret ballot."""
from sqlalchemy import select

from governance import publication
from governance.extensions import db
from governance.meetings.models import AgendaItem, Meeting, MeetingSession
from motions.models import Motion, MotionStatus

DECIDED = (MotionStatus.ADOPTED, MotionStatus.REJECTED, MotionStatus.ELECTED)


def closed_decisions(meeting: Meeting, *, published_only: bool = True) -> list[Motion]:
    """The meeting's decided closed-session motions, in the order decided; with
    `published_only`, only those decided until the last publication (none before it)."""
    query = (select(Motion).join(AgendaItem, AgendaItem.id == Motion.item_id)
             .join(MeetingSession, MeetingSession.id == AgendaItem.session_id)
             .where(Motion.meeting_id == meeting.id, MeetingSession.kind == "closed", Motion.status.in_(DECIDED))
             .order_by(Motion.decided_at, Motion.id))
    if published_only:
        until = publication.published_at(meeting.id)
        if until is None:
            return []
        query = query.where(Motion.decided_at <= until)
    return list(db.session.scalars(query))


def is_published(motion: Motion) -> bool:
    """An open-session decision is public at once; a closed-session one once published."""
    if not motion.item.closed:
        return True
    until = publication.published_at(motion.meeting_id)
    return until is not None and motion.decided_at is not None and motion.decided_at <= until


def decided_since(meeting, *, moment) -> bool:
    """governance.publication.signals.decided_since_asked: a motion of the meeting decided
    after `moment`."""
    return db.session.scalar(select(Motion.id).where(Motion.meeting_id == meeting.id, Motion.decided_at > moment)
                             .limit(1)) is not None
