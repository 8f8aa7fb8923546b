"""Reading a meeting's live state: who is present, and the quorum."""
import functools

from sqlalchemy import Integer, bindparam, func, select

from governance import quorum
from governance.auth.models import User
from governance.extensions import db
from governance.meetings.models import Attendance, Group, Meeting, Participant
from governance.registry.models import Member


def voting_member_ids(meeting: Meeting | None = None) -> set[int]:
    """Every voting member of the board: the active EXCOM members of the registry, whether
    or not they registered a delegate for this sitting. One vote each, whatever the number
    of delegates they sent.

    A board's quorum is a majority of its members, not of those who announced they would
    come (Robert's Rules of Order: unless the rules say otherwise, the quorum of a board is a
    majority of its membership);
    the same base is that of `absolute_all` and the electorate written when a poll opens.
    The memorandum's list of absent members is drawn from it too, so the two agree.
    `meeting` is accepted for the callers' symmetry; the board is the registry's."""
    query = select(Member.id).where(Member.excom.is_(True), Member.status == "active")
    return set(db.session.scalars(query))


def outsiders_voting_member_ids() -> set[int]:
    """The board as someone who may not see the closed sessions knows it: a status changed by
    a closed-session decision not yet published reads as it was (governance.publication)."""
    from governance import publication
    statuses = dict(db.session.execute(select(Member.id, Member.status).where(Member.excom.is_(True))).all())
    return {member_id for member_id, status in publication.shown_many(None, "member.status", statuses).items()
            if status == "active"}


def present_member_ids(meeting: Meeting) -> set[int]:
    """Members with at least one delegate checked in (in the room or online) right now, as a
    registered EXCOM delegate of this meeting (an observer's badge does not make a member
    present)."""
    query = (select(User.member_id).distinct()
             .join(Attendance, Attendance.user_id == User.id)
             .join(Participant, (Participant.user_id == User.id) & (Participant.meeting_id == meeting.id))
             .where(Attendance.meeting_id == meeting.id, Attendance.checked_out_at.is_(None),
                    Participant.group == Group.EXCOM_MEMBER, User.member_id.is_not(None)))
    return set(db.session.scalars(query))


def meeting_quorum(meeting: Meeting, *, outsider: bool = False) -> quorum.Quorum:
    """The quorum now; `outsider`: as told to those who may not see the closed session (the
    board as they know it, see outsiders_voting_member_ids).

    Counted by the database: an assembly of 2,000 members once read 2,000 ids three times for
    each count, and a check-in counted four times (registering them one by one took minutes).
    The count still reads every present delegate, so it runs only where the quorum may have
    moved: a check-in counts once (rests_on says whether it moved). While a closed-session
    decision on a member's status is unpublished, the outsiders' board is drawn member by
    member, as the publication says."""
    inside, outside = meeting_quorums(meeting, outsider=outsider)
    return outside if outsider else inside


def meeting_quorums(meeting: Meeting, *, outsider: bool = True) -> tuple[quorum.Quorum, quorum.Quorum]:
    """(the quorum, the quorum as outsiders are told it), in one query while both are the same;
    without `outsider`, the second is the first."""
    rule = quorum.QuorumRule(meeting.quorum_rule, meeting.quorum_count)
    board, present, withheld = db.session.execute(_quorum_counts(), {"meeting_id": meeting.id}).one()
    inside = quorum.counted(rule, board, present)
    if outsider and withheld:
        return inside, quorum.compute(rule, outsiders_voting_member_ids(), present_member_ids(meeting))
    return inside, inside


@functools.cache
def _quorum_counts():
    """One query, built once: (voting members, voting members present, whether a closed-session
    change of a member's status waits to be published: the outsiders' board may differ then).

    The present are counted from the meeting's open stays, each joined to its participation, its
    person and the person's member by key (SQLite's plan: the open-stay index, then three
    lookups per stay): 0.58 ms for 1,000 present on SQLite, where testing each person's member
    against a list of the voting members, built anew for every count, took 0.76 ms (side by
    side, the same database)."""
    from governance.publication.models import WithheldChange
    meeting_id = bindparam("meeting_id", type_=Integer)
    voting = (Member.excom.is_(True), Member.status == "active")
    present = (select(func.count(User.member_id.distinct()))
               .select_from(Attendance)
               .join(Participant, (Participant.user_id == Attendance.user_id) & (Participant.meeting_id == meeting_id))
               .join(User, User.id == Attendance.user_id)
               .join(Member, Member.id == User.member_id)
               .where(Attendance.meeting_id == meeting_id, Attendance.checked_out_at.is_(None),
                      Participant.group == Group.EXCOM_MEMBER, *voting))
    board = select(func.count()).select_from(Member).where(*voting)
    withheld = select(WithheldChange.id).where(WithheldChange.kind == "member.status").exists()
    return select(board.scalar_subquery(), present.scalar_subquery(), withheld)


def rests_on(meeting: Meeting, member_id: int, user_id: int) -> bool:
    """Whether the member's presence at the meeting rests on this one person: a voting member
    none of whose other delegates is checked in as one of the meeting's EXCOM delegates. Then
    checking that person in or out moves the quorum by one; otherwise it leaves it as it was.
    Lookups by the member and its people, not a count of the assembly."""
    return bool(db.session.execute(_rests_on(), {
        "meeting_id": meeting.id, "member_id": member_id, "user_id": user_id}).scalar())


@functools.cache
def _rests_on():
    meeting_id, member_id = bindparam("meeting_id", type_=Integer), bindparam("member_id", type_=Integer)
    voting = select(Member.id).where(Member.id == member_id, Member.excom.is_(True), Member.status == "active")
    another_present = (
        select(User.id)
        .join(Attendance, (Attendance.user_id == User.id) & (Attendance.meeting_id == meeting_id))
        .join(Participant, (Participant.user_id == User.id) & (Participant.meeting_id == meeting_id))
        .where(User.member_id == member_id, User.id != bindparam("user_id", type_=Integer),
               Attendance.checked_out_at.is_(None), Participant.group == Group.EXCOM_MEMBER))
    return select(voting.exists() & ~another_present.exists())


def open_stay(meeting: Meeting, user_id: int) -> Attendance | None:
    return db.session.scalar(select(Attendance).where(
        Attendance.meeting_id == meeting.id, Attendance.user_id == user_id, Attendance.checked_out_at.is_(None)))


def open_stays(meeting: Meeting) -> dict[int, Attendance]:
    stays = db.session.scalars(select(Attendance).where(
        Attendance.meeting_id == meeting.id, Attendance.checked_out_at.is_(None)))
    return {stay.user_id: stay for stay in stays}
