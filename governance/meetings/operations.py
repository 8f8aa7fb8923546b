"""Every change to a meeting: set-up, agenda, participants, attendance, the current item.

Each operation flushes, appends its audit event and queues its broadcast; the request
(or socket event) boundary commits once, and only then do the broadcasts go out.
"""
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from governance import policy
from governance.audit.operations import record
from governance.auth.models import User
from governance.dbtypes import utcnow
from governance.errors import conflict, invalid
from governance.extensions import db
from governance.meetings import queries
from governance.meetings.models import AgendaItem, Attendance, Group, Meeting, MeetingSession, Participant
from governance.meetings.schemas import ItemOut, QuorumOut
from governance.meetings.signals import poll_under_way_asked
from governance.quorum import Quorum
from governance.realtime import announce, rights_changed
from governance.registry.models import Organisation
from governance.signals import answers


def _meeting_snapshot(meeting: Meeting) -> dict:
    return {"title": meeting.title, "reference": meeting.reference, "kind": meeting.kind, "venue": meeting.venue,
            "timezone": meeting.timezone, "starts_at": meeting.starts_at.isoformat(),
            "quorum_rule": meeting.quorum_rule, "quorum_count": meeting.quorum_count,
            "speaking_time": meeting.speaking_time}


def _apply_meeting_fields(meeting: Meeting, fields: dict) -> None:
    fields = dict(fields)
    if "quorum" in fields:
        rule = fields.pop("quorum")
        meeting.quorum_rule, meeting.quorum_count = rule["rule"], rule.get("count")
    for name, value in fields.items():
        setattr(meeting, name, value)


def create_meeting(*, actor: User | None, **fields) -> Meeting:
    if not fields.get("timezone"):
        fields["timezone"] = Organisation.current().timezone or "UTC"
    meeting = Meeting()
    _apply_meeting_fields(meeting, fields)
    if not meeting.reference:
        meeting.reference = f"EXCOM {meeting.starts_at.year}"
    db.session.add(meeting)
    db.session.flush()
    record("meeting.created", actor=actor, meeting=meeting, subject=meeting, after=_meeting_snapshot(meeting))
    return meeting


def update_meeting(meeting: Meeting, changes: dict, *, actor: User) -> Meeting:
    before = _meeting_snapshot(meeting)
    _apply_meeting_fields(meeting, changes)
    db.session.flush()
    record("meeting.updated", actor=actor, meeting=meeting, subject=meeting, before=before,
           after=_meeting_snapshot(meeting))
    if before["quorum_rule"] != meeting.quorum_rule or before["quorum_count"] != meeting.quorum_count:
        _announce_quorum(meeting)
    return meeting


def _next_position(column, *where) -> int:
    return (db.session.scalar(select(func.max(column)).where(*where)) or 0) + 1


def add_session(meeting: Meeting, *, actor: User | None, **fields) -> MeetingSession:
    if "position" not in fields:
        fields["position"] = _next_position(MeetingSession.position, MeetingSession.meeting_id == meeting.id)
    session = MeetingSession(meeting=meeting, **fields)
    db.session.add(session)
    db.session.flush()
    record("session.created", actor=actor, meeting=meeting, subject=session,
           after={"title": session.title, "kind": session.kind, "position": session.position})
    return session


def _check_agenda_open(meeting: Meeting) -> None:
    if meeting.agenda_locked:
        raise conflict("agenda_locked", "The agenda was adopted; it can no longer be changed.")


def add_item(session: MeetingSession, *, actor: User | None, **fields) -> AgendaItem:
    _check_agenda_open(session.meeting)
    if "position" not in fields:
        fields["position"] = _next_position(AgendaItem.position, AgendaItem.session_id == session.id)
    item = AgendaItem(session=session, **fields)
    db.session.add(item)
    db.session.flush()
    record("item.created", actor=actor, meeting=session.meeting, subject=item,
           after={"number": item.number, "title": item.title, "kind": item.kind, "position": item.position,
                  "session_id": session.id})
    return item


