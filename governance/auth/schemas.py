from marshmallow import Schema, fields, validate

from governance.auth.models import READING_LANGUAGES, ROLES
from governance.auth.passwords import check_password
from governance.extensions import db
from governance.fields import Id, derived
from governance.registry.schemas import OrganisationPatch


class LoginIn(Schema):
    email = fields.Email(required=True)
    password = fields.Str(required=True, validate=validate.Length(min=1, max=200))


class MemberBrief(Schema):
    id = fields.Int()
    name = fields.Str()
    status = fields.Str()
    excom = fields.Bool()


class UserOut(Schema):
    id = fields.Int()
    name = fields.Str()
    email = fields.Str()
    title = fields.Str()
    affiliation = fields.Str()
    member_id = fields.Int(allow_none=True)
    member = fields.Nested(MemberBrief, allow_none=True)
    roles = fields.List(fields.Str())
    active = fields.Bool()
    language = fields.Str(allow_none=True)


class LoginOut(Schema):
    token = fields.Str()
    user = fields.Nested(UserOut)


class MeetingRoleOut(Schema):
    """A meeting the person takes part in (dumped from their Participant)."""

    meeting_id = fields.Int()
    title = fields.Str(attribute="meeting.title")
    group = fields.Str()
    chair = fields.Bool()


class MeOut(UserOut):
    """The caller (dumped from the User) with the meetings they take part in."""

    meetings = derived(fields.List(fields.Nested(MeetingRoleOut)), of=lambda user: _participations(user))


def _participations(user) -> list:
    from governance.meetings.models import Participant  # meetings are above accounts
    return list(db.session.scalars(db.select(Participant).where(Participant.user_id == user.id)))


READING_LANGUAGE = ("the language the person reads (en, ru): the memorandum is distributed to them in it; "
                    "null: the organisation's first language")


class UserIn(Schema):
    name = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(required=True)
    password = fields.Str(load_only=True, validate=check_password,
                          metadata={"description": "12 to 200 characters, not a common or guessable one"})
    title = fields.Str(load_default="", validate=validate.Length(max=300))
    affiliation = fields.Str(load_default="", validate=validate.Length(max=200))
    member_id = Id(allow_none=True, load_default=None)
    roles = fields.List(fields.Str(validate=validate.OneOf(ROLES)), load_default=list)
    language = fields.Str(allow_none=True, load_default=None, validate=validate.OneOf(READING_LANGUAGES),
                          metadata={"description": READING_LANGUAGE})


class UserPatch(Schema):
    name = fields.Str(validate=validate.Length(min=1, max=200))
    password = fields.Str(load_only=True, validate=check_password)
    title = fields.Str(validate=validate.Length(max=300))
    affiliation = fields.Str(validate=validate.Length(max=200))
    member_id = Id(allow_none=True)
    roles = fields.List(fields.Str(validate=validate.OneOf(ROLES)))
    active = fields.Bool()
    language = fields.Str(allow_none=True, validate=validate.OneOf(READING_LANGUAGES),
                          metadata={"description": READING_LANGUAGE})


class TokenIn(Schema):
    label = fields.Str(load_default="", validate=validate.Length(max=200))


class TokenOut(Schema):
    id = fields.Int()
    token = fields.Str()  # shown once, when issued; only its hash is kept
    kind = fields.Str()
    label = fields.Str()
    created_at = fields.DateTime()
    revoked_at = fields.DateTime(allow_none=True)


class FirstRunOrganisation(OrganisationPatch):
    class Meta:
        fields = ("name", "short_name", "languages", "timezone")

    name = fields.Str(required=True, validate=validate.Length(min=1, max=200))


class FirstRunAccount(Schema):
    name = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(required=True)
    password = fields.Str(required=True, load_only=True, validate=check_password)


class FirstRunIn(Schema):
    key = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    organisation = fields.Nested(FirstRunOrganisation, required=True)
    account = fields.Nested(FirstRunAccount, required=True)


class FirstRunState(Schema):
    open = fields.Bool(metadata={"description": "true while the database holds no account"})


class PasswordChangeIn(Schema):
    current_password = fields.Str(required=True, load_only=True, validate=validate.Length(min=1, max=200))
    new_password = fields.Str(required=True, load_only=True, validate=check_password,
                              metadata={"description": "12 to 200 characters, not a common or guessable one"})


class PasswordResetIn(Schema):
    email = fields.Email(required=True)


class PasswordResetOut(Schema):
    message = fields.Str(metadata={"description": "the same whether or not an account has this address"})


class PasswordResetConfirmIn(Schema):
    code = fields.Str(required=True, load_only=True, validate=validate.Length(min=1, max=200))
    new_password = fields.Str(required=True, load_only=True, validate=check_password)


class AccessLinkOut(Schema):
    id = fields.Int(metadata={"description": "the link's token: DELETE /tokens/{id} ends its browser session"})
    url = fields.Str(metadata={"description": "the page's path, /login/link/<code>; shown once"})
    code = fields.Str(metadata={"description": "the one-time code; only its hash is kept"})
    label = fields.Str()
    expires_at = fields.DateTime(metadata={"description": "unused after this, the link is useless"})


class SignedOutOut(Schema):
    tokens_revoked = fields.Int()
