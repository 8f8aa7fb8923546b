"""Corrections of a meeting's set-up: sessions edited, sessions, items, participants and whole
meetings deleted, each while nothing depends on it (governance.meetings.dependents: 409
`in_use` naming what does). Each flushes and appends its audit event; the boundary commits.
"""
from sqlalchemy import select

from governance.audit.operations import record
from governance.auth.models import User
from governance.errors import conflict, invalid
from governance.extensions import db
from governance.meetings.dependents import named, refuse_if_depended_on, what_depends_on
from governance.meetings.models import AgendaItem, Attendance, Group, Meeting, MeetingSession, Participant
from governance.meetings.operations import _announce_quorum, _check_agenda_open
from governance.realtime import rights_changed

_SESSION_FIELDS = ("title", "kind", "position", "venue", "starts_at", "ends_at")


def _session_snapshot(session: MeetingSession) -> dict:
    return {name: (value.isoformat() if hasattr(value, "isoformat") else value)
            for name in _SESSION_FIELDS for value in [getattr(session, name)]}


def update_session(session: MeetingSession, changes: dict, *, actor: User) -> MeetingSession:
    """Title, times, venue, order; its kind (open or closed) only before the meeting is called to
    order and while nothing recorded under its items would change who may read it."""
    if "kind" in changes and changes["kind"] != session.kind:
        if session.meeting.opened_at is not None:
            raise conflict("meeting_started", "The meeting was called to order: a session can no longer change "
                                              "between open and closed.")
        recorded = [found for item in session.items for found in what_depends_on("item", item)]
        if recorded:
            raise conflict("in_use", "A session cannot change between open and closed while its items hold "
                                     f"{'; '.join(recorded)}: they would reach other people.")
    starts, ends = changes.get("starts_at", session.starts_at), changes.get("ends_at", session.ends_at)
    if starts and ends and ends < starts:
        raise invalid({"ends_at": ["A session cannot end before it starts."]})
    before = _session_snapshot(session)
    for name, value in changes.items():
        setattr(session, name, value)
    db.session.flush()
    after = _session_snapshot(session)
    changed = [name for name in _SESSION_FIELDS if before[name] != after[name]]
    if changed:
        record("session.updated", actor=actor, meeting=session.meeting, subject=session,
               before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return session


def delete_session(session: MeetingSession, *, actor: User) -> None:
    refuse_if_depended_on("session", session, f"The session “{session.title}”")
    meeting = session.meeting
    record("session.deleted", actor=actor, meeting=meeting, subject=session, before=_session_snapshot(session))
    meeting.sessions.remove(session)
    db.session.flush()


def delete_item(item: AgendaItem, *, actor: User) -> None:
    _check_agenda_open(item.meeting)
    refuse_if_depended_on("item", item, f"The item “{item.title}”")
    meeting = item.meeting
    record("item.deleted", actor=actor, meeting=meeting, subject=item,
           before={"number": item.number, "title": item.title, "kind": item.kind, "session_id": item.session_id})
    item.session.items.remove(item)
    db.session.flush()


def delete_participant(participant: Participant, *, actor: User) -> None:
    refuse_if_depended_on("participant", participant, f"{participant.user.name}'s participation")
    meeting = participant.meeting
    record("participant.deleted", actor=actor, meeting=meeting, subject=participant,
           before={"user_id": participant.user_id, "group": participant.group, "chair": participant.chair,
                   "excused": participant.excused})
    user_id, group = participant.user_id, participant.group
    meeting.participants.remove(participant)
    db.session.flush()
    rights_changed({user_id})
    if group == Group.EXCOM_MEMBER:
        _announce_quorum(meeting)


def delete_meeting(meeting: Meeting, *, actor: User) -> None:
    """Only while nothing has happened in it: not called to order, nobody checked in, no poll,
    no notes, no memorandum; the prepared sessions, agenda, participants and motions go with it."""
    refuse_if_depended_on("meeting", meeting, f"The meeting “{meeting.title}”")
    record("meeting.deleted", actor=actor, meeting=meeting, subject=meeting,
           before={"title": meeting.title, "reference": meeting.reference, "venue": meeting.venue,
                   "starts_at": meeting.starts_at.isoformat(), "sessions": len(meeting.sessions),
                   "participants": len(meeting.participants)})
    db.session.delete(meeting)
    db.session.flush()


# --- what governance itself knows depends on a thing (connected in governance.meetings.init_app) ---

def items_of(session: MeetingSession) -> list[str]:
    return named(("agenda item", "agenda items"), [item.title for item in session.items])


def being_current(item: AgendaItem) -> list[str]:
    return ["being the current item"] if item.meeting.current_item_id == item.id else []


def stays_of(participant: Participant) -> list[str]:
    stays = db.session.scalars(select(Attendance.checked_in_at).where(
        Attendance.meeting_id == participant.meeting_id, Attendance.user_id == participant.user_id)).all()
    return named(("check-in", "check-ins"), [participant.meeting.local(t).strftime("%d %b %H:%M") for t in stays])


def what_happened(meeting: Meeting) -> list[str]:
    found = []
    if meeting.opened_at is not None:
        found.append("its call to order")
    stays = db.session.scalar(select(db.func.count()).select_from(Attendance)
                              .where(Attendance.meeting_id == meeting.id))
    if stays:
        found.append(f"{stays} check-in(s)")
    return found


# documents and speakers' lists (governance.documents, governance.speakers): the database would
# take them along with their item, so a deletion asks first
def documents_and_speakers(item: AgendaItem) -> list[str]:
    from governance.speakers.models import Speaker
    speakers = db.session.scalar(select(db.func.count()).select_from(Speaker).where(Speaker.item_id == item.id))
    return (named(("document", "documents"), [document.title for document in item.documents])
            + ([f"{speakers} request(s) to speak"] if speakers else []))


def requests_to_speak(participant: Participant) -> list[str]:
    from governance.speakers.models import Speaker
    count = db.session.scalar(select(db.func.count()).select_from(Speaker).where(
        Speaker.meeting_id == participant.meeting_id, Speaker.user_id == participant.user_id))
    return [f"{count} request(s) to speak"] if count else []


def documents_and_speakers_of(meeting: Meeting) -> list[str]:
    from governance.speakers.models import Speaker
    documents = [document.title for item in meeting.agenda() for document in item.documents]
    speakers = db.session.scalar(select(db.func.count()).select_from(Speaker).where(Speaker.meeting_id == meeting.id))
    return (named(("document", "documents"), documents) + ([f"{speakers} request(s) to speak"] if speakers else []))
