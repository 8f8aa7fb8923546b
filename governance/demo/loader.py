"""`excom demo`: the first real meeting, through the same operations a secretariat uses.

Idempotent by natural keys: members by name, users by e-mail, the meeting by title. A second
run finds everything in place and writes nothing, not even an audit event.
"""
import json
from dataclasses import dataclass
from datetime import datetime

from governance.auth import operations as auth_ops
from governance.auth.models import User
from governance.extensions import db
from governance.meetings import operations as meeting_ops
from governance.meetings.models import Meeting
from governance.registry import operations as registry_ops
from governance.registry.models import Member, Organisation
from governance.resources import demo_data_path

# Members the program book names as admitted since EXCOM 2023: they wait as applicants,
# so that the meeting's membership vote (excom demo --play) is what admits them.
_PENDING_ADMISSION_STATUS = "applicant"


@dataclass
class DemoReport:
    created: bool
    meeting: Meeting
    accounts: list[tuple[str, str, str]]  # (role, name, e-mail)


def load_facts() -> dict:
    return json.loads(demo_data_path().read_text(encoding="utf-8"))


def _ensure_organisation(facts: dict) -> None:
    organisation = Organisation.ensure()
    org = facts["organization"]
    if organisation.name != org["name"]:
        organisation.name = org["name"]
        organisation.short_name = org["short_name"]
        organisation.secretariat_city = org["secretariat"]


def _ensure_members(facts: dict) -> dict[str, Member]:
    admitted_later = {change["member"] for change in facts["known_membership_changes_since_2023"]
                      if change["action"] == "admit"}
    members = {m.name: m for m in db.session.scalars(db.select(Member))}
    for entry in facts["members"]:
        if entry["name"] in members:
            continue
        status = _PENDING_ADMISSION_STATUS if entry["name"] in admitted_later else "active"
        members[entry["name"]] = registry_ops.create_member(
            actor=None, name=entry["name"], country=entry["country"], category=entry["category"],
            status=status, excom=entry["excom"], office=entry.get("office"))
    return members


def _ensure_users(facts: dict, members: dict[str, Member], password: str) -> dict[str, User]:
    users = {}
    for person in facts["participants"]:
        user = db.session.scalar(db.select(User).where(User.email == person["email"]))
        if user is None:
            member = members.get(person["affiliation"])
            user = auth_ops.create_user(
                actor=None, name=person["name"], email=person["email"], password=password,
                title=person["title"], affiliation=person["affiliation"],
                member_id=member.id if member else None,
                roles=["secretariat"] if person["group"] == "secretariat" else [],
                # the demo's published password (EXCOM_DEMO_PASSWORD) is below the rule on purpose
                password_rule=False)
        users[person["email"]] = user
    return users


def _chair_email(facts: dict) -> str:
    president = facts["organization"]["president_member"]
    return next(p["email"] for p in facts["participants"]
                if p["affiliation"] == president and p["group"] == "excom_member")


def _create_meeting(facts: dict, users: dict[str, User]) -> Meeting:
    data = facts["meeting"]
    meeting = meeting_ops.create_meeting(
        actor=None, title=data["title"], reference=f"{data['series']} {data['year']}",
        kind="Executive Committee meeting", venue=data["venue"], timezone=data["timezone"],
        starts_at=datetime.fromisoformat(data["sessions"][0]["starts_at"]),
        quorum={"rule": "majority", "count": None})
    for position, session_facts in enumerate(data["sessions"], start=1):
        session = meeting_ops.add_session(
            meeting, actor=None, title=session_facts["title"], kind=session_facts["kind"], position=position,
            venue=session_facts["venue"], starts_at=datetime.fromisoformat(session_facts["starts_at"]),
            ends_at=datetime.fromisoformat(session_facts["ends_at"]))
        for item_position, item in enumerate(session_facts["items"], start=1):
            meeting_ops.add_item(session, actor=None, number=item.get("number"), title=item["title"],
                                 kind=item["kind"], position=item_position)
    chair = _chair_email(facts)
    for person in facts["participants"]:
        meeting_ops.add_participant(meeting, actor=None, user_id=users[person["email"]].id,
                                    group=person["group"], chair=person["email"] == chair)
    return meeting


