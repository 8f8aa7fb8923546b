"""Opening polls, casting votes, closing polls, the chair's casting vote after a tie.

The vote path is kept to what a vote needs: the poll (by primary key), the voter's right to
vote (two indexed look-ups), and two inserts whose primary keys enforce one vote per member.
No recount, no broadcast per vote: progress is coalesced (voting.progress).
"""
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from governance import policy
from governance.audit.operations import record
from governance.dbtypes import utcnow
from governance.errors import ApiError, conflict, forbidden, invalid
from governance.extensions import db
from governance.meetings import queries as meeting_queries
from governance.meetings.operations import lock_meeting
from governance.reader import dump_for
from governance.realtime import announce
from motions.models import Motion
from motions.operations import decide_motion, put_to_vote
from voting import assessment, choices, results, seal, secrecy
from voting.choices import ChoiceRefused, stored_choice
from voting.models import Ballot, EligibleVoter, Participation, Poll, PollStatus
from voting.poll_result import Method, PollResult
from voting.progress import progress_changed
from voting.queries import (
    approves,
    audience,
    ballot_rows,
    last_closed_poll,
    participation_rows,
    standing_of_voters,
)
from voting.schemas import PollOut


def _next_ballot(motion: Motion) -> tuple[int, str, list | None, list | None]:
    """(round, reason, ballot, contest) of the next poll on this motion."""
    previous = last_closed_poll(motion)
    round_ = (previous.round + 1) if previous else 1
    if motion.method != Method.EXHAUSTIVE:
        return round_, "first" if previous is None else "repeat", None, None
    everyone = [c.value for c in motion.candidates]
    if previous is None:
        return round_, "first", everyone, everyone
    result = previous.result or {}
    if result.get("status") == "runoff":
        next_round = result["next_round"]
        return round_, next_round["reason"], next_round["candidates"], result["contest"]
    # a void or tied round is held again with the same ballot
    return round_, "repeat", previous.ballot, previous.contest


def open_poll(motion: Motion, *, actor) -> Poll:
    meeting = lock_meeting(motion.meeting)  # against an adjournment sent at the same moment
    if motion.status == "withdrawn":
        raise conflict("withdrawn", "This motion was withdrawn; it cannot be put to the vote.")
    if motion.decided:
        raise conflict("already_decided", f"This motion was {motion.status}.")
    if meeting.adjourned_at is not None:
        raise conflict("adjourned", "The meeting is adjourned.")
    if motion.kind == "agenda_adoption" and meeting.agenda_locked:
        raise conflict("agenda_locked", "The agenda was already adopted.")
    if motion.multi_candidate and len(motion.candidates) < 2:
        raise conflict("no_candidates", "A ballot needs at least two candidates.")
    quorum = meeting_queries.meeting_quorum(meeting)
    if not quorum.quorate:
        raise conflict("no_quorum", f"No quorum: {quorum.present} of {quorum.voting_members} voting members "
                                    f"present, {quorum.required} needed.")
    if not motion.item.closed:
        _board_known_outside(meeting)
    put_to_vote(motion, actor=actor)  # e.g. which memorandum version the members approve
    round_, reason, ballot, contest = _next_ballot(motion)
    poll = Poll(motion=motion, meeting_id=meeting.id, round=round_, reason=reason, secret=motion.secret,
                method=motion.method, ballot=ballot, contest=contest, quorum_at_open=quorum.as_dict(),
                opened_by_id=actor.id)
    db.session.add(poll)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise conflict("poll_open", "Another poll is open in this meeting; close it first.") from None
    voters = sorted(meeting_queries.voting_member_ids(meeting))
    if voters:
        db.session.execute(insert(EligibleVoter), [{"poll_id": poll.id, "member_id": m} for m in voters])
    poll.eligible_count = len(voters)
    db.session.flush()
    record("poll.opened", actor=actor, meeting=meeting, subject=poll,
           after={"motion_id": motion.id, "round": round_, "reason": reason, "ballot": ballot,
                  "eligible": len(voters), "quorum": quorum.as_dict(), "secret": poll.secret})
    announce("poll.opened", {"poll": dump_for(PollOut(), poll, reader=None)}, meeting_id=meeting.id,
             audience=audience(poll))
    return poll


