"""Every change to the speakers' list: request the floor, start, stop, withdraw, mark a question
answered. Each flushes, appends its audit event and queues `speakers.changed` for those who may
see the item (a closed-session list is heard by the members only); the boundary commits."""
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from governance import policy
from governance.audit.operations import record
from governance.auth.models import User
from governance.dbtypes import utcnow
from governance.errors import ApiError, conflict, invalid
from governance.extensions import db
from governance.meetings import queries
from governance.meetings.models import AgendaItem
from governance.realtime import announce
from governance.speakers import queue
from governance.speakers.models import Speaker

_REFUSALS = {
    "already_waiting": "You are already on the list for this item; wait for your turn or withdraw.",
    "too_many_questions": f"You already have {queue.MAX_WAITING_QUESTIONS} questions waiting on this item.",
}


def entries(item: AgendaItem) -> list[Speaker]:
    return list(db.session.scalars(select(Speaker).where(Speaker.item_id == item.id)))


def _entry(speaker: Speaker) -> queue.Entry:
    return queue.Entry(speaker.id, speaker.user_id, speaker.kind, speaker.status, speaker.requested_at,
                       speaker.started_at)


def ordered(rows: list[Speaker], order) -> list[Speaker]:
    """`rows` in the order a pure rule of governance.speakers.queue gives."""
    by_id = {row.id: row for row in rows}
    return [by_id[entry.id] for entry in order([_entry(row) for row in rows])]


def list_view(item: AgendaItem) -> list[Speaker]:
    return ordered(entries(item), queue.list_order)


def _check_open(item: AgendaItem) -> None:
    if item.meeting.adjourned_at is not None:
        raise conflict("adjourned", "The meeting is adjourned.")


def _snapshot(speaker: Speaker) -> dict:
    return {"item_id": speaker.item_id, "user_id": speaker.user_id, "kind": speaker.kind, "mode": speaker.mode,
            "status": speaker.status, "text": speaker.text}


def _flush_or_conflict() -> None:
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # two chairs starting two speakers at the same instant: one wins
        raise conflict("someone_speaking", "Someone was given the floor a moment ago; reload the list.") from None


def request_floor(item: AgendaItem, *, actor: User, person: User, kind: str, mode: str | None,
                  text: str) -> Speaker:
    """Put `person` on the item's list (themself, or the chair/secretariat for them).

    422 when the person does not take part or may not see the item, or a question has no text;
    403 when someone who is not a member raises a point of order; 409 already_waiting /
    too_many_questions (governance.speakers.queue.refusal), 409 adjourned."""
    _check_open(item)
    meeting = item.meeting
    if person.id != actor.id and (policy.participation(person, meeting) is None
                                  or not policy.can_see_item(person, item)):
        raise invalid({"user_id": ["This person does not take part in this part of the meeting."]})
    if kind == "point_of_order" and not policy.may_raise_point_of_order(person, meeting):
        raise ApiError(403, "forbidden", "Points of order are raised by the members of the committee.")
    text = (text or "").strip()
    if kind == "question" and not text:
        raise invalid({"text": ["Write the question."]})
    reason = queue.refusal([_entry(row) for row in entries(item)], person.id, kind)
    if reason:
        raise conflict(reason, _REFUSALS[reason])
    if mode is None:
        stay = queries.open_stay(meeting, person.id)
        mode = stay.mode if stay is not None else "in_person"
    speaker = Speaker(meeting_id=meeting.id, item_id=item.id, user_id=person.id, kind=kind, mode=mode, text=text,
                      status="waiting", requested_at=utcnow(), added_by_id=actor.id)
    db.session.add(speaker)
    db.session.flush()
    record("speaker.requested", actor=actor, meeting=meeting, subject=speaker, after=_snapshot(speaker))
    announce_list(item)
    return speaker


def _end(speaker: Speaker, now) -> None:
    speaker.status = "done"
    speaker.ended_at = now


