"""The rows the memorandum is built from, compared with the audit trail (`excom audit recount`).

The memorandum prints each item's notes, who spoke, the documents annexed with their SHA-256,
who was present; an archive carries the same rows as JSON. A database writer who edits a note
after its memorandum was distributed, deletes a revision, changes who spoke or which file a
document is, erases a stay in the room, or deletes a built memorandum version, leaves a record
that no longer says what the trail recorded. Each row is compared with the events written with
it (the trail keeps what each row was: a note's text, a document's snapshot, each change of a
speaker, each check-in), and each row the trail recorded must still be there while what held
it (the item, the meeting) is. Rows written before the trail recorded them (none on the
platform) would show as "no event".

Findings name the row and what differs; nothing is repaired. Times are compared as instants.
"""
from datetime import datetime

from sqlalchemy import select

from governance.audit.trail import Finding, Trail
from governance.documents.models import ItemDocument
from governance.extensions import db
from governance.meetings.models import AgendaItem, Attendance, Meeting
from governance.speakers.models import Speaker
from minutes.models import ItemNote, MemorandumVersion

NOTE_ACTIONS = ("item.notes_written",)
DOCUMENT_ACTIONS = ("document.attached", "document.deleted")
SPEAKER_ACTIONS = ("speaker.requested", "speaker.started", "speaker.stopped", "speaker.withdrawn",
                   "speaker.answered")
ATTENDANCE_ACTIONS = ("attendance.checked_in", "attendance.checked_out")
VERSION_ACTIONS = ("memorandum.built",)
MOTION_ACTIONS = ("motion.created", "motion.updated")
ACTIONS = NOTE_ACTIONS + DOCUMENT_ACTIONS + SPEAKER_ACTIONS + ATTENDANCE_ACTIONS + VERSION_ACTIONS + MOTION_ACTIONS

# what a motion says, as the memorandum prints it and motion.created / motion.updated record it
_MOTION_FIELDS = ("kind", "title", "text", "majority", "method", "secret", "member_id", "action")

_SPEAKER_FIELDS = ("item_id", "user_id", "kind", "mode", "status", "text")
_SPEAKER_TIMES = ("started_at", "ended_at", "answered_at")
_DOCUMENT_FIELDS = ("item_id", "title", "filename", "content_type", "size", "sha256")


def examine_record(trail: Trail) -> list[Finding]:
    """Every note revision, document, speaker, stay and memorandum version against the trail."""
    items = set(db.session.scalars(select(AgendaItem.id)))
    meetings = set(db.session.scalars(select(Meeting.id)))
    return (_notes(trail, items) + _documents(trail, items) + _speakers(trail, items)
            + _attendance(trail, meetings) + _versions_gone(trail, meetings) + _motions(trail))


def _motions(trail: Trail) -> list[Finding]:
    """Each motion's wording, majority and kind against its creation and the changes recorded
    since (a title edited in the database would print in the memorandum as if moved so)."""
    from motions.models import Motion
    findings = []
    for motion in db.session.scalars(select(Motion).order_by(Motion.id)):
        events = trail.about("Motion", motion.id, *MOTION_ACTIONS)
        if not events:
            findings.append(Finding(f"motion {motion.id} ({motion.title})",
                                    "the audit trail records no creation of it"))
            continue
        state: dict = {}
        for event in events:
            state.update(event["after"] or {})
        differ = [name for name in _MOTION_FIELDS if name in state and state[name] != getattr(motion, name)]
        if differ:
            findings.append(Finding(f"motion {motion.id} ({motion.title})",
                                    f"its {', '.join(differ)} differ from what the audit trail recorded "
                                    f"(events {', '.join(str(e['seq']) for e in events)})"))
    return findings


def _recorded_but_gone(trail: Trail, actions: tuple[str, ...], subject_type: str, present: set[int],
                       holder: str, holders: set[int], name) -> list[Finding]:
    """Rows the trail recorded whose holder (item or meeting) is still there, but they are not."""
    findings, seen = [], set()
    for event in trail.of_action(*actions):
        if event["subject_type"] != subject_type or event["subject_id"] in present or event["subject_id"] in seen:
            continue
        about = trail.about(subject_type, event["subject_id"])
        if any(e["action"].endswith(".deleted") for e in about):
            continue  # removed as the trail records
        held_by = (event["after"] or {}).get("item_id") if holder == "item_id" else event["meeting_id"]
        if held_by in holders:
            seen.add(event["subject_id"])
            findings.append(Finding(name(event), f"the audit trail recorded it (event {event['seq']}), but it is "
                                                 "gone from the database"))
    return findings


