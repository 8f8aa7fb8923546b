"""Shapes in and out of the minutes API (explicit field lists)."""
from marshmallow import Schema, fields, validate

from governance.fields import MAX_ID, Id
from minutes.models import EDITIONS
from minutes.operations import AUDIENCES
from minutes.wording import LANGUAGES

MAX_NOTE = 100_000


class NoteIn(Schema):
    text = fields.Str(required=True, validate=validate.Length(max=MAX_NOTE))


class NoteRevisionOut(Schema):
    revision = fields.Int()
    text = fields.Str()
    author = fields.Str(allow_none=True)
    created_at = fields.DateTime()


class NotesOut(Schema):
    """An item's notes. Only the secretariat gets `revision`, `author`, `created_at` and the
    `history` of drafts; anyone else who may see the item gets `text`, the current one, with
    the rest null or empty."""

    item_id = fields.Int()
    revision = fields.Int(allow_none=True)
    text = fields.Str()
    author = fields.Str(allow_none=True)
    created_at = fields.DateTime(allow_none=True)
    history = fields.List(fields.Nested(NoteRevisionOut))


class DistributionOut(Schema):
    id = fields.Int()
    user_id = fields.Int()
    name = fields.Str()
    email = fields.Str()
    edition = fields.Str()
    language = fields.Str(metadata={"description": "the language sent: the recipient account's (en, ru)"})
    status = fields.Str()
    error = fields.Str(allow_none=True)
    attempts = fields.Int()
    sent_at = fields.DateTime(allow_none=True)


class VersionOut(Schema):
    id = fields.Int()
    version = fields.Int()
    status = fields.Str()
    created_at = fields.DateTime()
    author = fields.Str(allow_none=True)
    approved_at = fields.DateTime(allow_none=True)
    approved_by_motion_id = fields.Int(allow_none=True)
    languages = fields.List(fields.Str(), metadata={"description": "the languages this version was built in"})
    distributions = fields.List(fields.Nested(DistributionOut))


class DocxQuery(Schema):
    edition = fields.Str(load_default="full", validate=validate.OneOf(EDITIONS))
    # a query string carries text: not strict, but within the ids' range
    version = fields.Int(load_default=None, validate=validate.Range(min=1, max=MAX_ID))
    lang = fields.Str(load_default="en", validate=validate.OneOf(LANGUAGES),
                      metadata={"description": "the memorandum's language: every fixed text, date and number"})


class DistributeIn(Schema):
    audience = fields.Str(required=True, validate=validate.OneOf(AUDIENCES))
    version = Id(load_default=None, allow_none=True)


class DistributionReport(Schema):
    version = fields.Int()
    audience = fields.Str()
    recorded = fields.Int()  # kept without sending: no SMTP server configured
    queued = fields.Int()    # waiting for the sender, which sends after the commit
    sending = fields.Int()   # claimed by a sender right now
    sent = fields.Int()
    failed = fields.Int()
    recipients = fields.List(fields.Nested(DistributionOut))


class RecipientsQuery(Schema):
    audience = fields.Str(required=True, validate=validate.OneOf(AUDIENCES))
    version = fields.Int(load_default=None, validate=validate.Range(min=1, max=MAX_ID))


class RecipientOut(Schema):
    """One person a distribution would reach: `status` is their copy's state so far (null: not
    yet recorded), `will_send` whether distributing now would queue a copy for them."""

    user_id = fields.Int()
    name = fields.Str()
    email = fields.Str()
    edition = fields.Str()
    status = fields.Str(allow_none=True)
    will_send = fields.Bool()


class RecipientsOut(Schema):
    version = fields.Int()
    audience = fields.Str()
    recipients = fields.List(fields.Nested(RecipientOut))


class RetryIn(Schema):
    version = Id(load_default=None, allow_none=True)


class TemplateOut(Schema):
    """The secretariat's own memorandum template, as kept."""

    filename = fields.Str()
    sha256 = fields.Str()
    size = fields.Int()
    uploaded_at = fields.DateTime()
    uploaded_by = fields.Str(allow_none=True)


class PreviewQuery(Schema):
    edition = fields.Str(load_default="full", validate=validate.OneOf(EDITIONS))
    lang = fields.Str(load_default="en", validate=validate.OneOf(LANGUAGES))
