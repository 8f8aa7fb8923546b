from marshmallow import Schema, fields, missing, post_dump, validate

from governance.extensions import db
from governance.fields import Id, derived
from governance.meetings.schemas import QuorumOut
from governance.quorum import Quorum
from governance.reader import reader
from motions.models import MEMBERSHIP_EFFECTS
from motions.schemas import MotionOut
from voting import queries
from voting.choices import readable_choice
from voting.models import Poll
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
    """What adopting a membership motion does to the registry (dumped from the motion)."""

    member_id = fields.Int()
    member = fields.Str(attribute="member.name")
    action = fields.Str()
    status = derived(fields.Str(metadata={"description": "the member's status once adopted"}),
                     of=lambda motion: _status_once_adopted(motion.action))


def _status_once_adopted(action: str) -> str:
    return MEMBERSHIP_EFFECTS[action][1]


class ChangeOut(Schema):
    op = fields.Str(validate=validate.OneOf(["equal", "delete", "insert"]))
    text = fields.Str()


def _changes(motion) -> list[dict]:
    from motions.amendment import changes
    return changes(motion.current_text or "", motion.proposed_text or "")


def _of_kind(kind: str, value):
    """`value(motion)` for a motion of `kind`; the key is absent from the others' briefs."""
    return lambda motion: value(motion) if motion.kind == kind else missing


class MotionBriefOut(Schema):
    """What a ballot shows of its motion (dumped from the motion): the words put to the vote,
    the majority it needs, for a statutes amendment the current and proposed text with the
    changes marked, and for a membership motion what adoption does."""

    id = fields.Int()
    title = fields.Str()
    kind = fields.Str()
    majority = fields.Str(allow_none=True)
    text = derived(fields.Str(), of=lambda motion: motion.text or "")
    approves = derived(fields.Nested(ApprovesOut, metadata={"description": "a minutes approval"}),
                       of=_of_kind("minutes_approval", queries.approves))
    member_change = derived(
        fields.Nested(MemberChangeOut, metadata={"description": "a membership motion: what adoption does"}),
        of=lambda motion: motion if motion.kind == "membership" and motion.member is not None else missing)
    subjects = derived(fields.List(fields.Str(), metadata={"description": "an assessment"}),
                       of=_of_kind("assessment", lambda motion: list(motion.subjects or [])))
    scale = derived(fields.Nested(ScaleOut, allow_none=True, metadata={"description": "an assessment"}),
                    of=_of_kind("assessment", lambda motion: motion.scale))
    current_text = derived(fields.Str(metadata={"description": "a statutes amendment"}),
                           of=_of_kind("statutes_amendment", lambda motion: motion.current_text or ""))
    proposed_text = derived(fields.Str(metadata={"description": "a statutes amendment"}),
                            of=_of_kind("statutes_amendment", lambda motion: motion.proposed_text or ""))
    changes = derived(fields.List(fields.Nested(ChangeOut), metadata={"description": "a statutes amendment"}),
                      of=_of_kind("statutes_amendment", _changes))



class ChoiceOut(Schema):
    value = fields.Raw(metadata={"oneOf": [{"type": "string"}, {"type": "integer"}],
                                 "description": "yes/no/abstain or a candidate's id"})
    label = fields.Str()
    image_url = fields.Str(allow_none=True, metadata={"description": "a logo's image"})


class PollOut(Schema):
    """A poll as API.md shows it (dumped from the Poll); `voted` is about the reader (absent
    in broadcasts: governance.reader)."""

    id = fields.Int()
    motion_id = fields.Int()
    meeting_id = fields.Int()
    item_id = fields.Int(attribute="motion.item_id")
    motion = fields.Nested(MotionBriefOut)
    round = fields.Int()
    reason = fields.Str()
    status = fields.Str()
    secret = fields.Bool()
    method = fields.Str(validate=validate.OneOf([m.value for m in Method]))
    choices = derived(fields.List(fields.Nested(ChoiceOut)), of=queries.choices)
    eligible = fields.Int(attribute="eligible_count")
    # `cast`, `ballots`, `present` and `present_voted` are counted once per answer: _ballots_so_far
    cast = fields.Int(metadata={"description": "ballots received (abstentions included); API.md's name"})
    ballots = fields.Int(metadata={"description": "the same number, in the words of the screens"})
    present = fields.Int(metadata={"description": "while open: eligible members with a delegate checked in now"})
    present_voted = fields.Int(metadata={"description": "while open: of those present, how many have voted"})
    voted = derived(fields.Bool(), of=lambda poll: _voted(poll, reader()))
    opened_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    quorum_at_open = derived(fields.Nested(QuorumOut, allow_none=True, metadata={
        "description": "the meeting's quorum when the poll was opened (governance.quorum.Quorum)"}),
        of=lambda poll: Quorum.from_json(poll.quorum_at_open))
    result = derived(fields.Nested(PollResultOut, allow_none=True, metadata={"description": RESULT_SHAPE}),
                     of=lambda poll: missing if poll.is_open else poll.result)

    def get_attribute(self, poll, attr, default):
        if attr in ("cast", "ballots", "present", "present_voted"):
            return missing  # not attributes of a poll: counted by _ballots_so_far
        return super().get_attribute(poll, attr, default)

    @post_dump(pass_original=True)
    def _ballots_so_far(self, data: dict, poll, **_) -> dict:
        """`cast` is API.md's name for the ballots received so far (abstentions included);
        `ballots` says it in the vocabulary of the screens; while the poll is open `present`
        and `present_voted` let them say "7 of 9 present have voted; 12 eligible" (two
        counting queries: every phone that joins asks this)."""
        if poll.result:
            data["cast"] = data["ballots"] = poll.result["ballots"]
        else:
            count = queries.turnout(poll)
            data["cast"] = data["ballots"] = count.ballots
            data["present"], data["present_voted"] = count.present, count.present_voted
        return data