def update_item(item: AgendaItem, changes: dict, *, actor: User) -> AgendaItem:
    _check_agenda_open(item.meeting)
    before = {name: getattr(item, name) for name in changes}
    for name, value in changes.items():
        setattr(item, name, value)
    db.session.flush()
    record("item.updated", actor=actor, meeting=item.meeting, subject=item, before=before, after=dict(changes))
    _announce_item_if_current(item)
    return item


def poll_under_way(meeting: Meeting) -> int | None:
    """The id of the poll open in this meeting, if any (at most one: a unique index). Voting
    answers (voting.init_app): governance may not read its tables (DESIGN.md's layout)."""
    return next((poll_id for poll_id in answers(poll_under_way_asked, meeting) if poll_id is not None), None)


def lock_meeting(meeting: Meeting) -> Meeting:
    """Serialise the meeting's procedural changes (current item, poll opening, adjournment):
    on PostgreSQL the row is locked until the commit, so an adjournment and a poll opening
    sent at the same moment see each other; SQLite's single writer does this already."""
    db.session.get(Meeting, meeting.id, with_for_update=True, populate_existing=True)
    return meeting


def _refuse_while_voting(meeting: Meeting, what: str) -> None:
    if poll_under_way(meeting) is not None:
        raise conflict("poll_open", f"A vote is under way; close the poll before {what}.")


def activate_item(item: AgendaItem, *, actor: User) -> AgendaItem:
    """Make `item` the current one. Refused once the meeting is adjourned (409 adjourned) and
    while a poll is open (409 poll_open): the phones show the current item above the ballot,
    and a ballot under another item's title misleads the voter. Making the current item
    current again changes nothing and is allowed."""
    meeting = lock_meeting(item.meeting)
    if meeting.adjourned_at is not None:
        raise conflict("adjourned", "The meeting is adjourned; its agenda can no longer be taken up.")
    if meeting.current_item_id != item.id:
        _refuse_while_voting(meeting, "taking up another item")
    before = meeting.current_item_id
    meeting.current_item = item
    if meeting.opened_at is None:
        meeting.opened_at = utcnow()
    db.session.flush()
    record("item.activated", actor=actor, meeting=meeting, subject=item, before={"current_item_id": before},
           after={"current_item_id": item.id})
    _announce_item_if_current(item)
    return item


def _announce_item_if_current(item: AgendaItem) -> None:
    meeting = item.meeting
    if meeting.current_item_id != item.id:
        return
    payload = {"meeting_id": meeting.id, "item": ItemOut().dump(item)}
    if item.closed:
        # Observers learn only that there is no item they may see, never its title.
        announce("agenda.current", payload, meeting_id=meeting.id, audience="closed")
        announce("agenda.current", {"meeting_id": meeting.id, "item": None}, meeting_id=meeting.id,
                 audience="observers")
    else:
        announce("agenda.current", payload, meeting_id=meeting.id, audience="open")


def adjourn(meeting: Meeting, *, actor: User) -> Meeting:
    """Close the meeting. Adjournment cannot interrupt a vote (Robert's Rules: a motion to
    adjourn is not in order while a vote is being taken): 409 poll_open until the chair
    closes the poll, so no vote is taken and no resolution numbered after the meeting ended."""
    lock_meeting(meeting)
    if meeting.adjourned_at is not None:
        raise conflict("adjourned", "The meeting is already adjourned.")
    _refuse_while_voting(meeting, "adjourning")
    meeting.adjourned_at = utcnow()
    meeting.current_item = None
    db.session.flush()
    record("meeting.adjourned", actor=actor, meeting=meeting, subject=meeting,
           after={"adjourned_at": meeting.adjourned_at.isoformat()})
    announce("meeting.adjourned", {"meeting_id": meeting.id, "adjourned_at": meeting.adjourned_at.isoformat()},
             meeting_id=meeting.id, audience="open")
    return meeting


