from marshmallow import Schema, ValidationError, fields, validate

from governance import numbering
from governance.fields import derived, known_timezone
from governance.registry.models import (
    MEMBER_CATEGORIES,
    MEMBER_STATUSES,
    PAGE_LANGUAGES,
)


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


def _resolution_pattern(pattern: str) -> None:
    try:
        numbering.check_pattern(pattern)
    except numbering.PatternProblem as problem:
        raise ValidationError(str(problem)) from None


def _languages(codes: list) -> None:
    if len(set(codes)) != len(codes):
        raise ValidationError("A language is named twice.")


class OrganisationPatch(Schema):
    """The organisation's settings; `languages` lists the page languages offered, the first
    being the default; `resolution_format` is a governance.numbering pattern."""

    name = fields.Str(validate=validate.Length(min=1, max=200))
    short_name = fields.Str(validate=validate.Length(max=40))
    languages = fields.List(fields.Str(validate=validate.OneOf(PAGE_LANGUAGES)),
                            validate=[validate.Length(min=1, max=len(PAGE_LANGUAGES)), _languages])
    timezone = fields.Str(validate=known_timezone)
    resolution_format = fields.Str(validate=_resolution_pattern)


class OrganisationOut(Schema):
    name = fields.Str()
    short_name = fields.Str()
    # a dict when the reader sees the logo as it was before a closed-session decision (registry.api)
    has_logo = derived(fields.Bool(), of=lambda organisation: organisation["has_logo"]
                       if isinstance(organisation, dict) else organisation.logo is not None)
    logo_changed_at = fields.DateTime(allow_none=True)
    languages = fields.List(fields.Str())
    timezone = fields.Str()
    resolution_format = fields.Str()


class StatusChangeOut(Schema):
    at = fields.DateTime()
    source = fields.Str(metadata={"description": "entry, decision (a motion of a meeting), import or desk"})
    status_before = fields.Str(allow_none=True)
    status = fields.Str(allow_none=True)
    excom_before = fields.Bool(allow_none=True)
    excom = fields.Bool(allow_none=True)
    reason = fields.Str(allow_none=True, metadata={"description": "e.g. \"EXCOM 2024/R3: Admission of Cali\""})
    meeting_id = fields.Int(allow_none=True)
    motion_id = fields.Int(allow_none=True)
    resolution_number = fields.Str(allow_none=True)
    by = fields.Str(allow_none=True, metadata={"description": "who recorded it"})


class ImportRowOut(Schema):
    line = fields.Int(metadata={"description": "the file's line (the header is line 1)"})
    action = fields.Str(metadata={"description": "create, add, update, unchanged, or error"})
    values = fields.Dict(keys=fields.Str())
    problems = fields.Dict(keys=fields.Str(), values=fields.List(fields.Str()))


class ImportReport(Schema):
    valid = fields.Bool(metadata={"description": "true when every row can be imported"})
    problems = fields.List(fields.Str(), metadata={"description": "about the whole file"})
    ignored_columns = fields.List(fields.Str())
    counts = fields.Dict(keys=fields.Str(), values=fields.Int())
    rows = fields.List(fields.Nested(ImportRowOut))


class ExportQuery(Schema):
    format = fields.Str(load_default="csv", validate=validate.OneOf(("csv", "xlsx")))


def import_report(plan) -> dict:
    """An importing.TablePlan as ImportReport dumps it."""
    counts: dict[str, int] = {}
    for row in plan.rows:
        counts[row.action] = counts.get(row.action, 0) + 1
    return {"valid": plan.valid, "problems": plan.problems, "ignored_columns": plan.ignored_columns,
            "counts": counts, "rows": [{"line": r.line, "action": r.action, "values": r.values,
                                        "problems": r.problems} for r in plan.rows]}
