"""Shapes in and out of the minutes API (explicit field lists)."""
from marshmallow import Schema, fields, validate

from governance import policy
from governance.extensions import db
from governance.fields import MAX_ID, Id, derived
from governance.reader import reader
from minutes.models import EDITIONS
from minutes.operations import AUDIENCES
from minutes.wording import LANGUAGES
from motions.models import Motion

MAX_NOTE = 100_000


class NoteIn(Schema):
    text = fields.Str(required=True, validate=validate.Length(max=MAX_NOTE))


def _name_of(person) -> str | None:
    return person.name if person is not None else None


class NoteRevisionOut(Schema):
    """One revision of an item's notes (dumped from the ItemNote)."""

    revision = fields.Int()
    text = fields.Str()
    author = derived(fields.Str(allow_none=True), of=lambda note: _name_of(note.author))
    created_at = fields.DateTime()


class NotesOut(Schema):
    """An item's notes. Only the secretariat gets `revision`, `author`, `created_at` and the
    `history` of drafts; anyone else who may see the item gets `text`, the current one, with
    the rest null or empty. Dumped from minutes.operations.ItemNotes."""

    item_id = fields.Int()
    revision = derived(fields.Int(allow_none=True), of=lambda notes: _drafts_newest(notes, "revision"))
    text = derived(fields.Str(), of=lambda notes: notes.newest.text if notes.newest is not None else "")
    author = derived(fields.Str(allow_none=True), of=lambda notes: _name_of(_drafts_newest(notes, "author")))
    created_at = derived(fields.DateTime(allow_none=True), of=lambda notes: _drafts_newest(notes, "created_at"))
    history = fields.List(fields.Nested(NoteRevisionOut))


def _drafts_newest(notes, part: str):
    """A part of the newest revision that only the secretariat reads (None for anyone else)."""
    return getattr(notes.newest, part) if notes.drafts and notes.newest is not None else None


class DistributionOut(Schema):
    """One recipient's copy of a memorandum version (dumped from the Distribution)."""

    id = fields.Int()
    user_id = fields.Int()
    name = fields.Str(attribute="user.name")
    email = fields.Str()
    edition = fields.Str()
    language = fields.Str(metadata={"description": "the language sent: the recipient account's (en, ru)"})
    status = fields.Str()
    error = fields.Str(allow_none=True)
    attempts = fields.Int()
    sent_at = fields.DateTime(allow_none=True)


class VersionOut(Schema):
    """A memorandum version (dumped from the MemorandumVersion); its distributions for the
    secretariat only (empty for anyone else)."""

    id = fields.Int()
    version = fields.Int()
    status = fields.Str()
    created_at = fields.DateTime()
    author = derived(fields.Str(allow_none=True), of=lambda version: _name_of(version.author))
    approved_at = fields.DateTime(allow_none=True)
    approved_by_motion_id = derived(fields.Int(allow_none=True), of=lambda version: _approving_motion_id(version))
    languages = derived(fields.List(fields.Str(), metadata={"description": "the languages this version was built in"}),
                        of=lambda version: ["en"] + (["ru"] if version.full_docx_ru is not None else []))
    distributions = derived(fields.List(fields.Nested(DistributionOut)),
                            of=lambda version: version.distributions if policy.can_prepare(reader()) else [])


def _approving_motion_id(version) -> int | None:
    """The motion that approved this version, named only to whom may see it: it was put at a
    later meeting, perhaps in its closed session, which this meeting's observers may not know of."""
    if version.approved_by_motion_id is None:
        return None
    motion = db.session.get(Motion, version.approved_by_motion_id)
    return motion.id if motion is not None and policy.can_see_item(reader(), motion.item) else None


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
    yet recorded), `will_send` whether distributing now would queue a copy for them. Dumped from
    minutes.operations.RecipientPreview."""

    user_id = fields.Int(attribute="recipient.user.id")
    name = fields.Str(attribute="recipient.user.display_name")
    email = fields.Str(attribute="recipient.user.email")
    edition = fields.Str(attribute="recipient.edition")
    status = fields.Str(allow_none=True)
    will_send = fields.Bool()


class RecipientsOut(Schema):
    version = fields.Int()
    audience = fields.Str()
    recipients = fields.List(fields.Nested(RecipientOut))


class RetryIn(Schema):
    version = Id(load_default=None, allow_none=True)


class TemplateOut(Schema):
    """The secretariat's own memorandum template, as kept (dumped from the MemorandumTemplate)."""

    filename = fields.Str()
    sha256 = fields.Str()
    size = derived(fields.Int(), of=lambda template: len(template.data))
    uploaded_at = fields.DateTime()
    uploaded_by = derived(fields.Str(allow_none=True), of=lambda template: _name_of(template.uploaded_by))


class PreviewQuery(Schema):
    edition = fields.Str(load_default="full", validate=validate.OneOf(EDITIONS))
    lang = fields.Str(load_default="en", validate=validate.OneOf(LANGUAGES))