def _board_known_outside(meeting) -> None:
    """409 `decisions_unpublished` while the board differs from the board as the public knows it
    (a member's status changed by a closed-session decision not yet published): an open vote
    shows its electorate, its quorum and a named poll's roll-call to the public, and would tell
    what governance.publication withholds. Published, the same poll opens."""
    if meeting_queries.outsiders_voting_member_ids() == meeting_queries.voting_member_ids(meeting):
        return
    from governance import publication
    pending = ", ".join(m.reference or m.title for m in publication.meetings_withholding("member.status"))
    raise conflict("decisions_unpublished",
                   f"A member's status was changed in a closed session ({pending}) and is not published yet; "
                   "a vote in the open session would make it public. Publish the closed-session decisions first.")


def normalise_choice(poll: Poll, choice) -> str:
    """The ballot as stored (voting.choices.stored_choice; an assessment's sheet by
    voting.assessment.stored_sheet), or 422 naming `choice`."""
    if poll.method == Method.ASSESSMENT:
        motion = poll.motion
        try:
            assert motion.scale_min is not None and motion.scale_max is not None  # an assessment has its scale
            return assessment.stored_sheet(len(motion.subjects or []),
                                           assessment.Scale(motion.scale_min, motion.scale_max), choice)
        except ChoiceRefused as refusal:
            raise invalid({"choice": [str(refusal)]}) from None
    candidates = [c.value for c in poll.motion.candidates] if poll.method == Method.IRV else (poll.ballot or [])
    try:
        return stored_choice(poll.method, candidates, choice, longest=Ballot.choice.type.length)
    except ChoiceRefused as refusal:
        raise invalid({"choice": [str(refusal)]}) from None


def cast_vote(poll: Poll, *, voter, choice, credential: tuple[str, int | None] | None = None) -> str:
    """Record one member's vote; answers the receipt. `credential`: (kind, token id) it came
    through (governance.auth.loading.current_credential). The caller commits, then acknowledges."""
    answer, = cast_votes(poll, [(voter, choice, credential)])
    if isinstance(answer, ApiError):
        raise answer
    return answer


def cast_votes(poll: Poll, votes: list[tuple]) -> list[str | ApiError]:
    """Record several votes in one poll at once (the live ballot box gathers them): the same
    checks as for one vote, each asked of the database once for the whole batch, and two
    multi-row inserts. Answers, vote by vote, its receipt or the ApiError that refuses it.
    The caller commits, then acknowledges."""
    if not votes:
        return []
    if not poll.is_open:
        return [conflict("poll_closed", "This poll is closed.") for _ in votes]
    meeting = poll.motion.meeting
    votes = [(vote[0], vote[1], vote[2] if len(vote) > 2 else None) for vote in votes]  # (voter, choice, credential)
    users = [voter for voter, _, _ in votes]
    policy.remember_participations(meeting, users)
    eligible, present = standing_of_voters(poll, users)
    answers: list[str | ApiError] = []
    accepted = []  # (answer index, participation row, ballot row)
    for voter, choice, credential in votes:
        try:
            member_id = _voting_member(poll, meeting, voter, eligible, present)
            stored = normalise_choice(poll, choice)
        except ApiError as refusal:
            answers.append(refusal)
            continue
        receipt = secrecy.new_receipt()
        ballot = {"poll_id": poll.id, "receipt": receipt, "choice": stored}
        if not poll.secret:
            ballot.update(member_id=member_id, cast_at=utcnow())
        kind, token_id = credential or (None, None)
        accepted.append((len(answers), {"poll_id": poll.id, "member_id": member_id, "cast_by_id": voter.id,
                                        "credential": kind, "credential_token_id": token_id}, ballot))
        answers.append(receipt)
    if accepted:
        _insert_votes(poll, accepted, answers)
    return answers