def _notes(trail: Trail, items: set[int]) -> list[Finding]:
    findings, present = [], set()
    for note in db.session.scalars(select(ItemNote).order_by(ItemNote.id)):
        present.add(note.id)
        subject = f"the notes of item {note.item_id}, revision {note.revision}"
        written = trail.about("ItemNote", note.id, "item.notes_written")
        if not written:
            findings.append(Finding(subject, "the audit trail records no writing of it"))
            continue
        after = written[-1]["after"] or {}
        for name in ("item_id", "revision", "text"):
            if after.get(name) != getattr(note, name):
                what = "text" if name == "text" else f"{name} {getattr(note, name)!r}"
                findings.append(Finding(subject, f"its {what} is not what the audit trail recorded "
                                                 f"(event {written[-1]['seq']})"))
    findings += _recorded_but_gone(
        trail, NOTE_ACTIONS, "ItemNote", present, "item_id", items,
        lambda e: (f"the notes of item {(e['after'] or {}).get('item_id')}, "
                   f"revision {(e['after'] or {}).get('revision')}"))
    return findings


def _documents(trail: Trail, items: set[int]) -> list[Finding]:
    findings, present = [], set()
    for document in db.session.scalars(select(ItemDocument).order_by(ItemDocument.id)):
        present.add(document.id)
        subject = f"document {document.id} ({document.title}) of item {document.item_id}"
        attached = trail.about("ItemDocument", document.id, "document.attached")
        if not attached:
            findings.append(Finding(subject, "the audit trail records no attaching of it"))
            continue
        after = attached[-1]["after"] or {}
        differ = [name for name in _DOCUMENT_FIELDS if after.get(name) != getattr(document, name)]
        if differ:
            findings.append(Finding(subject, f"its {', '.join(differ)} differ from what the audit trail recorded "
                                             f"when it was attached (event {attached[-1]['seq']})"))
    findings += _recorded_but_gone(trail, ("document.attached",), "ItemDocument", present, "item_id", items,
                                   lambda e: f"document {e['subject_id']} ({(e['after'] or {}).get('title')})")
    return findings


def _instant(value) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))  # Python 3.11 reads a trailing Z
    except ValueError:
        return None


def _speakers(trail: Trail, items: set[int]) -> list[Finding]:
    findings, present = [], set()
    for speaker in db.session.scalars(select(Speaker).order_by(Speaker.id)):
        present.add(speaker.id)
        subject = f"speaker {speaker.id} on item {speaker.item_id}"
        events = trail.about("Speaker", speaker.id, *SPEAKER_ACTIONS)
        if not events:
            findings.append(Finding(subject, "the audit trail records no request of it"))
            continue
        state: dict = {}
        for event in events:  # each event says what changed; together, what the row is
            state.update(event["after"] or {})
        differ = [name for name in _SPEAKER_FIELDS if name in state and state[name] != getattr(speaker, name)]
        differ += [name for name in _SPEAKER_TIMES
                   if name in state and _instant(state[name]) != _instant(getattr(speaker, name))]
        if differ:
            findings.append(Finding(subject, f"its {', '.join(differ)} differ from what the audit trail recorded "
                                             f"(events {', '.join(str(e['seq']) for e in events)})"))
    findings += _recorded_but_gone(trail, ("speaker.requested",), "Speaker", present, "item_id", items,
                                   lambda e: f"speaker {e['subject_id']} on item {(e['after'] or {}).get('item_id')}")
    return findings


def _attendance(trail: Trail, meetings: set[int]) -> list[Finding]:
    findings, present = [], set()
    for stay in db.session.scalars(select(Attendance).order_by(Attendance.id)):
        present.add(stay.id)
        subject = f"a stay of person {stay.user_id} in meeting {stay.meeting_id}"
        checked_in = trail.about("Attendance", stay.id, "attendance.checked_in")
        if not checked_in:
            findings.append(Finding(subject, "the audit trail records no check-in of it"))
            continue
        after = checked_in[0]["after"] or {}
        if (after.get("user_id"), after.get("mode")) != (stay.user_id, stay.mode) \
                or checked_in[0]["meeting_id"] != stay.meeting_id:
            findings.append(Finding(subject, f"its person or mode ({stay.mode}) is not what the audit trail "
                                             f"recorded at the check-in (event {checked_in[0]['seq']}: person "
                                             f"{after.get('user_id')}, {after.get('mode')})"))
    findings += _recorded_but_gone(trail, ("attendance.checked_in",), "Attendance", present, "meeting_id", meetings,
                                   lambda e: f"a stay of person {(e['after'] or {}).get('user_id')} in meeting "
                                             f"{e['meeting_id']}")
    return findings


def _versions_gone(trail: Trail, meetings: set[int]) -> list[Finding]:
    present = set(db.session.scalars(select(MemorandumVersion.id)))
    return _recorded_but_gone(trail, VERSION_ACTIONS, "MemorandumVersion", present, "meeting_id", meetings,
                              lambda e: f"memorandum version {(e['after'] or {}).get('version')} of meeting "
                                        f"{e['meeting_id']}")
