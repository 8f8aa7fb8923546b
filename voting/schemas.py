from marshmallow import Schema, fields, validate

from governance.fields import Id
from motions.schemas import MotionOut


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
    "Once closed. One vocabulary on every screen and in the memorandum: `ballots` (every ballot), `cast` (votes "
    "cast: yes and no, or the votes for candidates), `abstain` (abstentions, never votes cast). Also `status` "
    "(adopted/rejected/elected/runoff/tied/void; an assessment: recorded/void), `counts` {choice: n} "
    "(by instant runoff: the last round's), "
    "`eligible`, `present`, `quorate`, `rule`, `threshold` (yes votes, or votes for a candidate, that decide; by "
    "instant runoff the last round's) and `threshold_text` (the rule as a delegate reads it: 'two-thirds of votes "
    "cast: yes at least twice no'); named polls `votes`; candidates `winner`, `level` (who the chair's casting vote "
    "may go to when tied), `casting_vote` (exhaustive: the candidate; instant runoff: the list, in order), "
    "`next_round`; instant runoff `exhausted` and `rounds` [{round, counts, counting (that round's votes cast), "
    "exhausted, threshold, eliminated, continuing, level, casting_votes}]; a minutes approval `approves` (the "
    "memorandum and version put to the vote); an assessment `subjects` [{name, count, mean, median, distribution "
    "{score: n}}] (mean and median null when nobody scored it; to two decimals), `scale` {min, max}; once decided "
    "`resolution_number`; `ballots_digest`.")


class PollOut(Schema):
    """The shape of voting.queries.poll_view (documented here for the OpenAPI spec)."""

    id = fields.Int()
    motion_id = fields.Int()
    meeting_id = fields.Int()
    item_id = fields.Int()
    motion = fields.Dict(metadata={"description": "what the ballot shows of its motion: id, title, kind, majority, "
                                                  "text; a minutes approval's `approves`; a statutes amendment's "
                                                  "current_text, proposed_text and `changes` [{op, text}]; "
                                                  "a membership motion's `member_change` {member_id, member, "
                                                  "action, status}: what adoption does"})
    round = fields.Int()
    reason = fields.Str()
    status = fields.Str()
    secret = fields.Bool()
    method = fields.Str()
    choices = fields.List(fields.Dict())
    eligible = fields.Int()
    cast = fields.Int(metadata={"description": "ballots received (abstentions included); API.md's name"})
    ballots = fields.Int(metadata={"description": "the same number, in the words of the screens"})
    present = fields.Int(metadata={"description": "while open: eligible members with a delegate checked in now"})
    present_voted = fields.Int(metadata={"description": "while open: of those present, how many have voted"})
    voted = fields.Bool()
    opened_at = fields.Str()
    closed_at = fields.Str(allow_none=True)
    quorum_at_open = fields.Dict(allow_none=True)
    result = fields.Dict(allow_none=True, metadata={"description": RESULT_SHAPE})


class MotionWithRoundsOut(MotionOut):
    rounds = fields.List(fields.Dict())


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