def _voting_member(poll: Poll, meeting, voter, eligible: set[int], present: set[int]) -> int:
    """The member this voter votes for, or the refusal, in the order a person would ask."""
    if not policy.is_voting_delegate(voter, meeting):
        raise forbidden("Only delegates of voting members vote.") if policy.participation(voter, meeting) \
            else ApiError(404, "not_found", "No such poll.")
    if voter.member_id not in eligible:
        raise ApiError(403, "not_eligible", "Your member was not a voting member when this poll opened.")
    if voter.id not in present:
        raise ApiError(403, "not_present", "Check in (in the room or online) before you vote.")
    return voter.member_id


def _insert_votes(poll: Poll, accepted: list[tuple[int, dict, dict]], answers: list) -> None:
    """One vote per member is the participations' primary key: the insert skips a member who
    has voted already (earlier, earlier in this batch, or just now in another process) and
    says whom it did insert; only their ballots are stored. No savepoint, no exception: a
    duplicate costs nothing more than a vote."""
    new_members = set(db.session.scalars(
        _insert_unless_present(Participation).returning(Participation.member_id),
        [participation for _, participation, _ in accepted]))
    ballots = []
    for index, participation, ballot in accepted:
        if participation["member_id"] in new_members:
            new_members.discard(participation["member_id"])  # a second delegate of the city in this batch
            ballots.append(ballot)
        else:
            answers[index] = conflict("already_voted", "Your member has already voted in this poll.")
    if not ballots:
        return
    if poll.secret:
        # stored order is arrival order until the poll closes and shuffles (voting.secrecy); within
        # a batch it need not be, so the n-th participation and the n-th ballot are not a pair
        secrecy.shuffle_in_place(ballots)
    db.session.execute(insert(Ballot), ballots)
    progress_changed(poll)


