from marshmallow import Schema, fields, validate

from governance.registry.models import MEMBER_CATEGORIES, MEMBER_STATUSES


class MemberIn(Schema):
    name = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    country = fields.Str(load_default="", validate=validate.Length(max=120))
    category = fields.Str(load_default="city", validate=validate.OneOf(MEMBER_CATEGORIES))
    status = fields.Str(load_default="applicant", validate=validate.OneOf(MEMBER_STATUSES))
    excom = fields.Bool(load_default=False)
    office = fields.Str(allow_none=True, load_default=None, validate=validate.Length(max=120))


class MemberPatch(Schema):
    name = fields.Str(validate=validate.Length(min=1, max=200))
    country = fields.Str(validate=validate.Length(max=120))
    category = fields.Str(validate=validate.OneOf(MEMBER_CATEGORIES))
    status = fields.Str(validate=validate.OneOf(MEMBER_STATUSES))
    excom = fields.Bool()
    office = fields.Str(allow_none=True, validate=validate.Length(max=120))


class MemberOut(Schema):
    id = fields.Int()
    name = fields.Str()
    country = fields.Str()
    category = fields.Str()
    status = fields.Str()
    excom = fields.Bool()
    office = fields.Str(allow_none=True)


class OrganisationOut(Schema):
    name = fields.Str()
    short_name = fields.Str()
    has_logo = fields.Function(lambda organisation: organisation.logo is not None)
    logo_changed_at = fields.DateTime(allow_none=True)
