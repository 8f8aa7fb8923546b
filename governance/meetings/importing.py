"""A meeting's participants (a list of delegates) from a CSV or XLSX file, and back out.

People are matched by e-mail: someone without an account gets one (without a password: they
sign in through a personal access link); the member column names the city or institution a
delegate speaks for, by its name in the registry. The group defaults to `excom_member` for a
delegate of an EXCOM member, to the observer group of the member's category otherwise, and to
`guest` for someone with no member. Every row is stored, or none (422 `import_invalid`).
"""
from governance import importing
from governance.auth import operations as auth_ops
from governance.auth.models import User, email_key
from governance.extensions import db
from governance.meetings import operations
from governance.meetings.models import GROUPS, Group, Meeting, Participant
from governance.names import name_key
from governance.registry.importing import refusal
from governance.registry.models import Member

# The group as the set-up page names it, in English and Russian, besides the stored code: a
# newcomer copies the label they see ("Media", "СМИ"), not `observer_media`.
GROUP_WORDS = (
    ("EXCOM member", "excom_member"), ("Член Исполкома", "excom_member"),
    ("Observer city", "observer_city"), ("Город-наблюдатель", "observer_city"),
    ("Observer institution", "observer_institution"), ("Организация-наблюдатель", "observer_institution"),
    ("Media", "observer_media"), ("Press", "observer_media"), ("СМИ", "observer_media"),
    ("Пресса", "observer_media"),
    ("Corporate observer", "observer_corporate"), ("Наблюдатель (компания)", "observer_corporate"),
    ("Secretariat", "secretariat"), ("Секретариат", "secretariat"),
    ("Guest", "guest"), ("Гость", "guest"),
)
COLUMNS = (
    importing.Column("email", ("e-mail", "email address", "почта", "электронная почта"), required=True,
                     max_length=254, kind="email"),
    importing.Column("name", ("full name", "имя", "фио"), max_length=200),
    importing.Column("member", ("delegate of", "city", "член", "город"), max_length=200),
    importing.Column("affiliation", ("organisation", "organization", "организация"), max_length=200),
    importing.Column("title", ("position", "должность"), max_length=300),
    importing.Column("group", ("takes part as", "группа"), choices=GROUPS, aliases=GROUP_WORDS),
    importing.Column("chair", ("председатель",), kind="flag"),
    importing.Column("excused", ("apologies", "извинился"), kind="flag"),
)
EXPORT_FIELDS = ("email", "name", "member", "affiliation", "title", "group", "chair", "excused")
_OBSERVER_GROUP = {"city": "observer_city", "institution": "observer_institution", "corporate": "observer_corporate"}


def _default_group(member: Member | None) -> str:
    if member is None:
        return "guest"
    return Group.EXCOM_MEMBER if member.excom else _OBSERVER_GROUP.get(member.category, "guest")


def plan_participants(meeting: Meeting, table: list[list[str]]) -> importing.TablePlan:
    """What importing `table` into `meeting` would do, row by row: create (a new person),
    add (a known person), update (group, chair or apologies), unchanged; changes nothing."""
    plan = importing.plan_table(table, COLUMNS, key="email")
    members = {member.name_key: member for member in db.session.scalars(db.select(Member))}
    users = {user.email_key: user for user in db.session.scalars(db.select(User))}
    taking_part = {p.user_id: p for p in meeting.participants}
    chairs = [row for row in plan.rows if row.values.get("chair")]
    for row in chairs[1:]:
        row.problems.setdefault("chair", []).append(f"A meeting has one chair; line {chairs[0].line} names one.")
    for row in plan.rows:
        values = row.values
        values["email"] = str(values.get("email", "")).strip()
        user = users.get(email_key(values["email"]))
        member = None
        if values.get("member"):
            member = members.get(name_key(values["member"]))
            if member is None:
                row.problems.setdefault("member", []).append("No member of the registry has this name.")
            else:
                values["member"] = member.name
        if user is not None and member is not None and user.member_id != member.id:
            row.problems.setdefault("member", []).append(
                f"{user.name}'s account speaks for {user.member.name if user.member else 'no member'}.")
        if user is None and not values.get("name"):
            row.problems.setdefault("name", []).append("Required for a person without an account.")
        speaks_for = member if member is not None else (user.member if user is not None else None)
        group = values.setdefault("group", _default_group(speaks_for))
        if group == Group.EXCOM_MEMBER and (speaks_for is None or not speaks_for.excom):
            row.problems.setdefault("group", []).append(
                "Only a delegate of an EXCOM member takes part as excom_member.")
        if group == "secretariat" and not (user is not None and user.is_secretariat):
            row.problems.setdefault("group", []).append("Only secretariat staff take part as secretariat.")
        if not row.valid:
            row.action = "error"
            continue
        participant = taking_part.get(user.id) if user is not None else None
        if user is None:
            row.action = "create"
        elif participant is None:
            row.action = "add"
        else:
            wanted = {"group": group, "chair": values.get("chair", participant.chair),
                      "excused": values.get("excused", participant.excused)}
            row.action = "update" if any(getattr(participant, k) != v for k, v in wanted.items()) else "unchanged"
    return plan


def import_participants(meeting: Meeting, table: list[list[str]], *, actor) -> importing.TablePlan:
    """Store every row (new accounts, participations, changes), or none: 422 `import_invalid`."""
    plan = plan_participants(meeting, table)
    if not plan.valid:
        raise refusal(plan)
    members = {member.name: member for member in db.session.scalars(db.select(Member))}
    for row in plan.rows:
        values = row.values
        if row.action == "create":
            member = members.get(values.get("member"))
            auth_ops.create_user(actor=actor, name=values["name"], email=values["email"], title=values.get("title", ""),
                                 affiliation=values.get("affiliation", ""), member_id=member.id if member else None)
        user = db.session.scalar(db.select(User).where(User.email_key == email_key(values["email"])))
        if row.action in ("create", "add"):
            operations.add_participant(meeting, actor=actor, user_id=user.id, group=values["group"],
                                       chair=values.get("chair", False), excused=values.get("excused", False))
        elif row.action == "update":
            participant = db.session.scalar(db.select(Participant).where(
                Participant.meeting_id == meeting.id, Participant.user_id == user.id))
            changes = {k: values[k] for k in ("group", "chair", "excused") if k in values
                       and getattr(participant, k) != values[k]}
            operations.update_participant(participant, changes, actor=actor)
    return plan


def export_rows(meeting: Meeting) -> tuple[list[str], list[list]]:
    rows = []
    for p in sorted(meeting.participants, key=lambda p: (p.group != Group.EXCOM_MEMBER, p.user.name.casefold())):
        user = p.user
        rows.append([user.email, user.name, user.member.name if user.member else "", user.affiliation, user.title,
                     p.group, p.chair, p.excused])
    return list(EXPORT_FIELDS), rows
