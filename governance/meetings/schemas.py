from marshmallow import Schema, ValidationError, fields, pre_dump, validate, validates_schema

from governance import policy, publication
from governance.fields import Id, derived
from governance.fields import known_timezone as _known_timezone
from governance.meetings.models import ATTENDANCE_MODES, GROUPS, ITEM_KINDS, QUORUM_RULES, SESSION_KINDS
from governance.reader import reader


class QuorumRuleIn(Schema):
    rule = fields.Str(required=True, validate=validate.OneOf(QUORUM_RULES))
    count = fields.Int(allow_none=True, load_default=None, strict=True, validate=validate.Range(min=1, max=100000))

    @validates_schema
    def _count_for_fixed_rule(self, data, **_):
        if data["rule"] == "count" and not data.get("count"):
            raise ValidationError({"count": ["A fixed quorum needs a count."]})


class MeetingIn(Schema):
    title = fields.Str(required=True, validate=validate.Length(min=1, max=300))
    reference = fields.Str(load_default="", validate=validate.Length(max=60))
    kind = fields.Str(load_default="Executive Committee meeting", validate=validate.Length(max=60))
    venue = fields.Str(load_default="", validate=validate.Length(max=300))
    # missing: the organisation's time zone (its settings), else UTC
    timezone = fields.Str(load_default=None, validate=_known_timezone)
    starts_at = fields.AwareDateTime(required=True)
    quorum = fields.Nested(QuorumRuleIn, load_default=lambda: {"rule": "majority", "count": None})
    speaking_time = fields.Int(strict=True, load_default=180, validate=validate.Range(min=15, max=3600),
                               metadata={"description": "each speaker's time on the floor, in seconds"})


class MeetingPatch(Schema):
    title = fields.Str(validate=validate.Length(min=1, max=300))
    reference = fields.Str(validate=validate.Length(max=60))
    kind = fields.Str(validate=validate.Length(max=60))
    venue = fields.Str(validate=validate.Length(max=300))
    timezone = fields.Str(validate=_known_timezone)
    starts_at = fields.AwareDateTime()
    quorum = fields.Nested(QuorumRuleIn)
    speaking_time = fields.Int(strict=True, validate=validate.Range(min=15, max=3600),
                               metadata={"description": "each speaker's time on the floor, in seconds"})


class SessionIn(Schema):
    title = fields.Str(required=True, validate=validate.Length(min=1, max=300))
    kind = fields.Str(required=True, validate=validate.OneOf(SESSION_KINDS))
    starts_at = fields.AwareDateTime(allow_none=True, load_default=None)
    ends_at = fields.AwareDateTime(allow_none=True, load_default=None)
    venue = fields.Str(load_default="", validate=validate.Length(max=300))
    position = fields.Int(strict=True, validate=validate.Range(min=0, max=10000))

    @validates_schema
    def _ends_after_start(self, data, **_):
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            raise ValidationError({"ends_at": ["A session cannot end before it starts."]})


class SessionPatch(Schema):
    title = fields.Str(validate=validate.Length(min=1, max=300))
    kind = fields.Str(validate=validate.OneOf(SESSION_KINDS))
    starts_at = fields.AwareDateTime(allow_none=True)
    ends_at = fields.AwareDateTime(allow_none=True)
    venue = fields.Str(validate=validate.Length(max=300))
    position = fields.Int(strict=True, validate=validate.Range(min=0, max=10000))


class CopyIn(Schema):
    """A new meeting from this one: what to take along (sessions move with the start)."""

    title = fields.Str(required=True, validate=validate.Length(min=1, max=300))
    starts_at = fields.AwareDateTime(required=True)
    venue = fields.Str(validate=validate.Length(max=300))
    timezone = fields.Str(validate=_known_timezone)
    reference = fields.Str(validate=validate.Length(max=60))
    sessions = fields.Bool(load_default=True)
    agenda = fields.Bool(load_default=True, metadata={"description": "the items of each session (with sessions)"})
    participants = fields.Bool(load_default=True)


class ApologiesIn(Schema):
    excused = fields.Bool(load_default=True, metadata={"description": "false takes the apologies back"})


class ItemIn(Schema):
    number = fields.Str(allow_none=True, load_default=None, validate=validate.Length(max=40))
    title = fields.Str(required=True, validate=validate.Length(min=1, max=500))
    kind = fields.Str(load_default="procedural", validate=validate.OneOf(ITEM_KINDS))
    position = fields.Int(strict=True, validate=validate.Range(min=0, max=10000))


class ItemPatch(Schema):
    number = fields.Str(allow_none=True, validate=validate.Length(max=40))
    title = fields.Str(validate=validate.Length(min=1, max=500))
    kind = fields.Str(validate=validate.OneOf(ITEM_KINDS))
    position = fields.Int(strict=True, validate=validate.Range(min=0, max=10000))


class ParticipantIn(Schema):
    user_id = Id(required=True)
    group = fields.Str(required=True, validate=validate.OneOf(GROUPS))
    chair = fields.Bool(load_default=False)
    excused = fields.Bool(load_default=False)


class ParticipantPatch(Schema):
    group = fields.Str(validate=validate.OneOf(GROUPS))
    chair = fields.Bool()
    excused = fields.Bool()