class DemoRefused(Exception):
    """The database holds data of its own: the demo (whose accounts share one known password)
    is not mixed into it."""


def _refuse_real_data(facts: dict) -> None:
    """Meetings other than the demo's, or accounts that are not the demo's, are somebody's real
    data: demo accounts with a published password must never sit beside them."""
    others = db.session.scalars(db.select(Meeting.title).where(Meeting.title != facts["meeting"]["title"])
                                .limit(3)).all()
    if others:
        raise DemoRefused(f"this database already holds other meetings ({', '.join(others)}); the demo is "
                          "loaded only into a database of its own (set EXCOM_DATABASE_URL to a fresh one)")
    demo_emails = {person["email"] for person in facts["participants"]}
    strangers = [email for email in db.session.scalars(db.select(User.email)) if email not in demo_emails]
    if strangers:
        raise DemoRefused(f"this database already holds accounts of its own ({', '.join(strangers[:3])}); "
                          "the demo's accounts share a known password and are loaded only into a database "
                          "of its own (set EXCOM_DATABASE_URL to a fresh one)")


def _attach_documents(meeting: Meeting) -> None:
    """The annual report on Agenda 1 (open session) and the financial report on Agenda 6 (closed
    session), unless they are already there."""
    from governance.demo.documents import DEMO_DOCUMENTS
    from governance.documents.operations import attach_document
    items = {item.number: item for item in meeting.agenda() if item.number}
    for number, title, filename, make in DEMO_DOCUMENTS:
        item = items.get(number)
        if item is not None and all(document.title != title for document in item.documents):
            attach_document(item, actor=None, title=title, filename=filename, data=make())


ASSESSMENT_TITLE = "Annual assessment of the WeGO regional offices"


def office_names(facts: dict) -> list[str]:
    """The six regional offices of the program book as an assessment names them: "East Asia (Chengdu)"."""
    return [f"{office['region']} ({office['member']})" for office in facts["organization"]["regional_offices"]]


def _prepare_assessment(meeting: Meeting, facts: dict) -> None:
    """Agenda 5, "Annual Assessment of WeGO Regional Offices": a secret assessment of the six
    regional offices on the default scale (1-5), ready for the chair to open; unless there."""
    from motions.models import Motion
    from motions.operations import create_motion
    item = next((item for item in meeting.agenda() if item.number == "Agenda 5"), None)
    if item is None or db.session.scalar(db.select(Motion.id).where(Motion.item_id == item.id,
                                                                   Motion.kind == "assessment")):
        return
    create_motion(item, actor=None, kind="assessment", title=ASSESSMENT_TITLE, secret=True,
                  text="Each member scores each regional office's work in 2024 from 1 (poor) to 5 (excellent).",
                  subjects=office_names(facts))


def load_demo(password: str) -> DemoReport:
    """Load the EXCOM 2024 meeting; flushes only, the caller commits. DemoRefused on a database
    that holds other meetings or accounts."""
    facts = load_facts()
    _refuse_real_data(facts)
    _ensure_organisation(facts)
    members = _ensure_members(facts)
    users = _ensure_users(facts, members, password)
    meeting = db.session.scalar(db.select(Meeting).where(Meeting.title == facts["meeting"]["title"]))
    created = meeting is None
    if created:
        meeting = _create_meeting(facts, users)
    _attach_documents(meeting)
    _prepare_assessment(meeting, facts)
    chair = _chair_email(facts)
    secretariat = next(p for p in facts["participants"] if p["group"] == "secretariat")
    delegate = next(p for p in facts["participants"] if p["group"] == "excom_member" and p["email"] != chair)
    observer = next(p for p in facts["participants"] if p["group"] == "observer_media")
    accounts = [("chair", users[chair].name, chair),
                ("secretariat", secretariat["name"], secretariat["email"]),
                ("member delegate", delegate["name"], delegate["email"]),
                ("observer (press)", observer["name"], observer["email"])]
    return DemoReport(created, meeting, accounts)
