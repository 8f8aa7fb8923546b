"""Reading polls as a given person may see them."""
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import joinedload

from governance.extensions import db
from governance.fields import id_or_none
from governance.meetings.models import AgendaItem, Attendance, Group, MeetingSession
from governance.registry.models import Member
from motions.models import Motion
from voting.models import Ballot, EligibleVoter, Participation, Poll, PollStatus
from voting.poll_result import Choice, Method


def load_poll(poll_id) -> Poll | None:
    """A poll with its motion, item, session and meeting in one query: the vote path needs all
    four (access policy, audience) and would otherwise load them one by one."""
    if id_or_none(poll_id) is None:  # not an id, or out of the database's range
        return None
    chain = joinedload(Poll.motion).joinedload(Motion.item).joinedload(AgendaItem.session) \
        .joinedload(MeetingSession.meeting)
    return db.session.get(Poll, poll_id, options=[chain])


def standing_of_voters(poll: Poll, voters) -> tuple[set[int], set[int]]:
    """(members among these voters' that are eligible in this poll, voters checked in now),
    in one round trip for a whole batch of votes: on PostgreSQL under a burst each round trip
    waits its turn behind every other greenlet, so the vote path asks as few as it can."""
    member_ids = {voter.member_id for voter in voters if voter.member_id is not None}
    user_ids = {voter.id for voter in voters}
    eligible = select(literal("eligible").label("fact"), EligibleVoter.member_id.label("id")).where(
        EligibleVoter.poll_id == poll.id, EligibleVoter.member_id.in_(member_ids))
    present = select(literal("present"), Attendance.user_id).where(
        Attendance.meeting_id == poll.meeting_id, Attendance.user_id.in_(user_ids),
        Attendance.checked_out_at.is_(None))
    facts: dict[str, set[int]] = {"eligible": set(), "present": set()}
    for fact, id_ in db.session.execute(union_all(eligible, present)):
        facts[fact].add(id_)
    return facts["eligible"], facts["present"]


def audience(poll: Poll) -> str:
    """Who hears of this poll: everyone for an open-session item, members only for a closed one."""
    return "closed" if poll.motion.item.closed else "open"


def has_polls(motion: Motion, *, open_only: bool = False) -> bool:
    """motions.signals.motion_voted_asked: whether a poll was ever opened on the motion (its
    wording is then fixed), or with open_only whether one is open now."""
    query = select(Poll.id).where(Poll.motion_id == motion.id)
    if open_only:
        query = query.where(Poll.status == "open")
    return db.session.scalar(query.limit(1)) is not None


def last_closed_poll(motion: Motion) -> Poll | None:
    return db.session.scalar(select(Poll).where(Poll.motion_id == motion.id, Poll.status == PollStatus.CLOSED)
                             .order_by(Poll.round.desc()).limit(1))


def open_poll_in(meeting_id: int) -> Poll | None:
    return db.session.scalar(select(Poll).where(Poll.meeting_id == meeting_id, Poll.status == PollStatus.OPEN))


def cast_count(poll: Poll) -> int:
    return db.session.scalar(select(func.count()).select_from(Participation)
                             .where(Participation.poll_id == poll.id)) or 0


def _present_eligible(poll: Poll):
    """The eligible members of `poll` with a delegate checked in now, as registered EXCOM
    delegates of its meeting (governance.meetings.queries.present_member_ids, per poll).

    The checked-in members are one uncorrelated `IN (SELECT …)`, computed once per query: as a
    correlated EXISTS, SQLite walked every open stay of the meeting for each eligible member
    (2,000 × 2,000 rows, ~2 s with the hub stopped, every progress tick of a burst)."""
    from governance.auth.models import User
    from governance.meetings.models import Participant
    checked_in = (select(User.member_id).select_from(Attendance)
                  .join(User, User.id == Attendance.user_id)
                  .join(Participant, (Participant.user_id == User.id) & (Participant.meeting_id == poll.meeting_id))
                  .where(Attendance.meeting_id == poll.meeting_id, Attendance.checked_out_at.is_(None),
                         Participant.group == Group.EXCOM_MEMBER, User.member_id.is_not(None)))
    return EligibleVoter.poll_id == poll.id, EligibleVoter.member_id.in_(checked_in)


@dataclass(frozen=True)
class Turnout:
    """Who has voted, as the chair needs to know before closing: `ballots` (every member that
    voted, abstentions included), `eligible` (the electorate fixed at opening), `present`
    (eligible members with a delegate checked in now) and `present_voted` (of those, how many
    have voted). "7 of 9 present have voted; 12 eligible." `waiting`: for a named poll, asked
    with names, the present eligible members who have not voted yet (None otherwise: who
    abstains from a secret ballot by not voting is not the chair's to watch)."""

    poll_id: int
    ballots: int
    eligible: int
    present: int
    present_voted: int
    waiting: list[Member] | None = None

    def __getitem__(self, part: str):
        """turnout(poll)["present"]: read by name as well, as the dict it used to be."""
        return getattr(self, part)


