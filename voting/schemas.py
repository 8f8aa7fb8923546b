from marshmallow import Schema, fields, validate

from governance.fields import Id
from governance.meetings.schemas import QuorumOut
from motions.schemas import MotionOut
from voting.poll_result import Method, NextReason, ResultStatus


class VoteIn(Schema):
    # "yes" / "no" / "abstain", a candidate's id, or for IRV a ranking (list of ids):
    # for an assessment {"scores": {"<subject index>": n}}, every subject scored, or "abstain":
    # checked against the poll by voting.operations.normalise_choice
    choice = fields.Raw(required=True)


class CloseIn(Schema):
    casting_vote = Id(allow_none=True, load_default=None)


class CastingVoteIn(Schema):
    # a candidate's value (member id or logo id) among those level in the tied round:
    # checked against the poll by voting.operations.give_casting_vote
    casting_vote = Id(required=True)


class ReceiptOut(Schema):
    receipt = fields.Str()
    poll_id = fields.Int()


RESULT_SHAPE = (
    "Once closed (voting.poll_result.PollResult). One vocabulary on every screen and in the memorandum: "
    "`ballots` (every ballot), `cast` (votes cast: yes and no, or the votes for candidates), `abstain` "
    "(abstentions, never votes cast). `rule` tells the shape: a majority name (a yes/no vote), `exhaustive` (one "
    "round of an exhaustive ballot), `irv` (an instant-runoff count, every round in `rounds`) or `assessment` "
    "(a table of scores). A part that does not belong to the shape is absent.")

NUMBER = {"type": "number"}
CANDIDATE_IDS = {"type": "array", "items": {"type": "integer"}}


class NextRoundOut(Schema):
    candidates = fields.List(fields.Int(), metadata={"description": "the next round's ballot"})
    reason = fields.Str(validate=validate.OneOf([r.value for r in NextReason]))


class IrvRoundOut(Schema):
    """One round of an instant-runoff count."""

    round = fields.Int()
    counts = fields.Dict(keys=fields.Str(), values=fields.Int(), metadata={"description": "candidate id -> ballots"})
    counting = fields.Int(metadata={"description": "ballots still counting: that round's votes cast"})
    exhausted = fields.Int(metadata={"description": "ballots that rank no standing candidate"})
    threshold = fields.Int(metadata={"description": "more than half of `counting`"})
    eliminated = fields.List(fields.Int())
    continuing = fields.List(fields.Int())
    level = fields.List(fields.Int(), metadata={"description": "tied for last, not separated by earlier rounds"})
    casting_votes = fields.List(fields.Int(), metadata={"description": "the chair's, which settled that tie"})


class ScaleOut(Schema):
    min = fields.Int()
    max = fields.Int()


class SubjectRowOut(Schema):
    """One line of an assessment's table; mean and median null when nobody scored it, to two decimals."""

    name = fields.Str()
    count = fields.Int()
    mean = fields.Raw(allow_none=True, metadata=NUMBER)
    median = fields.Raw(allow_none=True, metadata=NUMBER)
    distribution = fields.Dict(keys=fields.Str(), values=fields.Int(), metadata={"description": "score -> sheets"})


class NamedVoteOut(Schema):
    member_id = fields.Int(allow_none=True)
    member = fields.Str(metadata={"description": "absent in a recount"})
    choice = fields.Raw(metadata={"description": "yes/no/abstain, a candidate id, a ranking (list of ids), or an "
                                                 "assessment sheet {scores: {subject index: n}}"})


class ApprovesOut(Schema):
    """The memorandum a minutes approval puts to the vote (voting.queries.approves)."""

    meeting_id = fields.Int(allow_none=True)
    version = fields.Int(allow_none=True)
    title = fields.Str()
    external_memorandum_id = fields.Int(allow_none=True)
    filename = fields.Str()
    sha256 = fields.Str()