# --- participants -------------------------------------------------------------------------

def _check_group(user: User, group: str) -> None:
    if group == Group.EXCOM_MEMBER and (user.member is None or not user.member.excom):
        raise invalid({"group": ["Only a delegate of an EXCOM member can take part as excom_member."]})
    if group == "secretariat" and not user.is_secretariat:
        raise invalid({"group": ["Only secretariat staff can take part as secretariat."]})


def _one_chair(meeting: Meeting, chair: Participant) -> None:
    """A meeting has one chair: naming a new one relieves the previous one."""
    for other in meeting.participants:
        if other is not chair and other.chair:
            other.chair = False


def add_participant(meeting: Meeting, *, actor: User | None, user_id: int, group: str, chair: bool = False,
                    excused: bool = False) -> Participant:
    user = db.session.get(User, user_id)
    if user is None:
        raise invalid({"user_id": ["No user has this id."]})
    _check_group(user, group)
    already = conflict("already_participant", f"{user.name} already takes part in this meeting.")
    if policy.participation(user, meeting) is not None:
        raise already
    participant = Participant(meeting=meeting, user=user, group=group, chair=chair, excused=excused)
    db.session.add(participant)
    if chair:
        _one_chair(meeting, participant)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # the same person added from two desks at once
        raise already from None
    record("participant.added", actor=actor, meeting=meeting, subject=participant,
           after={"user_id": user.id, "group": group, "chair": chair, "excused": excused})
    if group == Group.EXCOM_MEMBER and _counts_at_once(meeting, user, participant):
        _announce_quorum(meeting)
    return participant


def _counts_at_once(meeting: Meeting, user: User, participant: Participant) -> bool:
    """Whether a new EXCOM delegate moves the quorum as they join: only when already checked
    in (nobody else counts towards quorum) and the first of a voting member's delegates present.
    Someone not yet checked in changes nothing to announce: the assembly is not counted again
    for each delegate the desk registers."""
    return (participant.open_stay is not None and user.member_id is not None
            and queries.rests_on(meeting, user.member_id, user.id))


def update_participant(participant: Participant, changes: dict, *, actor: User) -> Participant:
    if "group" in changes:
        _check_group(participant.user, changes["group"])
    before = {name: getattr(participant, name) for name in changes}
    for name, value in changes.items():
        setattr(participant, name, value)
    if changes.get("chair"):
        _one_chair(participant.meeting, participant)
    db.session.flush()
    record("participant.updated", actor=actor, meeting=participant.meeting, subject=participant,
           before=before, after=dict(changes))
    if {"group", "chair"} & set(changes):  # apologies change no rights
        rights_changed({participant.user_id})
    _announce_quorum(participant.meeting)
    return participant


# --- attendance ---------------------------------------------------------------------------

def record_attendance(meeting: Meeting, *, actor: User, user_id: int, mode: str, present: bool) -> dict:
    """Check a person in (in the room or online) or out. Checking in someone already present
    in the same mode changes nothing; in the other mode, it ends one stay and starts another.
    Nobody checks in once the meeting is adjourned (409 adjourned): the memorandum's attendance
    is the sitting's, and a late "I am here" would list someone present at a meeting that had
    ended. Checking out stays possible (it only ends a stay)."""
    person = db.session.get(User, user_id)
    participant = policy.participation(person, meeting)
    if person is None or participant is None:
        raise invalid({"user_id": ["This person does not take part in this meeting."]})
    if present and meeting.adjourned_at is not None:
        raise conflict("adjourned", "The meeting is adjourned; nobody can check in any more.")
    stay = queries.open_stay(meeting, user_id)
    was_present = stay is not None
    now = utcnow()
    changed = False
    if stay is not None and (not present or stay.mode != mode):
        stay.checked_out_at = now
        changed = True
    if present and (stay is None or stay.mode != mode):
        stay = Attendance(meeting_id=meeting.id, user_id=user_id, mode=mode, checked_in_at=now,
                          recorded_by_id=actor.id)
        db.session.add(stay)
        changed = True
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # checked in from two desks at the same instant: the first one counts
        raise conflict("already_present", "This person was checked in a moment ago.") from None
    # both counts at once: the answer and the announcement use them (one query, not three)
    quorum_now, outsiders_quorum = queries.meeting_quorums(meeting)
    state = {"user_id": user_id, "present": present, "mode": mode if present else None,
             "checked_in_at": stay.checked_in_at if stay else None,
             "checked_out_at": stay.checked_out_at if stay and not present else None,
             "quorum": (quorum_now if policy.can_see_closed_session(actor, meeting)
                        else outsiders_quorum)}
    if changed:
        record("attendance.checked_in" if present else "attendance.checked_out", actor=actor, meeting=meeting,
               subject=stay, after={"user_id": user_id, "mode": mode, "present": present})
        announce("attendance.changed", {"user_id": user_id, "present": present, "mode": state["mode"]},
                 meeting_id=meeting.id, audience="open")
        if _moves_quorum(meeting, person, participant, was_present, present):
            _announce_quorum(meeting, (quorum_now, outsiders_quorum))
    return state


