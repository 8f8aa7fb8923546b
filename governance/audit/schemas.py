from marshmallow import Schema, fields


class AuditEventOut(Schema):
    id = fields.Int()
    seq = fields.Int()
    created_at = fields.DateTime()
    actor_id = fields.Int(allow_none=True)
    meeting_id = fields.Int(allow_none=True)
    action = fields.Str()
    subject_type = fields.Str(allow_none=True)
    subject_id = fields.Int(allow_none=True)
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)
    prev_hash = fields.Str()
    hash = fields.Str()
