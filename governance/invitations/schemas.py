"""Shapes in and out of the invitations API (explicit field lists)."""
from marshmallow import Schema, fields, validate

from governance.fields import Id
from governance.invitations.operations import GROUPS
from governance.registry.models import PAGE_LANGUAGES

MAX_PEOPLE = 5000


class InviteIn(Schema):
    """Whom: a `group` ("all" or a participant group), or `user_ids`, or both (that group among
    those people). `language`: one language for all; absent: each person's own."""

    group = fields.Str(load_default=None, allow_none=True, validate=validate.OneOf(GROUPS))
    user_ids = fields.List(Id(), load_default=None, allow_none=True, validate=validate.Length(min=1, max=MAX_PEOPLE))
    language = fields.Str(load_default=None, allow_none=True, validate=validate.OneOf(PAGE_LANGUAGES))


class RevokeIn(Schema):
    user_ids = fields.List(Id(), required=True, validate=validate.Length(min=1, max=MAX_PEOPLE))


class InvitationOut(Schema):
    """A link given to a participant (dumped from the Invitation)."""

    id = fields.Int()
    channel = fields.Str(metadata={"description": "email, or qr (printed on the sheet for the room)"})
    language = fields.Str()
    created_at = fields.DateTime()
    opened_at = fields.DateTime(allow_none=True, metadata={"description": "first sign-in through the link"})
    revoked_at = fields.DateTime(allow_none=True)
    live = fields.Bool(metadata={"description": "the link still works"})
    mail_state = fields.Str(allow_none=True, metadata={"description": "queued, sending, sent or failed; "
                                                                      "null for a printed link"})
    mail_reason = fields.Str(allow_none=True, metadata={"description": "the mail server's reason of a failure"})


class InviteeOut(Schema):
    """A participant at the invitation desk (dumped from governance.invitations.operations.Invitee)."""

    user_id = fields.Int()
    name = fields.Str()
    email = fields.Str()
    group = fields.Str()
    opened_at = fields.DateTime(allow_none=True)
    live = fields.Int(metadata={"description": "how many of this person's links still work"})
    invitations = fields.List(fields.Nested(InvitationOut), metadata={"description": "newest first"})


class InvitedOut(Schema):
    count = fields.Int()
    invitations = fields.List(fields.Nested(InvitationOut))