class AttendanceIn(Schema):
    user_id = Id(required=True)
    mode = fields.Str(load_default="in_person", validate=validate.OneOf(ATTENDANCE_MODES))
    present = fields.Bool(load_default=True)


class ItemDocumentOut(Schema):
    """A document on the item, as governance.documents.schemas.DocumentOut (visible as the item is)."""

    id = fields.Int()
    title = fields.Str()
    filename = fields.Str()
    content_type = fields.Str()
    size = fields.Int()
    sha256 = fields.Str()
    url = fields.Str()


class ItemOut(Schema):
    id = fields.Int()
    session_id = fields.Int()
    number = fields.Str(allow_none=True)
    title = fields.Str()
    kind = fields.Str()
    position = fields.Int()
    documents = fields.List(fields.Nested(ItemDocumentOut))


class SessionOut(Schema):
    id = fields.Int()
    meeting_id = fields.Int()
    title = fields.Str()
    kind = fields.Str()
    position = fields.Int()
    venue = fields.Str()
    starts_at = fields.DateTime(allow_none=True)
    ends_at = fields.DateTime(allow_none=True)
    items = fields.List(fields.Nested(ItemOut))


class QuorumRuleOut(Schema):
    """A meeting's quorum rule (dumped from the meeting)."""

    rule = fields.Str(attribute="quorum_rule")
    count = fields.Int(attribute="quorum_count", allow_none=True)


class MeetingBrief(Schema):
    id = fields.Int()
    title = fields.Str()
    reference = fields.Str()
    venue = fields.Str()
    timezone = fields.Str()
    starts_at = fields.DateTime()


class MeetingOut(MeetingBrief):
    """The meeting (dumped from it) with only the sessions, items and current item the reader
    may see, and a closed-session decision's effects as the reader may know them
    (governance.publication)."""

    kind = fields.Str()
    quorum = derived(fields.Nested(QuorumRuleOut), of=lambda meeting: meeting)
    agenda_locked = derived(fields.Bool(), of=lambda meeting: publication.shown(
        reader(), "meeting.agenda_locked", meeting.id, meeting.agenda_locked))
    opened_at = fields.DateTime(allow_none=True)
    adjourned_at = fields.DateTime(allow_none=True)
    next_host_id = derived(fields.Int(allow_none=True), of=lambda meeting: publication.shown(
        reader(), "meeting.next_host", meeting.id, meeting.next_host_id))
    speaking_time = fields.Int(metadata={"description": "each speaker's time on the floor, in seconds"})
    current_item = derived(fields.Nested(ItemOut, allow_none=True), of=lambda meeting: (
        meeting.current_item if meeting.current_item is not None
        and policy.can_see_item(reader(), meeting.current_item) else None))
    sessions = derived(fields.List(fields.Nested(SessionOut)),
                       of=lambda meeting: policy.visible_sessions(reader(), meeting))

    @pre_dump
    def _documents_at_once(self, meeting, **_):
        load_documents([item for session in policy.visible_sessions(reader(), meeting) for item in session.items])
        return meeting


class ParticipantOut(Schema):
    """A participant (dumped from the Participant): who they are, and whether checked in now."""

    id = fields.Int()
    meeting_id = fields.Int()
    user_id = fields.Int()
    name = fields.Str(attribute="user.name")
    title = fields.Str(attribute="user.title")
    affiliation = derived(fields.Str(), of=lambda participant: (
        participant.user.member.name if participant.user.member else participant.user.affiliation))
    member_id = fields.Int(attribute="user.member_id", allow_none=True)
    group = fields.Str()
    chair = fields.Bool()
    excused = fields.Bool()
    present = derived(fields.Bool(), of=lambda participant: participant.open_stay is not None)
    mode = derived(fields.Str(allow_none=True), of=lambda participant: (
        participant.open_stay.mode if participant.open_stay is not None else None))


class QuorumOut(Schema):
    """A meeting's quorum now (dumped from governance.quorum.Quorum)."""

    voting_members = fields.Int()
    present = fields.Int()
    required = fields.Int()
    quorate = fields.Bool()


class AttendanceOut(Schema):
    user_id = fields.Int()
    present = fields.Bool()
    mode = fields.Str(allow_none=True)
    checked_in_at = fields.DateTime(allow_none=True)
    checked_out_at = fields.DateTime(allow_none=True)
    quorum = fields.Nested(QuorumOut)


def current_item_payload(meeting, user) -> dict | None:
    """The current item as this user may know it: nothing at all while the closed session
    is on, for someone who may not see it."""
    item = meeting.current_item
    if item is None or not policy.can_see_item(user, item):
        return None
    return ItemOut().dump(item)


def load_documents(items) -> None:
    """Every item's documents in one query instead of one per item."""
    from sqlalchemy.orm.attributes import set_committed_value

    from governance.documents.models import ItemDocument
    from governance.extensions import db
    items = [item for item in items if "documents" not in item.__dict__]
    if not items:
        return
    found: dict[int, list[ItemDocument]] = {item.id: [] for item in items}
    for document in db.session.scalars(db.select(ItemDocument).where(ItemDocument.item_id.in_(list(found)))
                                       .order_by(ItemDocument.id)):
        found[document.item_id].append(document)
    for item in items:
        set_committed_value(item, "documents", found[item.id])

