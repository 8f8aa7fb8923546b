"""/api/v1 meetings, sessions, agenda items, participants, attendance and quorum.

Each handler loads (or 404s), asks the policy, calls one operation and lets its schema
dump the answer; the request boundary commits.
"""
from flask_smorest import Blueprint

from governance import policy
from governance.audit.models import AuditEvent
from governance.audit.schemas import AuditEventOut
from governance.auth.loading import signed_in_user
from governance.errors import forbidden, not_found
from governance.extensions import db
from governance.lookup import get_or_404, require_chair, require_secretariat, visible_item, visible_meeting
from governance.meetings import operations, queries
from governance.meetings.models import Meeting, MeetingSession, Participant
from governance.meetings.schemas import (AttendanceIn, AttendanceOut, ItemIn, ItemOut, ItemPatch, MeetingBrief,
                                         MeetingIn, MeetingOut, MeetingPatch, ParticipantIn, ParticipantOut,
                                         ParticipantPatch, QuorumOut, SessionIn, SessionOut, meeting_view)

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
    return meeting_view(operations.create_meeting(actor=user, **args), user)


@blp.route("/meetings/<int:meeting_id>")
@blp.response(200, MeetingOut)
def get_meeting(meeting_id):
    meeting, user = visible_meeting(meeting_id)
    return meeting_view(meeting, user)


@blp.route("/meetings/<int:meeting_id>", methods=["PATCH"])
@blp.arguments(MeetingPatch)
@blp.response(200, MeetingOut)
def update_meeting(changes, meeting_id):
    meeting, user = visible_meeting(meeting_id)
    require_secretariat(user)
    return meeting_view(operations.update_meeting(meeting, changes, actor=user), user)


@blp.route("/meetings/<int:meeting_id>/adjourn", methods=["POST"])
@blp.response(200, MeetingOut)
def adjourn(meeting_id):
    meeting, user = visible_meeting(meeting_id)
    require_chair(user, meeting)
    return meeting_view(operations.adjourn(meeting, actor=user), user)


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


@blp.route("/sessions/<int:session_id>/items", methods=["POST"])
@blp.arguments(ItemIn)
@blp.response(201, ItemOut)
def create_item(args, session_id):
    user = signed_in_user()
    session = db.session.get(MeetingSession, session_id)
    if session is None or not policy.can_see_session(user, session):
        raise not_found("session")
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


@blp.route("/items/<int:item_id>/activate", methods=["POST"])
@blp.response(200, ItemOut)
def activate_item(item_id):
    item, user = visible_item(item_id)
    require_chair(user, item.meeting)
    return operations.activate_item(item, actor=user)


def _participant_view(participant: Participant, stays: dict) -> dict:
    user, stay = participant.user, stays.get(participant.user_id)
    return {"id": participant.id, "meeting_id": participant.meeting_id, "user_id": user.id, "name": user.name,
            "title": user.title, "affiliation": user.member.name if user.member else user.affiliation,
            "member_id": user.member_id, "group": participant.group, "chair": participant.chair,
            "excused": participant.excused, "present": stay is not None, "mode": stay.mode if stay else None}


@blp.route("/meetings/<int:meeting_id>/participants")
@blp.response(200, ParticipantOut(many=True))
def list_participants(meeting_id):
    meeting, _ = visible_meeting(meeting_id)
    stays = queries.open_stays(meeting)
    return [_participant_view(p, stays) for p in sorted(meeting.participants, key=lambda p: p.id)]


@blp.route("/meetings/<int:meeting_id>/participants", methods=["POST"])
@blp.arguments(ParticipantIn)
@blp.response(201, ParticipantOut)
def add_participant(args, meeting_id):
    meeting, user = visible_meeting(meeting_id)
    require_secretariat(user)
    participant = operations.add_participant(meeting, actor=user, **args)
    return _participant_view(participant, {})


@blp.route("/participants/<int:participant_id>", methods=["PATCH"])
@blp.arguments(ParticipantPatch)
@blp.response(200, ParticipantOut)
def update_participant(changes, participant_id):
    participant = get_or_404(Participant, participant_id, "participant")
    meeting, user = visible_meeting(participant.meeting_id)
    require_secretariat(user)
    operations.update_participant(participant, changes, actor=user)
    return _participant_view(participant, queries.open_stays(meeting))


@blp.route("/meetings/<int:meeting_id>/attendance", methods=["POST"])
@blp.arguments(AttendanceIn)
@blp.response(200, AttendanceOut)
def record_attendance(args, meeting_id):
    meeting, user = visible_meeting(meeting_id)
    if not policy.can_record_attendance(user, meeting, args["user_id"]):
        raise forbidden("Only the check-in desk, the chair or the person themself records attendance.")
    return operations.record_attendance(meeting, actor=user, **args)


@blp.route("/meetings/<int:meeting_id>/quorum")
@blp.response(200, QuorumOut)
def get_quorum(meeting_id):
    meeting, _ = visible_meeting(meeting_id)
    return queries.meeting_quorum(meeting).as_dict()


@blp.route("/meetings/<int:meeting_id>/audit")
@blp.response(200, AuditEventOut(many=True))
def meeting_audit(meeting_id):
    meeting, user = visible_meeting(meeting_id)
    require_secretariat(user, "read the audit trail")
    return db.session.scalars(db.select(AuditEvent).where(AuditEvent.meeting_id == meeting.id)
                              .order_by(AuditEvent.seq)).all()
