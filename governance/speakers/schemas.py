from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from governance.fields import Id, derived
from governance.speakers.models import SPEAKER_KINDS, SPEAKER_MODES, SPEAKER_STATUSES


class SpeakerIn(Schema):
    kind = fields.Str(load_default="speech", validate=validate.OneOf(SPEAKER_KINDS))
    mode = fields.Str(load_default=None, allow_none=True, validate=validate.OneOf(SPEAKER_MODES),
                      metadata={"description": "in the room or online; default: how the person is checked in"})
    text = fields.Str(load_default="", validate=validate.Length(max=2000),
                      metadata={"description": "the question, for kind question (required there)"})
    user_id = Id(load_default=None, allow_none=True,
                 metadata={"description": "someone else (chair or secretariat only); default: the caller"})

    @validates_schema
    def _question_has_text(self, data, **_):
        if data.get("kind") == "question" and not (data.get("text") or "").strip():
            raise ValidationError({"text": ["Write the question."]})


class SpeakerOut(Schema):
    id = fields.Int()
    item_id = fields.Int()
    user_id = fields.Int()
    name = fields.Str(attribute="user.name")
    affiliation = derived(fields.Str(),
                          of=lambda s: s.user.member.name if s.user.member else (s.user.affiliation or ""))
    kind = fields.Str(validate=validate.OneOf(SPEAKER_KINDS))
    mode = fields.Str(validate=validate.OneOf(SPEAKER_MODES))
    text = fields.Str()
    status = fields.Str(validate=validate.OneOf(SPEAKER_STATUSES))
    requested_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    ended_at = fields.DateTime(allow_none=True)
    answered_at = fields.DateTime(allow_none=True, metadata={"description": "a written question marked answered"})