class PollResultOut(Schema):
    status = fields.Str(validate=validate.OneOf([s.value for s in ResultStatus]),
                        metadata={"description": "an assessment: recorded/void"})
    counts = fields.Dict(keys=fields.Str(), values=fields.Int(),
                         metadata={"description": "{choice: n}, `abstain` included; candidates by id; instant runoff: "
                                                  "the last round's; an assessment: {scored, abstain}"})
    cast = fields.Int()
    abstain = fields.Int()
    ballots = fields.Int()
    eligible = fields.Int()
    present = fields.Int()
    quorate = fields.Bool()
    rule = fields.Str()
    threshold = fields.Int(allow_none=True, metadata={
        "description": "yes votes, or votes for a candidate, that decide; instant runoff: the last round's; "
                       "null for an assessment"})
    threshold_text = fields.Str(allow_none=True, metadata={
        "description": "the rule as a delegate reads it: 'two-thirds of votes cast: yes at least twice no'"})
    exhausted = fields.Int(metadata={"description": "instant runoff: the last round's exhausted ballots"})
    winner = fields.Int(allow_none=True, metadata={"description": "candidates: the elected candidate's id"})
    eliminated = fields.List(fields.Int(), metadata={"description": "exhaustive: eliminated by this round"})
    contest = fields.List(fields.Int(), metadata={"description": "exhaustive: still in the main contest"})
    casting_vote = fields.Raw(allow_none=True, metadata={
        "oneOf": [{"type": "integer", "nullable": True}, CANDIDATE_IDS],
        "description": "exhaustive: the candidate the chair's casting vote went to; instant runoff: the list, "
                       "in order"})
    next_round = fields.Nested(NextRoundOut, allow_none=True, metadata={"description": "exhaustive, when runoff"})
    level = fields.List(fields.Int(), metadata={"description": "who the chair's casting vote may go to when tied"})
    rounds = fields.List(fields.Nested(IrvRoundOut), metadata={"description": "instant runoff: every round"})
    subjects = fields.List(fields.Nested(SubjectRowOut), metadata={"description": "an assessment's table"})
    scale = fields.Nested(ScaleOut, allow_none=True, metadata={"description": "an assessment's scale"})
    round = fields.Int()
    reason = fields.Str()
    approves = fields.Nested(ApprovesOut, metadata={"description": "a minutes approval: what was put to the vote"})
    votes = fields.List(fields.Nested(NamedVoteOut), metadata={"description": "a named poll's roll-call"})
    ballots_digest = fields.Str()
    digest_scheme = fields.Int(metadata={"description": "how `ballots_digest` was computed (voting.seal)"})
    resolution_number = fields.Str(allow_none=True, metadata={"description": "once decided"})


class MemberChangeOut(Schema):
    member_id = fields.Int()
    member = fields.Str()
    action = fields.Str()
    status = fields.Str(metadata={"description": "the member's status once adopted"})


class ChangeOut(Schema):
    op = fields.Str(validate=validate.OneOf(["equal", "delete", "insert"]))
    text = fields.Str()


class MotionBriefOut(Schema):
    """What the ballot shows of its motion (voting.queries.motion_brief)."""

    id = fields.Int()
    title = fields.Str()
    kind = fields.Str()
    majority = fields.Str(allow_none=True)
    text = fields.Str()
    approves = fields.Nested(ApprovesOut, metadata={"description": "a minutes approval"})
    member_change = fields.Nested(MemberChangeOut, metadata={"description": "a membership motion: what adoption does"})
    subjects = fields.List(fields.Str(), metadata={"description": "an assessment"})
    scale = fields.Nested(ScaleOut, allow_none=True, metadata={"description": "an assessment"})
    current_text = fields.Str(metadata={"description": "a statutes amendment"})
    proposed_text = fields.Str(metadata={"description": "a statutes amendment"})
    changes = fields.List(fields.Nested(ChangeOut), metadata={"description": "a statutes amendment"})


class ChoiceOut(Schema):
    value = fields.Raw(metadata={"oneOf": [{"type": "string"}, {"type": "integer"}],
                                 "description": "yes/no/abstain or a candidate's id"})
    label = fields.Str()
    image_url = fields.Str(allow_none=True, metadata={"description": "a logo's image"})


