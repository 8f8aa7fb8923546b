"""/api/v1 meetings, sessions, agenda items, participants, attendance and quorum.

Each handler loads (or 404s), asks the policy, calls one operation and lets its schema
dump the answer; the request boundary commits.
"""
from flask_smorest import Page
from sqlalchemy.orm import joinedload, selectinload

from governance import policy
from governance.audit.models import AuditEvent
from governance.audit.schemas import AuditEventOut
from governance.auth import throttle
from governance.auth.loading import signed_in_user
from governance.auth.models import User
from governance.errors import ErrorBody, forbidden
from governance.extensions import Blueprint, db
from governance.lookup import (
    get_or_404,
    require_chair,
    require_secretariat,
    visible_item,
    visible_meeting,
    visible_session,
)
from governance.meetings import copying, corrections, importing, operations, queries
from governance.meetings.models import Meeting, Participant
from governance.meetings.schemas import (
    ApologiesIn,
    AttendanceIn,
    AttendanceOut,
    CopyIn,
    ItemIn,
    ItemOut,
    ItemPatch,
    MeetingBrief,
    MeetingIn,
    MeetingOut,
    MeetingPatch,
    ParticipantIn,
    ParticipantOut,
    ParticipantPatch,
    QuorumOut,
    SessionIn,
    SessionOut,
    SessionPatch,
)
from governance.pagination import MAX_PAGE_SIZE, paginate
from governance.registry.importing import read as read_table
from governance.registry.schemas import ExportQuery, ImportReport, import_report
from governance.uploads import FILE_BODY, TABLE_RESPONSE, table_file, uploaded_file

blp = Blueprint("meetings", __name__, url_prefix="/api/v1",
                description="Meetings, sessions, agenda, participants, attendance and quorum")


@blp.route("/meetings")
@blp.response(200, MeetingBrief(many=True))
def list_meetings():
    user = signed_in_user()
    meetings = db.session.scalars(db.select(Meeting).order_by(Meeting.starts_at.desc())).all()
    return [meeting for meeting in meetings if policy.can_see_meeting(user, meeting)]


@blp.route("/meetings", methods=["POST"])
@blp.arguments(MeetingIn)
@blp.response(201, MeetingOut)
def create_meeting(args):
    user = signed_in_user()
    require_secretariat(user)
    return operations.create_meeting(actor=user, **args)


@blp.route("/meetings/<int:meeting_id>")
@blp.response(200, MeetingOut)
def get_meeting(meeting_id):
    meeting, _ = visible_meeting(meeting_id)
    return meeting


@blp.route("/meetings/<int:meeting_id>", methods=["PATCH"])
@blp.arguments(MeetingPatch)
@blp.response(200, MeetingOut)
def update_meeting(changes, meeting_id):
    meeting, user = visible_meeting(meeting_id)
    require_secretariat(user)
    return operations.update_meeting(meeting, changes, actor=user)


@blp.route("/meetings/<int:meeting_id>", methods=["DELETE"])
@blp.response(204)
def delete_meeting(meeting_id):
    """Only while nothing has happened in it (not called to order, nobody checked in, no poll,
    notes or memorandum: 409 `in_use` says what has); its sessions, agenda, participants and
    prepared motions go with it."""
    meeting, user = visible_meeting(meeting_id)
    require_secretariat(user)
    corrections.delete_meeting(meeting, actor=user)


@blp.route("/meetings/<int:meeting_id>/copy", methods=["POST"])
@blp.arguments(CopyIn)
@blp.response(201, MeetingOut)
def copy_meeting(args, meeting_id):
    """A new meeting from this one: its sessions (moved by as much as the start moves), their
    items and the participants, as asked; nothing of what happened in it."""
    meeting, user = visible_meeting(meeting_id)
    require_secretariat(user)
    return copying.copy_meeting(meeting, actor=user, **args)


@blp.route("/meetings/<int:meeting_id>/adjourn", methods=["POST"])
@blp.response(200, MeetingOut)
def adjourn(meeting_id):
    meeting, user = visible_meeting(meeting_id)
    require_chair(user, meeting)
    return operations.adjourn(meeting, actor=user)


@blp.route("/meetings/<int:meeting_id>/sessions")
@blp.response(200, SessionOut(many=True))
def list_sessions(meeting_id):
    meeting, user = visible_meeting(meeting_id)
    return policy.visible_sessions(user, meeting)