def _moves_quorum(meeting: Meeting, person: User, participant: Participant, was_present: bool,
                  present: bool) -> bool:
    """Whether checking `person` in or out changed the quorum (the board is as it was): their
    own presence changed, they count (an EXCOM delegate of a voting member) and no other
    delegate of their member is checked in. Asked of that member's people, not by counting the
    assembly again as it was before the change (which grew with the assembly, once per check-in)."""
    if was_present == present or participant.group != Group.EXCOM_MEMBER or person.member_id is None:
        return False
    return queries.rests_on(meeting, person.member_id, person.id)


def announce_quorum_of_sitting_meetings() -> None:
    """The registry changed who is a voting member: every meeting not yet adjourned hears its
    quorum again (the base is the board, see queries.voting_member_ids)."""
    for meeting in db.session.scalars(select(Meeting).where(Meeting.adjourned_at.is_(None))):
        _announce_quorum(meeting)


# one instance for every announcement (a check-in, each new voting member): making one copies
# every declared field
_QUORUM_OUT = QuorumOut()


def _announce_quorum(meeting: Meeting, quorums: tuple[Quorum, Quorum] | None = None) -> None:
    """The quorum to everyone; while a closed-session decision on a member's status is not
    published, those who may not see the closed session hear it counted on the board as they
    know it (governance.publication). `quorums`: (inside, outside) as queries.meeting_quorums
    gives them, when the caller has just counted them (nothing has changed since)."""
    inside, outside = quorums if quorums is not None else queries.meeting_quorums(meeting)
    if inside == outside:
        announce("quorum.changed", _QUORUM_OUT.dump(inside), meeting_id=meeting.id, audience="open")
        return
    announce("quorum.changed", _QUORUM_OUT.dump(inside), meeting_id=meeting.id, audience="closed")
    announce("quorum.changed", _QUORUM_OUT.dump(outside), meeting_id=meeting.id, audience="observers")



# --- apologies ----------------------------------------------------------------------------

def send_apologies(participant: Participant, *, excused: bool, actor: User) -> Participant:
    """A person's own apologies for a meeting ("excused" in the memorandum rather than "absent"),
    sent from their page before the meeting is called to order; the desk records them any time
    (update_participant)."""
    meeting = participant.meeting
    if meeting.adjourned_at is not None:  # adjourned without an item ever taken up, too
        raise conflict("adjourned", "The meeting is adjourned; tell the secretariat instead.")
    if meeting.opened_at is not None:
        raise conflict("meeting_started", "The meeting was called to order; tell the secretariat instead.")
    if participant.excused != excused:
        participant.excused = excused
        db.session.flush()
        record("participant.apologies", actor=actor, meeting=meeting, subject=participant,
               before={"excused": not excused}, after={"excused": excused, "by": "themself"})
    return participant
