"""Recording withheld changes, reading the value a reader may see, publishing a meeting."""
from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import delete, select
from sqlalchemy.engine import CursorResult

from governance import policy
from governance.audit.operations import record
from governance.dbtypes import utcnow
from governance.extensions import db
from governance.meetings.models import Meeting
from governance.publication.models import Publication, WithheldChange

# The effects a decision can have that outsiders read somewhere, each with where they read it:
# a new kind of effect adds its name here, calls `withhold` before it changes the thing, and
# its readers ask `shown`. Values are JSON (a logo: its mimetype, the bytes beside it).
EFFECTS = {
    "meeting.next_host": "GET /meetings/{id} next_host_id, the meeting page",
    "meeting.agenda_locked": "GET /meetings/{id} agenda_locked, the meeting page",
    "member.status": "GET /members, GET /members/{id} status",
    "organisation.logo": "GET /organisation/logo, GET /organisation has_logo, the pages' header",
}


def withhold(kind: str, subject_id: int, *, meeting: Meeting, closed: bool, motion_id: int | None,
             before, before_data: bytes | None = None) -> None:
    """Called by an adoption just before it changes `kind` of `subject_id`. `closed`: taken in a
    closed session (then the change is withheld, `before` being what outsiders keep seeing);
    otherwise the change is public and supersedes what was withheld about the same thing."""
    if kind not in EFFECTS:
        raise ValueError(f"unknown effect {kind!r}: name it in governance.publication.EFFECTS")
    if not closed:
        superseded(kind, subject_id)
        return
    db.session.add(WithheldChange(meeting_id=meeting.id, motion_id=motion_id, kind=kind, subject_id=subject_id,
                                  public_value={"value": before}, public_data=before_data))
    db.session.flush()


def superseded(kind: str, subject_id: int) -> None:
    """A public change of the thing (the secretariat's edit, an open-session decision): the
    value everyone sees is the current one again."""
    db.session.execute(delete(WithheldChange).where(WithheldChange.kind == kind,
                                                    WithheldChange.subject_id == subject_id))


def _withheld(kind: str, subject_ids=None) -> dict[int, list[WithheldChange]]:
    query = select(WithheldChange).where(WithheldChange.kind == kind).order_by(WithheldChange.id)
    if subject_ids is not None:
        query = query.where(WithheldChange.subject_id.in_(list(subject_ids)))
    found: dict[int, list[WithheldChange]] = {}
    for change in db.session.scalars(query):
        found.setdefault(change.subject_id, []).append(change)
    return found


def _for_reader(user, changes: list[WithheldChange]) -> WithheldChange | None:
    """The earliest change this reader may not know of, or None (they see the current value)."""
    for change in changes:
        meeting = db.session.get(Meeting, change.meeting_id)
        if meeting is None or not policy.can_see_closed_session(user, meeting):
            return change
    return None


def shown(user, kind: str, subject_id: int, current):
    """The value of `kind` of `subject_id` as `user` (None: anonymous) may see it: `current`,
    or the value before a closed-session change not yet published."""
    change = _for_reader(user, _withheld(kind, [subject_id]).get(subject_id, []))
    return current if change is None else _value_before(change)


def _value_before(change: WithheldChange) -> Any:
    assert change.public_value is not None  # withhold() writes it with every change
    return change.public_value["value"]


def shown_data(user, kind: str, subject_id: int) -> tuple[bool, Any, bytes | None]:
    """(withheld?, public value, public bytes) for a value kept with bytes (the logo)."""
    change = _for_reader(user, _withheld(kind, [subject_id]).get(subject_id, []))
    if change is None:
        return False, None, None
    return True, _value_before(change), change.public_data


def shown_many(user, kind: str, currents: Mapping[int, object]) -> dict[int, object]:
    """`shown` for many subjects at once (a list): {subject id: value seen}."""
    withheld = _withheld(kind)
    seen = dict(currents)
    for subject_id, changes in withheld.items():
        if subject_id in seen:
            change = _for_reader(user, changes)
            if change is not None:
                seen[subject_id] = _value_before(change)
    return seen


def meetings_withholding(kind: str) -> list[Meeting]:
    """The meetings with a closed-session change of `kind` not yet published, oldest first."""
    ids = select(WithheldChange.meeting_id).where(WithheldChange.kind == kind)
    return list(db.session.scalars(select(Meeting).where(Meeting.id.in_(ids)).order_by(Meeting.starts_at,
                                                                                       Meeting.id)))


def published_at(meeting_id: int):
    """When the meeting's closed-session decisions were last published (None: never): every
    decision taken until then is public."""
    return db.session.scalar(select(Publication.published_at).where(Publication.meeting_id == meeting_id))


def publish(meeting: Meeting, *, actor) -> tuple[Publication, int]:
    """Publish every closed-session decision of the meeting taken until now: their effects
    become what everyone sees. Idempotent: publishing again with nothing new changes nothing
    and records nothing. Returns (the publication, how many withheld changes it released)."""
    publication = db.session.get(Publication, meeting.id)
    released = cast(CursorResult, db.session.execute(  # a DELETE answers a cursor result
        delete(WithheldChange).where(WithheldChange.meeting_id == meeting.id))).rowcount
    if publication is not None and not released and not _decided_since(meeting, publication.published_at):
        return publication, 0
    if publication is None:
        publication = Publication(meeting_id=meeting.id)
        db.session.add(publication)
    publication.published_at, publication.published_by_id = utcnow(), getattr(actor, "id", None)
    db.session.flush()
    record("meeting.decisions_published", actor=actor, meeting=meeting, subject=meeting,
           after={"published_at": publication.published_at.isoformat(), "changes_released": released})
    from governance.realtime import announce
    announce("meeting.published", {"meeting_id": meeting.id}, meeting_id=meeting.id, audience="open")
    return publication, released


def _decided_since(meeting: Meeting, moment) -> bool:
    # motions sit above the core: imported here only, when publishing
    from motions.models import Motion
    return db.session.scalar(select(Motion.id).where(Motion.meeting_id == meeting.id, Motion.decided_at > moment)
                             .limit(1)) is not None
