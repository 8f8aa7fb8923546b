from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from governance.fields import Id, derived
from motions import amendment
from motions.models import MAJORITIES, MEMBERSHIP_ACTIONS, MOTION_KINDS
from motions.scales import DEFAULT_SCALE, MOST_SUBJECTS, scale_problem


class ScaleIn(Schema):
    min = fields.Int(required=True, strict=True)
    max = fields.Int(required=True, strict=True)

    @validates_schema
    def _usable(self, data, **_):
        problem = scale_problem(data["min"], data["max"])
        if problem:
            raise ValidationError(problem, "max")


class MotionIn(Schema):
    kind = fields.Str(required=True, validate=validate.OneOf(MOTION_KINDS))
    title = fields.Str(required=True, validate=validate.Length(min=1, max=500))
    text = fields.Str(load_default="", validate=validate.Length(max=20000))
    majority = fields.Str(validate=validate.OneOf(MAJORITIES))
    secret = fields.Bool(load_default=False)
    moved_by_id = Id(allow_none=True, load_default=None)
    seconded_by_id = Id(allow_none=True, load_default=None)
    member_id = Id()
    action = fields.Str(validate=validate.OneOf(MEMBERSHIP_ACTIONS))
    candidates = fields.List(Id(), validate=validate.Length(min=2, max=50))
    method = fields.Str(validate=validate.OneOf(("exhaustive", "irv")))
    memorandum_meeting_id = Id()
    external_memorandum_id = Id()
    current_text = fields.Str(validate=validate.Length(min=1, max=50000))
    proposed_text = fields.Str(validate=validate.Length(min=1, max=50000))
    subjects = fields.List(fields.Str(validate=validate.Length(min=1, max=200)),
                           validate=validate.Length(min=1, max=MOST_SUBJECTS),
                           metadata={"description": "assessment: the names scored, in sheet order (e.g. regional "
                                                    "offices); a sheet scores them by index, 0 first"})
    scale = fields.Nested(ScaleIn, metadata={"description": f"assessment: the scores allowed, default {DEFAULT_SCALE}"})

    # which kind fields each kind needs, and which it must not carry
    _NEEDS = {
        "membership": {"member_id", "action"},
        "host_city": {"candidates"},
        "statutes_amendment": {"current_text", "proposed_text"},
        "assessment": {"subjects"},
    }
    _KIND_FIELDS = {"member_id", "action", "candidates", "method", "memorandum_meeting_id", "external_memorandum_id",
                    "current_text", "proposed_text", "subjects", "scale"}
    _ALLOWED = {**_NEEDS, "host_city": {"candidates", "method"}, "logo": {"method"},
                "minutes_approval": {"memorandum_meeting_id", "external_memorandum_id"},
                "assessment": {"subjects", "scale"}}

    @validates_schema
    def _kind_fields(self, data, **_):
        kind = data["kind"]
        problems = {}
        for name in self._NEEDS.get(kind, set()) - set(data):
            problems[name] = [f"A {kind} motion needs this."]
        for name in (self._KIND_FIELDS & set(data)) - self._ALLOWED.get(kind, set()):
            problems[name] = [f"A {kind} motion does not take this."]
        if kind == "minutes_approval" and len({"memorandum_meeting_id", "external_memorandum_id"} & set(data)) != 1:
            problems["memorandum_meeting_id"] = ["A minutes_approval motion approves either a meeting's memorandum "
                                                 "(memorandum_meeting_id) or one held outside the platform "
                                                 "(external_memorandum_id): give exactly one."]
        if kind in ("host_city", "logo") and "majority" in data:
            problems["majority"] = ["A ballot between candidates is decided by its method, not a majority rule."]
        if kind == "assessment" and "majority" in data:
            problems["majority"] = ["An assessment records scores; no majority decides it."]
        if "subjects" in data and not all(name.strip() for name in data["subjects"]):
            problems["subjects"] = ["Name every subject."]
        elif "subjects" in data and \
                len({name.strip().casefold() for name in data["subjects"]}) != len(data["subjects"]):
            problems["subjects"] = ["A subject is named twice."]
        if "candidates" in data and len(set(data["candidates"])) != len(data["candidates"]):
            problems["candidates"] = ["A candidate is named twice."]
        if problems:
            raise ValidationError(problems)


class CandidateOut(Schema):
    id = fields.Int()
    value = fields.Int()  # what a delegate votes for: the member id (host city) or the logo id
    label = fields.Str()
    member_id = fields.Int(allow_none=True)
    image_url = fields.Method("_image_url")  # the picture (PNG or JPEG) shown on ballots
    original_url = fields.Method("_original_url")  # the file as uploaded, as a download

    def _image_url(self, candidate):
        return f"/api/v1/logos/{candidate.id}" if candidate.image is not None else None

    def _original_url(self, candidate):
        return f"/api/v1/logos/{candidate.id}/original" if candidate.image is not None else None