def turnout(poll: Poll, *, with_names: bool = False) -> Turnout:
    """The poll's Turnout now: two counting queries, whatever the size of the assembly (every
    phone that joins asks this through voting.schemas.PollOut); a third `with_names`."""
    ballots = db.session.scalar(select(func.count()).select_from(Participation)
                                .where(Participation.poll_id == poll.id)) or 0
    voted = (select(literal(1)).select_from(Participation)
             .where(Participation.poll_id == poll.id, Participation.member_id == EligibleVoter.member_id).exists())
    present, present_voted = db.session.execute(
        select(func.count(), func.count().filter(voted)).select_from(EligibleVoter).where(*_present_eligible(poll))
    ).one()
    waiting = None
    if with_names and not poll.secret:
        waiting = list(db.session.scalars(
            select(Member).join(EligibleVoter, EligibleVoter.member_id == Member.id)
            .where(*_present_eligible(poll), ~voted)))
        # in the order people read a list of cities (São Paulo before Seoul), whatever the database's collation
        waiting.sort(key=lambda member: _reading_order(member.name))
    return Turnout(poll.id, ballots, poll.eligible_count, present, present_voted, waiting)


def _reading_order(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


def has_voted(poll: Poll, user) -> bool:
    if user is None or user.member_id is None:
        return False
    return db.session.get(Participation, (poll.id, user.member_id)) is not None


def choices(poll: Poll) -> list[dict]:
    motion = poll.motion
    if poll.method == Method.YES_NO:
        return [{"value": v.value, "label": v.capitalize()} for v in Choice]
    if poll.method == Method.ASSESSMENT:  # the sheet is the motion's subjects and scale (MotionBriefOut)
        return [{"value": Choice.ABSTAIN.value, "label": "Abstain"}]
    on_ballot = poll.ballot if poll.method == Method.EXHAUSTIVE else [c.value for c in motion.candidates]
    assert on_ballot is not None  # an exhaustive poll is opened with its ballot
    by_value = {c.value: c for c in motion.candidates}
    options = [{"value": value, "label": by_value[value].label,
                "image_url": f"/api/v1/logos/{by_value[value].id}" if by_value[value].image is not None else None}
               for value in on_ballot]
    return options + [{"value": Choice.ABSTAIN.value, "label": "Abstain"}]


def approves(motion: Motion) -> dict | None:
    """Which memorandum a `minutes_approval` motion puts to the vote, as the ballot, the result
    and the memorandum say it: a meeting's memorandum and the version fixed when the approval
    poll opened (None before that), or one held outside the platform."""
    if motion.kind != "minutes_approval":
        return None
    if motion.external_memorandum is not None:
        outside = motion.external_memorandum
        return {"external_memorandum_id": outside.id, "title": outside.title, "filename": outside.filename,
                "sha256": outside.sha256, "version": None, "meeting_id": None}
    from governance.meetings.models import Meeting
    meeting = db.session.get(Meeting, motion.memorandum_meeting_id) if motion.memorandum_meeting_id else None
    return {"meeting_id": motion.memorandum_meeting_id, "version": motion.memorandum_version,
            "title": f"Memorandum of {meeting.title}" if meeting else "Memorandum", "external_memorandum_id": None}


def closed_polls(motion: Motion) -> list[Poll]:
    """Every closed poll on the motion, oldest first (round 1, a tie-break, round 2 ...): its rounds."""
    return list(db.session.scalars(select(Poll).where(Poll.motion_id == motion.id, Poll.status == PollStatus.CLOSED)
                                   .order_by(Poll.round)))


def ballot_rows(poll_id: int) -> list[tuple[str, str, int | None, datetime | None]]:
    """(receipt, choice, member_id, cast_at) of every stored ballot: what voting.seal digests."""
    return [(receipt, choice, member_id, cast_at) for receipt, choice, member_id, cast_at in db.session.execute(
        select(Ballot.receipt, Ballot.choice, Ballot.member_id, Ballot.cast_at).where(Ballot.poll_id == poll_id))]


def participation_rows(poll_id: int) -> list[tuple[int, int | None]]:
    """(member_id, cast_by_id) of everyone who took part."""
    return [(member_id, cast_by_id) for member_id, cast_by_id in db.session.execute(
        select(Participation.member_id, Participation.cast_by_id).where(Participation.poll_id == poll_id))]
