"""Who may see and do what: the one place that answers, for HTTP, pages and Socket.IO alike.

The rules, in the meeting's terms:
- the secretariat sees and prepares everything;
- a meeting is visible to its participants only (to anyone else it does not exist: 404);
- the open session is visible to every participant, observers and press included;
- the closed session is visible to the delegates of active EXCOM members and to the
  secretariat; everyone else gets answers in which it is absent, not merely hidden;
- the chair of a meeting (or the secretariat) runs it: current item, polls, adjournment;
- a delegate votes for their member, when that member is an eligible voter of the poll.
"""

from governance import transaction
from governance.extensions import db
from governance.meetings.models import AgendaItem, Group, Meeting, MeetingSession, Participant


def is_secretariat(user) -> bool:
    return bool(user and user.is_authenticated and user.is_secretariat)


def participation(user, meeting: Meeting) -> Participant | None:
    """The user's place in the meeting: one indexed lookup, remembered for the transaction
    (an assembly has thousands of participants; the vote path asks this for every vote)."""
    if user is None or user.is_anonymous:  # not is_authenticated: a deactivated account still takes part
        return None
    remembered = transaction.remembered("participation")
    key = (meeting.id, user.id)
    if remembered.get(key) is None:  # a person not (yet) taking part may be added in this transaction
        remembered[key] = db.session.scalar(db.select(Participant).where(
            Participant.meeting_id == meeting.id, Participant.user_id == user.id))
    return remembered[key]


def remember_participations(meeting: Meeting, users) -> None:
    """Look up many people's places at once (a batch of votes): one query instead of one each."""
    remembered = transaction.remembered("participation")
    wanted = {user.id for user in users
              if user is not None and not user.is_anonymous and remembered.get((meeting.id, user.id)) is None}
    if wanted:
        for participant in db.session.scalars(db.select(Participant).where(
                Participant.meeting_id == meeting.id, Participant.user_id.in_(wanted))):
            remembered[(meeting.id, participant.user_id)] = participant


def can_see_meeting(user, meeting: Meeting) -> bool:
    return is_secretariat(user) or participation(user, meeting) is not None


def is_voting_delegate(user, meeting: Meeting) -> bool:
    """A delegate of an active EXCOM member taking part in this meeting as such."""
    participant = participation(user, meeting)
    return bool(participant and participant.group == Group.EXCOM_MEMBER
                and user.member is not None and user.member.is_voting)


def can_see_closed_session(user, meeting: Meeting) -> bool:
    return is_secretariat(user) or is_voting_delegate(user, meeting)


def can_see_session(user, session: MeetingSession) -> bool:
    if session.closed:
        return can_see_closed_session(user, session.meeting)
    return can_see_meeting(user, session.meeting)


def can_see_item(user, item: AgendaItem) -> bool:
    return can_see_session(user, item.session)


def visible_sessions(user, meeting: Meeting) -> list[MeetingSession]:
    return [session for session in meeting.sessions if can_see_session(user, session)]


def is_chair(user, meeting: Meeting) -> bool:
    participant = participation(user, meeting)
    return bool(participant and participant.chair)


def can_run_meeting(user, meeting: Meeting) -> bool:
    """Current item, polls, adjournment: the chair's work, or the secretariat's on their behalf."""
    return is_secretariat(user) or is_chair(user, meeting)


def can_prepare(user) -> bool:
    """Registry, meeting set-up, notes, the memorandum: the secretariat's work."""
    return is_secretariat(user)


def can_see_any_item(user, items) -> bool:
    """A thing put to the vote under these items (a memorandum held outside the platform, say)
    is visible to the secretariat and to whoever may see one of the items: a file referred to
    only from the closed session stays as closed as that session."""
    return is_secretariat(user) or any(can_see_item(user, item) for item in items)


def can_read_drafts(user) -> bool:
    """The revisions of an item's notes and who wrote them: the secretariat's working papers.
    Everyone else who may see the item reads its current text only."""
    return is_secretariat(user)


def can_record_attendance(user, meeting: Meeting, person_id: int) -> bool:
    """The check-in desk, the chair, or a person checking themself in (online, say)."""
    if can_run_meeting(user, meeting):
        return True
    return participation(user, meeting) is not None and user.id == person_id


def can_request_floor(user, item: AgendaItem) -> bool:
    """A participant who may see the item asks to speak or asks a question, for themself."""
    return can_see_item(user, item) and (is_secretariat(user) or participation(user, item.meeting) is not None)


def may_raise_point_of_order(user, meeting: Meeting) -> bool:
    """A point of order is a member's right (Robert's Rules, 23): the delegates of voting members,
    the chair and the secretariat; observers and guests ask to speak or ask questions instead."""
    return is_secretariat(user) or is_chair(user, meeting) or is_voting_delegate(user, meeting)


def can_manage_speaker(user, speaker) -> bool:
    """Withdraw a request: the person on the list, or whoever runs the meeting."""
    return user.id == speaker.user_id or can_run_meeting(user, speaker.item.meeting)

