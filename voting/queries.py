"""Reading polls as a given person may see them."""
import unicodedata
from datetime import datetime

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import joinedload

from governance.extensions import db
from governance.fields import id_or_none
from governance.meetings.models import AgendaItem, Attendance, Group, MeetingSession
from governance.quorum import Quorum
from motions.models import MEMBERSHIP_EFFECTS, Motion
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


def turnout(poll: Poll, *, with_names: bool = False) -> dict:
    """Who has voted, as the chair needs to know before closing: `ballots` (every member that
    voted, abstentions included), `eligible` (the electorate fixed at opening), `present`
    (eligible members with a delegate checked in now) and `present_voted` (of those, how many
    have voted). "7 of 9 present have voted; 12 eligible." Two counting queries, whatever the
    size of the assembly (every phone that joins asks this through poll_view).

    With `with_names`, for a named poll, `waiting` lists the present eligible members who have
    not voted yet (None for a secret poll: who abstains from a secret ballot by not voting is
    not the chair's to watch)."""
    ballots = db.session.scalar(select(func.count()).select_from(Participation)
                                .where(Participation.poll_id == poll.id))
    voted = (select(literal(1)).select_from(Participation)
             .where(Participation.poll_id == poll.id, Participation.member_id == EligibleVoter.member_id).exists())
    present, present_voted = db.session.execute(
        select(func.count(), func.count().filter(voted)).select_from(EligibleVoter).where(*_present_eligible(poll))
    ).one()
    view: dict[str, object] = {"poll_id": poll.id, "ballots": ballots, "eligible": poll.eligible_count,
                               "present": present, "present_voted": present_voted}
    if with_names:
        view["waiting"] = None
        if not poll.secret:
            from governance.registry.models import Member
            members = list(db.session.execute(
                select(Member.id, Member.name).join(EligibleVoter, EligibleVoter.member_id == Member.id)
                .where(*_present_eligible(poll), ~voted)).all())
            # in the order people read a list of cities (São Paulo before Seoul), whatever the database's collation
            members.sort(key=lambda row: _reading_order(row[1]))
            view["waiting"] = [{"member_id": member_id, "member": name} for member_id, name in members]
    return view


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
    if poll.method == Method.ASSESSMENT:  # the sheet is the motion's subjects and scale (motion_brief)
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


def motion_brief(motion: Motion) -> dict:
    """What a ballot shows of its motion: the words put to the vote, the majority it needs,
    for a statutes amendment the current and proposed text with the changes marked, and for a
    membership motion what adoption does: `member_change` {member_id, member, action, status}."""
    brief = {"id": motion.id, "title": motion.title, "kind": motion.kind, "majority": motion.majority,
             "text": motion.text or ""}
    subject = approves(motion)
    if subject is not None:
        brief["approves"] = subject
    if motion.kind == "membership" and motion.member is not None:
        assert motion.action is not None  # a membership motion names its action
        # what adoption does to the registry, said on the ballot, not only in the title
        brief["member_change"] = {"member_id": motion.member_id, "member": motion.member.name,
                                  "action": motion.action, "status": MEMBERSHIP_EFFECTS[motion.action][1]}
    if motion.kind == "assessment":
        brief.update(subjects=list(motion.subjects or []), scale=motion.scale)
    if motion.kind == "statutes_amendment":
        from motions.amendment import changes
        brief.update(current_text=motion.current_text or "", proposed_text=motion.proposed_text or "",
                     changes=changes(motion.current_text or "", motion.proposed_text or ""))
    return brief


def _as_json(quorum: Quorum | None) -> dict | None:
    return quorum.as_dict() if quorum is not None else None


def poll_view(poll: Poll, user) -> dict:
    """The poll as API.md shows it; `voted` is about `user` (None in broadcasts)."""
    motion = poll.motion
    view = {
        "id": poll.id, "motion_id": motion.id, "meeting_id": poll.meeting_id, "item_id": motion.item_id,
        "motion": motion_brief(motion),
        "round": poll.round, "reason": poll.reason, "status": poll.status, "secret": poll.secret,
        "method": poll.method, "choices": choices(poll), "eligible": poll.eligible_count,
        "opened_at": poll.opened_at.isoformat(), "closed_at": poll.closed_at.isoformat() if poll.closed_at else None,
        "quorum_at_open": _as_json(Quorum.from_json(poll.quorum_at_open)),
    }
    if poll.result:
        view["cast"] = view["ballots"] = poll.result["ballots"]
    else:
        # `cast` is API.md's name for the ballots received so far (abstentions included);
        # `ballots` says it in the vocabulary of the screens; `present` and `present_voted`
        # let them say "7 of 9 present have voted; 12 eligible"
        count = turnout(poll)
        view["cast"] = view["ballots"] = count["ballots"]
        view["present"], view["present_voted"] = count["present"], count["present_voted"]
    if user is not None:
        view["voted"] = has_voted(poll, user)
    if not poll.is_open:
        view["result"] = poll.result
    return view


def motion_rounds(motion: Motion) -> list[dict]:
    """Every closed poll on the motion, oldest first (round 1, a tie-break, round 2 ...)."""
    polls = db.session.scalars(select(Poll).where(Poll.motion_id == motion.id, Poll.status == PollStatus.CLOSED)
                               .order_by(Poll.round)).all()
    return [{"poll_id": p.id, "round": p.round, "reason": p.reason, "ballot": p.ballot, **(p.result or {})}
            for p in polls]


def ballot_rows(poll_id: int) -> list[tuple[str, str, int | None, datetime | None]]:
    """(receipt, choice, member_id, cast_at) of every stored ballot: what voting.seal digests."""
    return [(receipt, choice, member_id, cast_at) for receipt, choice, member_id, cast_at in db.session.execute(
        select(Ballot.receipt, Ballot.choice, Ballot.member_id, Ballot.cast_at).where(Ballot.poll_id == poll_id))]


def participation_rows(poll_id: int) -> list[tuple[int, int | None]]:
    """(member_id, cast_by_id) of everyone who took part."""
    return [(member_id, cast_by_id) for member_id, cast_by_id in db.session.execute(
        select(Participation.member_id, Participation.cast_by_id).where(Participation.poll_id == poll_id))]