class PollOut(Schema):
    """The shape of voting.queries.poll_view (documented here for the OpenAPI spec)."""

    id = fields.Int()
    motion_id = fields.Int()
    meeting_id = fields.Int()
    item_id = fields.Int()
    motion = fields.Nested(MotionBriefOut)
    round = fields.Int()
    reason = fields.Str()
    status = fields.Str()
    secret = fields.Bool()
    method = fields.Str(validate=validate.OneOf([m.value for m in Method]))
    choices = fields.List(fields.Nested(ChoiceOut))
    eligible = fields.Int()
    cast = fields.Int(metadata={"description": "ballots received (abstentions included); API.md's name"})
    ballots = fields.Int(metadata={"description": "the same number, in the words of the screens"})
    present = fields.Int(metadata={"description": "while open: eligible members with a delegate checked in now"})
    present_voted = fields.Int(metadata={"description": "while open: of those present, how many have voted"})
    voted = fields.Bool()
    opened_at = fields.Str()
    closed_at = fields.Str(allow_none=True)
    quorum_at_open = fields.Nested(QuorumOut, allow_none=True, metadata={
        "description": "the meeting's quorum when the poll was opened (governance.quorum.Quorum)"})
    result = fields.Nested(PollResultOut, allow_none=True, metadata={"description": RESULT_SHAPE})


class MotionRoundOut(PollResultOut):
    """A closed poll on the motion: its result with the poll's id and ballot."""

    poll_id = fields.Int()
    ballot = fields.List(fields.Int(), allow_none=True, metadata={"description": "exhaustive: who was on it"})


class MotionWithRoundsOut(MotionOut):
    rounds = fields.List(fields.Nested(MotionRoundOut))


class BallotOut(Schema):
    receipt = fields.Str()
    choice = fields.Raw()
    member_id = fields.Int(allow_none=True)


class RehearsalCleared(Schema):
    polls = fields.Int(metadata={"description": "polls deleted"})
    ballots = fields.Int(metadata={"description": "ballots deleted with them"})
    motions_reset = fields.List(fields.Int(), metadata={"description": "ids of motions back to pending"})


class WaitingMember(Schema):
    member_id = fields.Int()
    member = fields.Str()


class TurnoutOut(Schema):
    """Who has voted, for the chair deciding when to close: "7 of 9 present have voted; 12 eligible"."""

    poll_id = fields.Int()
    ballots = fields.Int(metadata={"description": "members that voted, abstentions included"})
    eligible = fields.Int(metadata={"description": "the electorate fixed when the poll opened"})
    present = fields.Int(metadata={"description": "eligible members with a delegate checked in now"})
    present_voted = fields.Int(metadata={"description": "of those present, how many have voted"})
    waiting = fields.List(fields.Nested(WaitingMember), allow_none=True,
                          metadata={"description": "named polls: present eligible members who have not voted "
                                                   "yet, by name; null for a secret poll"})


class VoteRecordQuery(Schema):
    member_id = fields.Int(validate=validate.Range(min=1, max=2**31 - 1),
                           metadata={"description": "the secretariat may read any member's record; others their own"})


class PersonBrief(Schema):
    id = fields.Int()
    name = fields.Str()


class CredentialOut(Schema):
    kind = fields.Str(metadata={"description": "session (a password sign-in's browser), login (a login token), "
                                               "link (an access link's browser), personal (a token issued by the "
                                               "secretariat), unknown (recorded before credentials were)"})
    token_id = fields.Int(allow_none=True)
    token_label = fields.Str(allow_none=True)
    issued_by = fields.Nested(PersonBrief, allow_none=True, metadata={"description": "who issued the token"})


class VoteRecordEntry(Schema):
    poll_id = fields.Int()
    motion_id = fields.Int()
    motion_title = fields.Str()
    round = fields.Int()
    secret = fields.Bool()
    status = fields.Str()
    opened_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    cast = fields.Bool(metadata={"description": "whether the member's vote was cast"})
    cast_at = fields.DateTime(allow_none=True, metadata={"description": "named polls only"})
    cast_by = fields.Nested(PersonBrief, allow_none=True)
    credential = fields.Nested(CredentialOut, allow_none=True)


class VoteRecordOut(Schema):
    member_id = fields.Int()
    member_name = fields.Str()
    polls = fields.List(fields.Nested(VoteRecordEntry))
