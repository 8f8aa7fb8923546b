from marshmallow import Schema, fields, validate


class DocumentIn(Schema):
    """The multipart form's text fields; the file itself is the part named `file`."""

    title = fields.Str(required=True, validate=validate.Length(min=1, max=300),
                       metadata={"description": "what members see, e.g. “Annual report”"})


class DocumentOut(Schema):
    id = fields.Int()
    item_id = fields.Int()
    title = fields.Str()
    filename = fields.Str()
    content_type = fields.Str(metadata={"description": "judged from the content, not the name"})
    size = fields.Int(metadata={"description": "bytes"})
    sha256 = fields.Str(metadata={"description": "hex digest of the bytes, as the memorandum's annex list gives it"})
    url = fields.Str(metadata={"description": "where to download it"})
    created_at = fields.DateTime()