def start(speaker: Speaker, *, actor: User) -> Speaker:
    """Give the floor to a waiting speaker of the current item; whoever speaks in the meeting ends.

    409 not_waiting, not_current_item, adjourned, someone_speaking (a simultaneous start)."""
    item = speaker.item
    _check_open(item)
    if speaker.status != "waiting":
        raise conflict("not_waiting", "Only a waiting speaker can be given the floor.")
    if item.meeting.current_item_id != item.id:
        raise conflict("not_current_item", "Make this item the current one before giving the floor on it.")
    now = utcnow()
    ended = db.session.scalars(select(Speaker).where(Speaker.meeting_id == speaker.meeting_id,
                                                     Speaker.status == "speaking")).all()
    for other in ended:
        _end(other, now)
    _flush_or_conflict()
    speaker.status, speaker.started_at = "speaking", now
    _flush_or_conflict()
    for other in ended:
        record("speaker.stopped", actor=actor, meeting=item.meeting, subject=other,
               after={"status": "done", "ended_at": now.isoformat(), "because": f"speaker {speaker.id} started"})
    record("speaker.started", actor=actor, meeting=item.meeting, subject=speaker,
           after={"status": "speaking", "started_at": now.isoformat(), "user_id": speaker.user_id})
    for other_item in {other.item for other in ended if other.item_id != item.id}:
        announce_list(other_item)
    announce_list(item)
    return speaker


def stop(speaker: Speaker, *, actor: User) -> Speaker:
    """End the speaker's time on the floor. 409 not_speaking."""
    if speaker.status != "speaking":
        raise conflict("not_speaking", "This person does not have the floor.")
    now = utcnow()
    _end(speaker, now)
    db.session.flush()
    record("speaker.stopped", actor=actor, meeting=speaker.item.meeting, subject=speaker,
           after={"status": "done", "ended_at": now.isoformat()})
    announce_list(speaker.item)
    return speaker


def withdraw(speaker: Speaker, *, actor: User) -> Speaker:
    """Take a request back (a waiting one is withdrawn; one speaking ends). 409 already_finished."""
    if speaker.status not in ("waiting", "speaking"):
        raise conflict("already_finished", "This request is no longer on the list.")
    before = speaker.status
    if speaker.status == "speaking":
        _end(speaker, utcnow())
    else:
        speaker.status, speaker.ended_at = "withdrawn", utcnow()
    db.session.flush()
    record("speaker.withdrawn", actor=actor, meeting=speaker.item.meeting, subject=speaker,
           before={"status": before}, after={"status": speaker.status})
    announce_list(speaker.item)
    return speaker


def mark_answered(speaker: Speaker, *, actor: User) -> Speaker:
    """A written question was answered: it leaves the queue as done. 409 not_a_question, already_answered."""
    if speaker.kind != "question":
        raise conflict("not_a_question", "Only a written question can be marked answered.")
    if speaker.answered_at is not None or speaker.status == "withdrawn":
        raise conflict("already_answered", "This question is already answered or withdrawn.")
    now = utcnow()
    before = speaker.status
    speaker.answered_at = now
    if speaker.status in ("waiting", "speaking"):
        _end(speaker, now)
    db.session.flush()
    record("speaker.answered", actor=actor, meeting=speaker.item.meeting, subject=speaker,
           before={"status": before}, after={"status": speaker.status, "answered_at": now.isoformat()})
    announce_list(speaker.item)
    return speaker


def list_payload(item: AgendaItem) -> dict:
    """`speakers.changed`: the queue in order, who speaks now, the speaking time and the server's
    clock (so that a projector whose clock is off still shows the right time on the floor)."""
    from governance.speakers.schemas import SpeakerOut
    rows = entries(item)
    speaking = next((row for row in rows if row.status == "speaking"), None)
    schema = SpeakerOut()
    return {"item_id": item.id, "queue": [schema.dump(row) for row in ordered(rows, queue.queue_order)],
            "current": schema.dump(speaking) if speaking is not None else None,
            "speaking_time": item.meeting.speaking_time, "server_time": utcnow().isoformat()}


def announce_list(item: AgendaItem) -> None:
    announce("speakers.changed", list_payload(item), meeting_id=item.meeting.id,
             audience="closed" if item.closed else "open")
