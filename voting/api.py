"""/api/v1: motions with their rounds, polls, votes, results and the published ballots."""

from governance import policy
from governance.auth.loading import current_credential
from governance.errors import ErrorBody, conflict
from governance.extensions import Blueprint, db
from governance.lookup import (
    get_or_404,
    require_chair,
    require_secretariat,
    visible_item,
    visible_meeting,
    visible_motion,
    visible_poll,
)
from motions.models import Motion
from voting import operations, rehearsal
from voting.models import Ballot
from voting.queries import turnout
from voting.schemas import (
    BallotOut,
    CastingVoteIn,
    CloseIn,
    MotionWithRoundsOut,
    PollOut,
    ReceiptOut,
    RehearsalCleared,
    TurnoutOut,
    VoteIn,
    VoteRecordOut,
    VoteRecordQuery,
)

blp = Blueprint("voting", __name__, url_prefix="/api/v1", description="Polls, votes and results")


@blp.route("/motions/<int:motion_id>")
@blp.response(200, MotionWithRoundsOut)
def get_motion(motion_id):
    motion, _ = visible_motion(motion_id)
    return motion


@blp.route("/items/<int:item_id>/motions")
@blp.response(200, MotionWithRoundsOut(many=True))
def item_motions(item_id):
    item, _ = visible_item(item_id)
    return db.session.scalars(db.select(Motion).where(Motion.item_id == item.id).order_by(Motion.id)).all()


@blp.route("/meetings/<int:meeting_id>/motions")
@blp.response(200, MotionWithRoundsOut(many=True))
def meeting_motions(meeting_id):
    meeting, user = visible_meeting(meeting_id)
    motions = db.session.scalars(db.select(Motion).where(Motion.meeting_id == meeting.id).order_by(Motion.id))
    return [m for m in motions if policy.can_see_item(user, m.item)]


@blp.route("/meetings/<int:meeting_id>/polls", methods=["DELETE"])
@blp.response(200, RehearsalCleared)
def clear_rehearsal(meeting_id):
    """Clear the rehearsal: before the meeting is called to order, every poll of it goes with its
    ballots (the audit trail keeps their events), and the motions they decided are pending again.
    409 `meeting_started`, `poll_open`, or `rehearsal_decided` when a rehearsal adoption changed
    more than its motion (a member's status, the next host, the logo, the agenda, a memorandum)."""
    meeting, user = visible_meeting(meeting_id)
    require_secretariat(user, "clear rehearsal polls")
    return rehearsal.clear_rehearsal_polls(meeting, actor=user)


@blp.route("/motions/<int:motion_id>/polls", methods=["POST"])
@blp.response(201, PollOut)
def open_poll(motion_id):
    """Open a poll on the motion (the chair, or the secretariat). 409: `no_quorum`, `poll_open`
    (another is open), `adjourned`, `already_decided`, `withdrawn`, `agenda_locked`,
    `no_candidates`, and `decisions_unpublished` for a motion of the open session while a
    member's status changed in a closed session is not yet published (the poll's electorate
    would make it public: publish first, POST /meetings/{id}/publish)."""
    motion, user = visible_motion(motion_id)
    require_chair(user, motion.meeting, "open a vote")
    return operations.open_poll(motion, actor=user)


@blp.route("/polls/<int:poll_id>")
@blp.response(200, PollOut)
def get_poll(poll_id):
    poll, _ = visible_poll(poll_id)
    return poll


@blp.route("/polls/<int:poll_id>/turnout")
@blp.response(200, TurnoutOut)
def poll_turnout(poll_id):
    """Who has voted so far, for the chair (or the secretariat) deciding when to close: ballots,
    eligible, present, present_voted, and for a named poll the present members still to vote."""
    poll, user = visible_poll(poll_id)
    require_chair(user, poll.motion.meeting, "watch who has voted")
    return turnout(poll, with_names=True)


@blp.route("/polls/<int:poll_id>/votes", methods=["POST"])
@blp.arguments(VoteIn)
@blp.response(201, ReceiptOut)
def vote(args, poll_id):
    poll, user = visible_poll(poll_id)
    receipt = operations.cast_vote(poll, voter=user, choice=args["choice"], credential=current_credential())
    return {"receipt": receipt, "poll_id": poll.id}


@blp.route("/polls/<int:poll_id>/close", methods=["POST"])
@blp.arguments(CloseIn, required=False)
@blp.response(200, PollOut)
def close_poll(args, poll_id):
    poll, user = visible_poll(poll_id)
    require_chair(user, poll.motion.meeting, "close a vote")
    casting_vote = (args or {}).get("casting_vote")
    return operations.close_poll(poll, actor=user, casting_vote=casting_vote)


@blp.route("/polls/<int:poll_id>/casting-vote", methods=["POST"])
@blp.arguments(CastingVoteIn)
@blp.response(200, PollOut)
@blp.alt_response(409, schema=ErrorBody,
                  description="`not_tied`, `superseded`, `already_decided`, `poll_open`, `adjourned` or "
                              "`no_casting_vote` (a yes/no vote): the poll is not a tie the chair may break now")
def casting_vote(args, poll_id):
    """The chair's casting vote for a round that closed `tied`: for an exhaustive ballot, for one
    of the candidates level in the round; for an instant-runoff count, for one of those level
    for last place whom the earlier rounds did not separate (the result's `level`). It keeps
    that candidate; an instant-runoff count then goes on, and may stop on a later tie that takes
    another casting vote (the result's `casting_vote` lists them in order).

    The result is judged again from the same ballots, the motion decided as a close would
    decide it, and `poll.closed` announced again with the new result."""
    poll, user = visible_poll(poll_id)
    require_chair(user, poll.motion.meeting, "give the casting vote")
    return operations.give_casting_vote(poll, actor=user, casting_vote=args["casting_vote"])


@blp.route("/polls/<int:poll_id>/ballots")
@blp.response(200, BallotOut(many=True))
def ballots(poll_id):
    """The published ballot list: every voter finds their receipt here once the poll closes."""
    poll, _ = visible_poll(poll_id)
    if poll.is_open:
        raise conflict("poll_open", "Ballots are published when the poll closes.")
    return db.session.scalars(db.select(Ballot).where(Ballot.poll_id == poll.id).order_by(Ballot.receipt)).all()


@blp.route("/meetings/<int:meeting_id>/vote-record")
@blp.arguments(VoteRecordQuery, location="query")
@blp.response(200, VoteRecordOut)
@blp.alt_response(403, schema=ErrorBody, description="the caller is no member's delegate, or asks for another "
                                                     "member's record without being the secretariat")
def vote_record(args, meeting_id):
    """A member's own vote record in this meeting: for each poll the caller may see, whether
    the member's vote was cast, when (named polls), by whom and through which credential
    (their sign-in, an access link, a token, and who issued it). Never what was voted."""
    from governance.errors import forbidden
    from governance.registry.models import Member
    from voting.vote_record import member_record, polls_of
    meeting, user = visible_meeting(meeting_id)
    member_id = args.get("member_id", user.member_id)
    if member_id is None:
        raise forbidden("Only a member's delegates have a vote record.")
    if member_id != user.member_id and not policy.can_prepare(user):
        raise forbidden("Delegates read their own member's vote record only.")
    member = get_or_404(Member, member_id, "member")
    polls = [poll for poll in polls_of(meeting.id) if policy.can_see_item(user, poll.motion.item)]
    return member_record(polls, member)