class MotionOut(Schema):
    id = fields.Int()
    meeting_id = fields.Int()
    item_id = fields.Int()
    kind = fields.Str()
    title = fields.Str()
    text = fields.Str()
    majority = fields.Str()
    method = fields.Str()
    secret = fields.Bool()
    status = fields.Str()
    moved_by_id = fields.Int(allow_none=True)
    seconded_by_id = fields.Int(allow_none=True)
    member_id = fields.Int(allow_none=True)
    action = fields.Str(allow_none=True)
    memorandum_meeting_id = fields.Int(allow_none=True)
    # the version of that meeting's memorandum put to the vote: null until the approval poll opens
    memorandum_version = fields.Int(allow_none=True)
    external_memorandum = fields.Nested(lambda: ExternalMemorandumOut(), allow_none=True)
    current_text = fields.Str(allow_none=True)
    proposed_text = fields.Str(allow_none=True)
    changes = fields.Method("_changes", metadata={
        "description": "statutes amendments: the proposed text against the current one, word by word, as "
                       "[{op: equal/delete/insert, text}] (plain text: never markup)"})
    subjects = fields.List(fields.Str(), allow_none=True, metadata={"description": "assessment: the names scored"})
    scale = fields.Dict(allow_none=True, metadata={"description": "assessment: {min, max}"})
    resolution_number = fields.Str(allow_none=True)
    winner = fields.Method("_winner")
    decided_at = fields.DateTime(allow_none=True)
    candidates = fields.List(fields.Nested(CandidateOut))

    def _changes(self, motion):
        if motion.kind != "statutes_amendment":
            return None
        return amendment.changes(motion.current_text or "", motion.proposed_text or "")

    def _winner(self, motion):
        return motion.winner.value if motion.winner is not None else None


class LogoIn(Schema):
    label = fields.Str(load_default="", validate=validate.Length(max=200))


class MotionPatch(Schema):
    """The wording until the motion is put to the vote; mover and seconder until the meeting's
    memorandum is approved (user ids of participants, or null)."""

    title = fields.Str(validate=validate.Length(min=1, max=500))
    text = fields.Str(validate=validate.Length(max=20000))
    majority = fields.Str(validate=validate.OneOf(MAJORITIES))
    secret = fields.Bool()
    current_text = fields.Str(validate=validate.Length(min=1, max=50000))
    proposed_text = fields.Str(validate=validate.Length(min=1, max=50000))
    moved_by_id = Id(allow_none=True)
    seconded_by_id = Id(allow_none=True)


class LogoPatch(Schema):
    label = fields.Str(required=True, validate=validate.Length(min=1, max=200))


class ExternalMemorandumIn(Schema):
    title = fields.Str(required=True, validate=validate.Length(min=1, max=300),
                       metadata={"description": "what the members approve, e.g. 'Memorandum of the EXCOM "
                                                "Meeting 2023, as circulated on 15 October 2023'"})


class ExternalMemorandumOut(Schema):
    """A memorandum held outside the platform, as a `minutes_approval` motion puts it to the vote."""

    id = fields.Int()
    title = fields.Str()
    filename = fields.Str()
    content_type = fields.Str(metadata={"description": "application/pdf or the DOCX type, judged from the bytes"})
    size = fields.Int(metadata={"description": "bytes"})
    sha256 = fields.Str(metadata={"description": "of the file as stored; the memorandum prints it"})
    status = fields.Str(metadata={"description": "received, or approved once a minutes_approval motion on it "
                                                 "is adopted"})
    created_at = fields.DateTime()
    approved_at = fields.DateTime(allow_none=True)
    approved_by_motion_id = fields.Int(allow_none=True)
    url = fields.Function(lambda memorandum: f"/api/v1/external-memoranda/{memorandum.id}/file")


class PublishedDecisionOut(Schema):
    """A closed-session decision as the public may know it once published (dumped from the
    motion): never the debate, the notes or the counts of a secret ballot."""

    motion_id = fields.Int(attribute="id")
    resolution_number = fields.Str(allow_none=True)
    title = fields.Str(metadata={"description": "the motion as worded"})
    text = fields.Str()
    outcome = fields.Str(attribute="status", metadata={"description": "adopted, rejected or elected"})
    winner = derived(fields.Str(allow_none=True, metadata={"description": "the elected candidate (host city, logo)"}),
                     of=lambda motion: motion.winner.label if motion.winner is not None else None)


class PublicationOut(Schema):
    meeting_id = fields.Int()
    published_at = fields.DateTime()
    changes_released = fields.Int(metadata={"description": "withheld effects this call made public (0 when "
                                                           "publishing again with nothing new)"})
    decisions = fields.List(fields.Nested(PublishedDecisionOut),
                            metadata={"description": "every closed-session decision published so far"})
