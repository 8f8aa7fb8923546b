"""Reading polls as a given person may see them."""
from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import joinedload

from governance.extensions import db
from governance.fields import id_or_none
from governance.meetings.models import AgendaItem, Attendance, MeetingSession
from motions.models import Motion
from voting.models import Ballot, EligibleVoter, Participation, Poll


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
    facts = {"eligible": set(), "present": set()}
    for fact, id_ in db.session.execute(union_all(eligible, present)):
        facts[fact].add(id_)
    return facts["eligible"], facts["present"]


def audience(poll: Poll) -> str:
    """Who hears of this poll: everyone for an open-session item, members only for a closed one."""
    return "closed" if poll.motion.item.closed else "open"


def last_closed_poll(motion: Motion) -> Poll | None:
    return db.session.scalar(select(Poll).where(Poll.motion_id == motion.id, Poll.status == "closed")
                             .order_by(Poll.round.desc()).limit(1))


def open_poll_in(meeting_id: int) -> Poll | None:
    return db.session.scalar(select(Poll).where(Poll.meeting_id == meeting_id, Poll.status == "open"))


def cast_count(poll: Poll) -> int:
    return db.session.scalar(select(func.count()).select_from(Participation)
                             .where(Participation.poll_id == poll.id))


def has_voted(poll: Poll, user) -> bool:
    if user is None or user.member_id is None:
        return False
    return db.session.get(Participation, (poll.id, user.member_id)) is not None


def choices(poll: Poll) -> list[dict]:
    motion = poll.motion
    if poll.method == "yes_no":
        return [{"value": v, "label": v.capitalize()} for v in ("yes", "no", "abstain")]
    on_ballot = poll.ballot if poll.method == "exhaustive" else [c.value for c in motion.candidates]
    by_value = {c.value: c for c in motion.candidates}
    options = [{"value": value, "label": by_value[value].label,
                "image_url": f"/api/v1/logos/{by_value[value].id}" if by_value[value].image is not None else None}
               for value in on_ballot]
    return options + [{"value": "abstain", "label": "Abstain"}]


def poll_view(poll: Poll, user) -> dict:
    """The poll as API.md shows it; `voted` is about `user` (None in broadcasts)."""
    motion = poll.motion
    view = {
        "id": poll.id, "motion_id": motion.id, "meeting_id": poll.meeting_id, "item_id": motion.item_id,
        "motion": {"id": motion.id, "title": motion.title, "kind": motion.kind, "majority": motion.majority},
        "round": poll.round, "reason": poll.reason, "status": poll.status, "secret": poll.secret,
        "method": poll.method, "choices": choices(poll), "eligible": poll.eligible_count,
        "opened_at": poll.opened_at.isoformat(), "closed_at": poll.closed_at.isoformat() if poll.closed_at else None,
        "quorum_at_open": poll.quorum_at_open,
    }
    view["cast"] = poll.result["ballots"] if poll.result else cast_count(poll)
    if user is not None:
        view["voted"] = has_voted(poll, user)
    if not poll.is_open:
        view["result"] = poll.result
    return view


def motion_rounds(motion: Motion) -> list[dict]:
    """Every closed poll on the motion, oldest first (round 1, a tie-break, round 2 ...)."""
    polls = db.session.scalars(select(Poll).where(Poll.motion_id == motion.id, Poll.status == "closed")
                               .order_by(Poll.round)).all()
    return [{"poll_id": p.id, "round": p.round, "reason": p.reason, "ballot": p.ballot, **(p.result or {})}
            for p in polls]


def ballot_rows(poll_id: int) -> list[tuple[str, str, int | None, object]]:
    """(receipt, choice, member_id, cast_at) of every stored ballot: what voting.seal digests."""
    return [tuple(row) for row in db.session.execute(
        select(Ballot.receipt, Ballot.choice, Ballot.member_id, Ballot.cast_at).where(Ballot.poll_id == poll_id))]


def participation_rows(poll_id: int) -> list[tuple[int, int | None]]:
    """(member_id, cast_by_id) of everyone who took part."""
    return [tuple(row) for row in db.session.execute(
        select(Participation.member_id, Participation.cast_by_id).where(Participation.poll_id == poll_id))]