def _insert_unless_present(model):
    """INSERT ... ON CONFLICT DO NOTHING, in the dialect of the database in use."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert
        return postgresql_insert(model).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert
    return sqlite_insert(model).on_conflict_do_nothing()


def _counts(poll: Poll) -> dict[str, int]:
    rows = db.session.execute(select(Ballot.choice, func.count()).where(Ballot.poll_id == poll.id)
                              .group_by(Ballot.choice)).all()
    return {choice: n for choice, n in rows}


def poll_result(poll: Poll, electorate: results.Electorate, casting_vote) -> PollResult:
    """The result of the poll's stored ballots, stamped with its round and (a named poll) its
    roll-call; a refused casting vote is a 422."""
    motion = poll.motion
    if poll.method == Method.YES_NO:
        if casting_vote is not None:
            raise invalid({"casting_vote": ["A yes/no vote that ties is not adopted; there is no casting vote."]})
        result = results.yes_no_result(motion.majority, _counts(poll), electorate)
    elif poll.method == Method.ASSESSMENT:
        if casting_vote is not None:
            raise invalid({"casting_vote": ["An assessment records scores; there is no casting vote."]})
        choices = list(db.session.scalars(select(Ballot.choice).where(Ballot.poll_id == poll.id)))
        assert motion.scale is not None  # an assessment has its scale
        result = results.assessment_result(subjects=motion.subjects or [], scale=motion.scale, choices=choices,
                                           electorate=electorate)
    elif poll.method == Method.EXHAUSTIVE:
        assert poll.contest is not None and poll.ballot is not None, "an exhaustive poll keeps its contest and ballot"
        try:
            result = results.exhaustive_result(contest=poll.contest, ballot=poll.ballot, counts=_counts(poll),
                                               tie_break=poll.reason == "tie_break", electorate=electorate,
                                               casting_vote=casting_vote)
        except ValueError as refusal:
            raise invalid({"casting_vote": [str(refusal)]}) from None
    else:
        choices = list(db.session.scalars(select(Ballot.choice).where(Ballot.poll_id == poll.id)))
        if casting_vote is not None and not isinstance(casting_vote, list):
            casting_vote = [casting_vote]
        try:
            result = results.irv_result(candidates=[c.value for c in motion.candidates], choices=choices,
                                        electorate=electorate, casting_votes=casting_vote)
        except ValueError as refusal:
            raise invalid({"casting_vote": [str(refusal)]}) from None
    # the version put to the vote is the one approved: approves()
    votes = None if poll.secret else [{"member_id": member_id, "member": name, "choice": readable_choice(poll, choice)}
                                      for member_id, name, choice in _named_votes(poll)]
    return replace(result, round=poll.round, reason=poll.reason, approves=approves(motion), votes=votes)


def _named_votes(poll: Poll):
    from governance.registry.models import Member
    return db.session.execute(select(Ballot.member_id, Member.name, Ballot.choice)
                              .join(Member, Member.id == Ballot.member_id)
                              .where(Ballot.poll_id == poll.id).order_by(Member.name)).all()


def readable_choice(poll: Poll, choice: str):
    return choices.readable_choice(poll.method, choice)


def close_poll(poll: Poll, *, actor, casting_vote=None) -> Poll:
    if not poll.is_open:
        raise conflict("poll_closed", "This poll is already closed.")
    if casting_vote is not None and poll.method == Method.ASSESSMENT:
        raise invalid({"casting_vote": ["An assessment records scores; there is no casting vote."]})
    if casting_vote is not None and poll.method == Method.IRV:
        # the count of rankings has no casting vote; it used to be ignored silently
        raise invalid({"casting_vote": ["An instant-runoff count takes no casting vote."]})
    meeting = poll.motion.meeting
    quorum = meeting_queries.meeting_quorum(meeting)
    electorate = results.Electorate(eligible=poll.eligible_count, present=quorum.present, quorate=quorum.quorate)
    result = poll_result(poll, electorate, casting_vote)
    # sealed: the ballots (with a named ballot's member) and who took part, as voting.seal says
    rows: Sequence[tuple[str, str, int | None, datetime | str | None]] = \
        [(r, c, None, None) for r, c in secrecy.shuffle_ballots(poll.id)] if poll.secret \
        else ballot_rows(poll.id)
    poll.ballots_digest = seal.ballots_digest(poll.id, rows)
    participations = seal.participations_digest(poll.id, participation_rows(poll.id))
    result = replace(result, ballots_digest=poll.ballots_digest, digest_scheme=seal.DIGEST_SCHEME)
    poll.status, poll.closed_at, poll.closed_by_id = PollStatus.CLOSED, utcnow(), actor.id
    poll.quorum_at_close, poll.result = quorum.as_dict(), result.as_json()
    db.session.flush()
    record("poll.closed", actor=actor, meeting=meeting, subject=poll,
           after={"status": result.status, "counts": result.counts, "digest": poll.ballots_digest,
                  "digest_scheme": seal.DIGEST_SCHEME, "participations_digest": participations,
                  "ballots": len(rows), "quorum": quorum.as_dict(),
                  **({"winner": result.winner} if result.shape in (Method.EXHAUSTIVE, Method.IRV) else {}),
                  # what was scored, for an assessment: a name swapped afterwards would move scores
                  **({"subjects": list(poll.motion.subjects or []), "scale": poll.motion.scale}
                     if poll.method == Method.ASSESSMENT else {})})
    # the credential of each participation (never a choice), for the record of who cast what
    from voting.vote_record import credentials_event
    record("poll.credentials", actor=actor, meeting=meeting, subject=poll, after=credentials_event(poll))
    _decide_and_announce(poll, result, actor=actor)
    return poll


def give_casting_vote(poll: Poll, *, actor, casting_vote) -> Poll:
    """The chair's casting vote for a round that closed `tied`: the same stored ballots judged
    again, with the electorate and quorum recorded at the close, and the casting vote (for an
    instant-runoff count: added to those given before, each settling one tie for last place,
    after the earlier rounds failed to separate the candidates).

    Only the last round of a motion still undecided can take it: once the chair opened the
    round again, the tie was settled by the members instead. The members' counts stay as they
    voted (the tally keeps them); the result says whom the casting vote went to."""
    # one casting vote at a time: a second request (the secretariat's desk and the chair at
    # once) waits here on PostgreSQL and then sees the first one's result (SQLite's BEGIN
    # IMMEDIATE already serialises writers)
    db.session.get(Poll, poll.id, with_for_update=True, populate_existing=True)
    if poll.is_open:
        raise conflict("poll_open", "This poll is still open; close it first.")
    previous = poll.result or {}
    motion = poll.motion
    if previous.get("status") != "tied":
        if motion.decided:
            raise conflict("already_decided", f"This motion was {motion.status}; there is no tie to break.")
        raise conflict("not_tied", f"This round was not tied (it is {previous.get('status')}); "
                                   "there is no tie to break.")
    later = db.session.scalar(select(func.count()).select_from(Poll)
                              .where(Poll.motion_id == motion.id, Poll.round > poll.round))
    if later:
        raise conflict("superseded", "A later round was opened on this motion; the tie was put to the members again.")
    if motion.decided:
        raise conflict("already_decided", f"This motion was {motion.status}.")
    if motion.meeting.adjourned_at is not None:
        raise conflict("adjourned", "The meeting is adjourned.")
    if poll.method == Method.YES_NO:
        raise conflict("no_casting_vote", "A yes/no vote that ties is not adopted; there is no casting vote.")
    level = previous.get("level")
    if level is None:  # a result stored before `level` was published
        level = poll.ballot if poll.method == Method.EXHAUSTIVE and previous.get("cast") else []
    if not previous.get("cast") or not level:
        raise conflict("not_tied", "No valid vote was cast: the members decided nothing, so the round is "
                                   "held again rather than settled by the chair.")
    if casting_vote not in level:
        raise invalid({"casting_vote": ["Give the casting vote to one of the candidates level in this round."]})
    if poll.method == Method.IRV:
        # the count goes on from the tie with this casting vote added to those given before it;
        # three level candidates take two (each keeps one), the count may also stop on a later tie
        casting_vote = [*(previous.get("casting_vote") or []), casting_vote]
    at_close = poll.quorum_at_close or {}
    electorate = results.Electorate(eligible=poll.eligible_count,
                                    present=at_close.get("present", previous.get("present", 0)),
                                    quorate=at_close.get("quorate", previous.get("quorate", False)))
    result = poll_result(poll, electorate, casting_vote)
    result = replace(result, ballots_digest=poll.ballots_digest, digest_scheme=previous.get("digest_scheme"))
    poll.result = result.as_json()
    db.session.flush()
    record("poll.casting_vote", actor=actor, meeting=motion.meeting, subject=poll,
           before={"status": previous["status"], "winner": previous.get("winner")},
           after={"casting_vote": casting_vote, "status": result.status, "winner": result.winner,
                  "eliminated": result.eliminated if result.shape == Method.EXHAUSTIVE else None,
                  "counts": result.counts,
                  "digest": poll.ballots_digest})
    _decide_and_announce(poll, result, actor=actor)
    return poll


def _decide_and_announce(poll: Poll, result: PollResult, *, actor) -> None:
    """A final result decides the motion (its resolution number goes into the result); then
    everyone who may see the poll hears the result."""
    if result.decides:
        decide_motion(poll.motion, outcome=result.status, actor=actor, winner_value=result.winner)
        # a new dict, the flushed one left as it was: the JSON column compares the two, and an
        # edited copy of what was flushed would compare equal and never be stored
        result = replace(result, resolution_number=poll.motion.resolution_number)
        poll.result = result.as_json()
    # Everyone hears the outcome; the roll-call of a named poll (one line per member) is fetched
    # with GET /polls/{id} by those who want it: broadcast, it made N phones receive N lines each.
    broadcast = {key: value for key, value in result.as_json().items() if key != "votes"}
    if result.votes is not None:
        broadcast["roll_call"] = f"/api/v1/polls/{poll.id}"
    announce("poll.closed", {"poll_id": poll.id, "motion_id": poll.motion_id, "result": broadcast},
             meeting_id=poll.meeting_id, audience=audience(poll))