@blp.route("/meetings/<int:meeting_id>/sessions", methods=["POST"])
@blp.arguments(SessionIn)
@blp.response(201, SessionOut)
def create_session(args, meeting_id):
    meeting, user = visible_meeting(meeting_id)
    require_secretariat(user)
    return operations.add_session(meeting, actor=user, **args)


def _session_to_prepare(session_id: int):
    session, user = visible_session(session_id)
    require_secretariat(user)
    return session, user


@blp.route("/sessions/<int:session_id>", methods=["PATCH"])
@blp.arguments(SessionPatch)
@blp.response(200, SessionOut)
def update_session(changes, session_id):
    """Title, times, venue, order; open or closed only before the meeting is called to order and
    while nothing is recorded under its items (409)."""
    session, user = _session_to_prepare(session_id)
    return corrections.update_session(session, changes, actor=user)


@blp.route("/sessions/<int:session_id>", methods=["DELETE"])
@blp.response(204)
def delete_session(session_id):
    """An empty session only (409 `in_use` names its items)."""
    session, user = _session_to_prepare(session_id)
    corrections.delete_session(session, actor=user)


@blp.route("/sessions/<int:session_id>/items", methods=["POST"])
@blp.arguments(ItemIn)
@blp.response(201, ItemOut)
def create_item(args, session_id):
    session, user = visible_session(session_id)
    require_secretariat(user)
    return operations.add_item(session, actor=user, **args)


@blp.route("/items/<int:item_id>")
@blp.response(200, ItemOut)
def get_item(item_id):
    item, _ = visible_item(item_id)
    return item


@blp.route("/items/<int:item_id>", methods=["PATCH"])
@blp.arguments(ItemPatch)
@blp.response(200, ItemOut)
def update_item(changes, item_id):
    item, user = visible_item(item_id)
    require_secretariat(user)
    return operations.update_item(item, changes, actor=user)


@blp.route("/items/<int:item_id>", methods=["DELETE"])
@blp.response(204)
def delete_item(item_id):
    """Before the agenda is adopted, and while nothing depends on the item (409 `in_use` names
    its motions, notes, or that it is the current item)."""
    item, user = visible_item(item_id)
    require_secretariat(user)
    corrections.delete_item(item, actor=user)


@blp.route("/items/<int:item_id>/activate", methods=["POST"])
@blp.response(200, ItemOut)
def activate_item(item_id):
    item, user = visible_item(item_id)
    require_chair(user, item.meeting)
    return operations.activate_item(item, actor=user)


@blp.route("/meetings/<int:meeting_id>/participants")
@blp.response(200, ParticipantOut(many=True))
# a whole assembly by default: the desk and the chair's console read it in one answer
@paginate(blp, Page, page_size=MAX_PAGE_SIZE)
def list_participants(meeting_id):
    meeting, _ = visible_meeting(meeting_id)
    # each with their open stay and their member in the same round trips: a whole assembly at once
    return db.session.scalars(
        db.select(Participant).where(Participant.meeting_id == meeting.id).order_by(Participant.id)
        .options(selectinload(Participant.open_stay), joinedload(Participant.user).joinedload(User.member))).all()


@blp.route("/meetings/<int:meeting_id>/participants", methods=["POST"])
@blp.arguments(ParticipantIn)
@blp.response(201, ParticipantOut)
def add_participant(args, meeting_id):
    meeting, user = visible_meeting(meeting_id)
    require_secretariat(user)
    participant = operations.add_participant(meeting, actor=user, **args)
    return participant


@blp.route("/participants/<int:participant_id>", methods=["PATCH"])
@blp.arguments(ParticipantPatch)
@blp.response(200, ParticipantOut)
def update_participant(changes, participant_id):
    participant = get_or_404(Participant, participant_id, "participant")
    meeting, user = visible_meeting(participant.meeting_id)
    require_secretariat(user)
    operations.update_participant(participant, changes, actor=user)
    return participant


