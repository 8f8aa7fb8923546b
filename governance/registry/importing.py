"""The member registry from a CSV or XLSX file, and back out to one.

Members are matched by name as people read it (governance.names: case, accents, spaces aside): a known
member's row updates what it names, an unknown one is created (an applicant, not on the EXCOM, unless
the row says otherwise).
`plan_members` changes nothing; `import_members` stores every row or, if any row has a
problem, none (422 with each problem by line and column).
"""
from governance import importing, spreadsheets
from governance.errors import ApiError
from governance.extensions import db
from governance.names import name_key
from governance.registry import operations
from governance.registry.models import MEMBER_CATEGORIES, MEMBER_STATUSES, Member

COLUMNS = (
    importing.Column("name", ("member", "city", "название", "член"), required=True),
    importing.Column("country", ("страна",), max_length=120),
    importing.Column("category", ("type", "категория"), choices=MEMBER_CATEGORIES,
                     aliases=(("город", "city"), ("учреждение", "institution"), ("компания", "corporate"))),
    importing.Column("status", ("статус",), choices=MEMBER_STATUSES,
                     aliases=(("кандидат", "applicant"), ("действующий", "active"), ("приостановлен", "suspended"),
                              ("вышел", "withdrawn"), ("исключён", "terminated"), ("исключен", "terminated"))),
    importing.Column("excom", ("excom member", "executive committee", "исполком"), kind="flag"),
    importing.Column("office", ("position", "должность"), max_length=120),
)
EXPORT_FIELDS = ("name", "country", "category", "status", "excom", "office")
DEFAULTS = {"country": "", "category": "city", "status": "applicant", "excom": False, "office": None}


def read(data: bytes) -> list[list[str]]:
    try:
        return spreadsheets.read_table(data)
    except spreadsheets.TableProblem as problem:
        raise ApiError(422, "unreadable_file", str(problem), {"file": [str(problem)]}) from None


def plan_members(table: list[list[str]]) -> importing.TablePlan:
    """What importing `table` would do, row by row (each row's `action`); changes nothing."""
    plan = importing.plan_table(table, COLUMNS, key="name")
    stored = {member.name_key: member for member in db.session.scalars(db.select(Member))}
    for row in plan.rows:
        if not row.valid:
            row.action = "error"
            continue
        member = stored.get(name_key(row.values["name"]))
        if member is None:
            row.action = "create"
        else:
            row.values["name"] = member.name  # matched whatever the case: the registry's spelling stays
            changed = {k: v for k, v in row.values.items() if getattr(member, k) != v}
            row.action = "update" if changed else "unchanged"
    return plan


def refusal(plan: importing.TablePlan) -> ApiError:
    """422 naming every problem as "line.column", e.g. {"3.category": ["One of: city, ..."]}."""
    fields = {"file": list(plan.problems)} if plan.problems else {}
    for row in plan.rows:
        for column, problems in row.problems.items():
            fields[f"{row.line}.{column}"] = list(problems)
    bad = sum(1 for row in plan.rows if not row.valid)
    message = ("Nothing was imported: " + " ".join(plan.problems) if plan.problems else
               f"Nothing was imported: {bad} row(s) have problems.")
    return ApiError(422, "import_invalid", message, fields)


def import_members(table: list[list[str]], *, actor, source: str = "") -> importing.TablePlan:
    """Store every row of the table, or none (ApiError 422 `import_invalid`)."""
    plan = plan_members(table)
    if not plan.valid:
        raise refusal(plan)
    stored = {member.name_key: member for member in db.session.scalars(db.select(Member))}
    for row in plan.rows:
        if row.action == "create":
            member = operations.create_member(actor=actor, **{**DEFAULTS, **row.values})
            stored[member.name_key] = member
        elif row.action == "update":
            member = stored[name_key(row.values["name"])]
            changes = {k: v for k, v in row.values.items() if getattr(member, k) != v}
            operations.update_member(member, changes, actor=actor, reason=f"imported from {source or 'a file'}")
    return plan


def export_rows() -> tuple[list[str], list[list]]:
    members = db.session.scalars(db.select(Member).order_by(Member.name)).all()
    return list(EXPORT_FIELDS), [[getattr(member, name) for name in EXPORT_FIELDS] for member in members]