def _voted(poll, person):
    return missing if person is None else queries.has_voted(poll, person)


class MotionRoundOut(PollResultOut):
    """A closed poll on the motion: its stored result with the poll's id and ballot. Dumped from
    the Poll (`round` and `reason` are the poll's where the result does not say them), or from
    the same round as a mapping."""

    poll_id = fields.Int()
    ballot = fields.List(fields.Int(), allow_none=True, metadata={"description": "exhaustive: who was on it"})

    def get_attribute(self, obj, attr, default):
        if not isinstance(obj, Poll):  # a round already as published
            return super().get_attribute(obj, attr, default)
        if attr in ("poll_id", "ballot"):
            return obj.id if attr == "poll_id" else obj.ballot
        value = (obj.result or {}).get(attr, missing)
        if value is missing and attr in ("round", "reason"):
            return getattr(obj, attr)
        return value


class MotionWithRoundsOut(MotionOut):
    rounds = derived(fields.List(fields.Nested(MotionRoundOut)), of=queries.closed_polls)


class BallotOut(Schema):
    """A published ballot (dumped from the Ballot): its choice as results show it."""

    receipt = fields.Str()
    choice = derived(fields.Raw(), of=lambda ballot: _readable_choice(ballot))
    member_id = fields.Int(allow_none=True)


def _readable_choice(ballot):
    # the poll is in the session already (it was loaded to be checked): no query per ballot
    poll = db.session.get(Poll, ballot.poll_id)
    assert poll is not None  # a ballot goes with its poll
    return readable_choice(poll.method, ballot.choice)


class RehearsalCleared(Schema):
    polls = fields.Int(metadata={"description": "polls deleted"})
    ballots = fields.Int(metadata={"description": "ballots deleted with them"})
    motions_reset = fields.List(fields.Int(), metadata={"description": "ids of motions back to pending"})


class WaitingMember(Schema):
    """A present eligible member who has not voted yet (dumped from the Member)."""

    member_id = fields.Int(attribute="id")
    member = fields.Str(attribute="name")


class TurnoutOut(Schema):
    """Who has voted, for the chair deciding when to close: "7 of 9 present have voted; 12 eligible"
    (dumped from voting.queries.Turnout)."""

    poll_id = fields.Int()
    ballots = fields.Int(metadata={"description": "members that voted, abstentions included"})
    eligible = fields.Int(metadata={"description": "the electorate fixed when the poll opened"})
    present = fields.Int(metadata={"description": "eligible members with a delegate checked in now"})
    present_voted = fields.Int(metadata={"description": "of those present, how many have voted"})
    waiting = fields.List(fields.Nested(WaitingMember), allow_none=True,
                          metadata={"description": "named polls: present eligible members who have not voted "
                                                   "yet, by name; null for a secret poll"})


class PollProgressOut(Schema):
    """The `poll.progress` event (dumped from voting.queries.Turnout): `cast` and `ballots` as in PollOut."""

    poll_id = fields.Int()
    cast = derived(fields.Int(), of=lambda turnout: turnout.ballots)
    ballots = fields.Int()
    eligible = fields.Int()
    present = fields.Int()
    present_voted = fields.Int()


class VoteRecordQuery(Schema):
    member_id = fields.Int(validate=validate.Range(min=1, max=2**31 - 1),
                           metadata={"description": "the secretariat may read any member's record; others their own"})


class PersonBrief(Schema):
    id = fields.Int()
    name = fields.Str()


class CredentialOut(Schema):
    """Through which credential a vote came (dumped from voting.vote_record.VoteRecordLine)."""

    kind = derived(fields.Str(metadata={"description": "session (a password sign-in's browser), login (a login "
                                                       "token), link (an access link's browser), personal (a token "
                                                       "issued by the secretariat), unknown (recorded before "
                                                       "credentials were)"}),
                   of=lambda line: line.participation.credential or "unknown")
    token_id = fields.Int(attribute="token.id", allow_none=True)
    token_label = fields.Str(attribute="token.label", allow_none=True)
    issued_by = fields.Nested(PersonBrief, attribute="issuer", allow_none=True,
                              metadata={"description": "who issued the token"})

    def get_attribute(self, line, attr, default):
        if attr.startswith("token.") and line.token is None:
            return None  # no token: null, not absent
        return super().get_attribute(line, attr, default)


class VoteRecordEntry(Schema):
    """One poll in a member's vote record (dumped from voting.vote_record.VoteRecordLine)."""

    poll_id = fields.Int(attribute="poll.id")
    motion_id = fields.Int(attribute="poll.motion_id")
    motion_title = fields.Str(attribute="poll.motion.title")
    round = fields.Int(attribute="poll.round")
    secret = fields.Bool(attribute="poll.secret")
    status = fields.Str(attribute="poll.status")
    opened_at = fields.DateTime(attribute="poll.opened_at")
    closed_at = fields.DateTime(attribute="poll.closed_at", allow_none=True)
    cast = derived(fields.Bool(metadata={"description": "whether the member's vote was cast"}),
                   of=lambda line: line.participation is not None)
    cast_at = fields.DateTime(allow_none=True, metadata={"description": "named polls only"})
    cast_by = fields.Nested(PersonBrief, allow_none=True)
    credential = derived(fields.Nested(CredentialOut, allow_none=True),
                         of=lambda line: line if line.participation is not None else None)


class VoteRecordOut(Schema):
    """A member's vote record in a meeting (dumped from voting.vote_record.VoteRecord)."""

    member_id = fields.Int(attribute="member.id")
    member_name = fields.Str(attribute="member.name")
    polls = fields.List(fields.Nested(VoteRecordEntry))