@blp.route("/participants/<int:participant_id>", methods=["DELETE"])
@blp.response(204)
def delete_participant(participant_id):
    """While nothing depends on the participation (409 `in_use` names check-ins, votes cast,
    motions moved or seconded)."""
    participant = get_or_404(Participant, participant_id, "participant")
    _meeting, user = visible_meeting(participant.meeting_id)
    require_secretariat(user)
    corrections.delete_participant(participant, actor=user)


@blp.route("/meetings/<int:meeting_id>/apologies", methods=["POST"])
@blp.arguments(ApologiesIn, required=False)
@blp.response(200, ParticipantOut)
@blp.alt_response(429, schema=ErrorBody, description="one's own apologies changed too often lately "
                                                     "(EXCOM_SELF_CHECKIN_RATE_LIMIT)")
def send_apologies(args, meeting_id):
    """A participant's own apologies ("excused" in the memorandum), before the meeting is called
    to order (409 `meeting_started` after); `{"excused": false}` takes them back."""
    meeting, user = visible_meeting(meeting_id)
    participant = policy.participation(user, meeting)
    if participant is None:
        raise forbidden("Only a participant sends apologies, for themself.")
    throttle.self_apologies(user.id, meeting.id)  # each is an audit row: a few a minute at most
    operations.send_apologies(participant, excused=(args or {}).get("excused", True), actor=user)
    return participant


@blp.route("/meetings/<int:meeting_id>/participants/import/preview", methods=["POST"])
@blp.doc(**FILE_BODY)
@blp.response(200, ImportReport)
def preview_participant_import(meeting_id):
    """What importing this CSV or XLSX list (multipart `file`; columns email, name, member,
    affiliation, title, group, chair, excused) would do, row by row; changes nothing."""
    meeting, user = visible_meeting(meeting_id)
    require_secretariat(user)
    data, _name = uploaded_file()
    return import_report(importing.plan_participants(meeting, read_table(data)))


@blp.route("/meetings/<int:meeting_id>/participants/import", methods=["POST"])
@blp.doc(**FILE_BODY)
@blp.response(200, ImportReport)
def import_participants(meeting_id):
    """Import the list: every row (new accounts without a password, participations, changes) or,
    with 422 `import_invalid` naming each problem as "line.column", none."""
    meeting, user = visible_meeting(meeting_id)
    require_secretariat(user)
    data, _name = uploaded_file()
    return import_report(importing.import_participants(meeting, read_table(data), actor=user))


@blp.route("/meetings/<int:meeting_id>/participants/export")
@blp.arguments(ExportQuery, location="query")
@blp.doc(**TABLE_RESPONSE)
def export_participants(args, meeting_id):
    """The participants as CSV or XLSX (`?format=xlsx`), in the columns the import reads."""
    meeting, user = visible_meeting(meeting_id)
    require_secretariat(user)
    header, rows = importing.export_rows(meeting)
    return table_file(header, rows, name="participants", format=args["format"])


@blp.route("/meetings/<int:meeting_id>/attendance", methods=["POST"])
@blp.arguments(AttendanceIn)
@blp.response(200, AttendanceOut)
@blp.alt_response(429, schema=ErrorBody, description="one's own check-in changed too often lately "
                                                     "(EXCOM_SELF_CHECKIN_RATE_LIMIT)")
def record_attendance(args, meeting_id):
    meeting, user = visible_meeting(meeting_id)
    if not policy.can_record_attendance(user, meeting, args["user_id"]):
        raise forbidden("Only the check-in desk, the chair or the person themself records attendance.")
    if args["user_id"] == user.id:
        # one's own check-in, a few times a minute at most: refused ones are neither recorded nor broadcast
        throttle.self_check_in(user.id, meeting.id)
    return operations.record_attendance(meeting, actor=user, **args)


@blp.route("/meetings/<int:meeting_id>/quorum")
@blp.response(200, QuorumOut)
def get_quorum(meeting_id):
    meeting, user = visible_meeting(meeting_id)
    return queries.meeting_quorum(meeting, outsider=not policy.can_see_closed_session(user, meeting))


@blp.route("/meetings/<int:meeting_id>/audit")
@blp.response(200, AuditEventOut(many=True))
@paginate(blp)
def meeting_audit(meeting_id):
    meeting, user = visible_meeting(meeting_id)
    require_secretariat(user, "read the audit trail")
    return db.select(AuditEvent).where(AuditEvent.meeting_id == meeting.id).order_by(AuditEvent.seq)
