"""`excom archive MEETING_ID FILE.zip`: the meeting's record, its memoranda and its audit events.

What goes in (README.md of the archive documents every field):

- `record/meeting.json`: the meeting, its sessions and agenda, participants, attendance,
  the members it names, every revision of the item notes, the motions with their candidates;
- `record/polls.json`: every poll with its result, its ballots (secret: receipt and choice,
  as published; named: with the member and time) and who took part ("voted by");
- `memorandum/versions.json` and `memorandum/v{N}-{full,public}.docx`: every version, both editions;
- `audit/events.jsonl`: the chain from the meeting's first event to the head when archived,
  the meeting's events with their content, the others as links only (their content digest);
- `README.md`, and `manifest.json` with the SHA-256 and size of every other file.

Reads only; one read transaction.
"""
from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from governance.audit import chain
from governance.audit.models import AuditEvent
from governance.audit.operations import head as audit_head
from governance.audit.trail import read_snapshot
from governance.dbtypes import utcnow
from governance.extensions import db
from governance.meetings.models import Attendance, Meeting
from governance.registry.models import Member
from minutes.anchor import printed_head
from minutes.archive import FORMAT
from minutes.models import ItemNote, MemorandumVersion
from motions.models import Motion
from voting.models import Poll
from voting.queries import ballot_rows, participation_rows

README = Path(__file__).with_name("README.md")


@dataclass(frozen=True)
class Written:
    path: Path
    files: int
    events: int
    head: tuple[int, str]


def _time(moment: datetime | None) -> str | None:
    return chain.canonical_time(moment) if moment else None


def _json(value) -> bytes:
    return (json.dumps(value, indent=1, ensure_ascii=False, sort_keys=False) + "\n").encode()


def meeting_record(meeting: Meeting) -> dict:
    items = [item for item in meeting.agenda()]
    users = {p.user_id: p.user for p in meeting.participants}
    motions = list(db.session.scalars(select(Motion).where(Motion.meeting_id == meeting.id).order_by(Motion.id)))
    member_ids = {u.member_id for u in users.values() if u.member_id} | {m.member_id for m in motions if m.member_id}
    member_ids |= {c.member_id for m in motions for c in m.candidates if c.member_id}
    if meeting.next_host_id:
        member_ids.add(meeting.next_host_id)
    members: Iterable[Member] = \
        db.session.scalars(select(Member).where(Member.id.in_(member_ids)).order_by(Member.id)) \
        if member_ids else []
    notes: Iterable[ItemNote] = db.session.scalars(select(ItemNote).where(ItemNote.item_id.in_([i.id for i in items]))
                               .order_by(ItemNote.item_id, ItemNote.revision)) if items else []
    stays = db.session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id)
                               .order_by(Attendance.checked_in_at, Attendance.id))
    return {
        "format": FORMAT,
        "meeting": {
            "id": meeting.id, "title": meeting.title, "reference": meeting.reference, "kind": meeting.kind,
            "venue": meeting.venue, "timezone": meeting.timezone, "starts_at": _time(meeting.starts_at),
            "opened_at": _time(meeting.opened_at), "adjourned_at": _time(meeting.adjourned_at),
            "quorum": {"rule": meeting.quorum_rule, "count": meeting.quorum_count},
            "agenda_locked_at": _time(meeting.agenda_locked_at), "next_host_id": meeting.next_host_id,
        },
        "sessions": [{"id": s.id, "title": s.title, "kind": s.kind, "position": s.position, "venue": s.venue,
                      "starts_at": _time(s.starts_at), "ends_at": _time(s.ends_at),
                      "items": [{"id": i.id, "number": i.number, "title": i.title, "kind": i.kind,
                                 "position": i.position} for i in s.items]} for s in meeting.sessions],
        "participants": [{"user_id": p.user_id, "name": p.user.name, "title": p.user.title,
                          "affiliation": p.user.affiliation, "member_id": p.user.member_id, "group": p.group,
                          "chair": p.chair, "excused": p.excused}
                         for p in sorted(meeting.participants, key=lambda p: p.id)],
        "attendance": [{"user_id": a.user_id, "mode": a.mode, "checked_in_at": _time(a.checked_in_at),
                        "checked_out_at": _time(a.checked_out_at)} for a in stays],
        "members": [{"id": m.id, "name": m.name, "country": m.country, "category": m.category, "status": m.status,
                     "excom": m.excom} for m in members],
        "notes": [{"item_id": n.item_id, "revision": n.revision, "text": n.text, "author_id": n.author_id,
                   "created_at": _time(n.created_at)} for n in notes],
        "motions": [_motion(m) for m in motions],
    }


def _motion(motion: Motion) -> dict:
    return {
        "id": motion.id, "item_id": motion.item_id, "kind": motion.kind, "title": motion.title, "text": motion.text,
        "majority": motion.majority, "method": motion.method, "secret": motion.secret, "status": motion.status,
        "moved_by_id": motion.moved_by_id, "member_id": motion.member_id, "action": motion.action,
        "memorandum_meeting_id": motion.memorandum_meeting_id, "current_text": motion.current_text,
        "proposed_text": motion.proposed_text, "resolution_number": motion.resolution_number,
        "winner": motion.winner.value if motion.winner else None, "decided_at": _time(motion.decided_at),
        "created_at": _time(motion.created_at), "subjects": motion.subjects, "scale": motion.scale,
        "candidates": [{"id": c.id, "value": c.value, "label": c.label, "member_id": c.member_id,
                        "position": c.position, "image_sha256": c.image_sha256, "image_mimetype": c.image_mimetype}
                       for c in motion.candidates],
    }


def polls_record(meeting: Meeting) -> list[dict]:
    polls = db.session.scalars(select(Poll).where(Poll.meeting_id == meeting.id).order_by(Poll.id))
    out = []
    for poll in polls:
        ballots = sorted(ballot_rows(poll.id), key=lambda row: row[0])
        out.append({
            "id": poll.id, "motion_id": poll.motion_id, "round": poll.round, "reason": poll.reason,
            "status": poll.status, "secret": poll.secret, "method": poll.method, "ballot": poll.ballot,
            "contest": poll.contest, "eligible_count": poll.eligible_count, "quorum_at_open": poll.quorum_at_open,
            "quorum_at_close": poll.quorum_at_close, "result": poll.result, "ballots_digest": poll.ballots_digest,
            "opened_at": _time(poll.opened_at), "closed_at": _time(poll.closed_at),
            # an open poll's ballots are not published: only a closed poll's are archived
            "ballots": [] if poll.is_open else [
                {"receipt": r, "choice": c} if poll.secret else
                {"receipt": r, "choice": c, "member_id": m, "cast_at": _time(t)} for r, c, m, t in ballots],
            "participations": [] if poll.is_open else [
                {"member_id": m, "cast_by_id": u} for m, u in sorted(participation_rows(poll.id))],
        })
    return out


def _events(meeting: Meeting) -> tuple[bytes, int, tuple[int, str], tuple[int, str]]:
    """The chain segment as JSON lines; (bytes, count, (first seq, its prev_hash), head)."""
    first = db.session.scalar(select(AuditEvent.seq).where(AuditEvent.meeting_id == meeting.id)
                              .order_by(AuditEvent.seq).limit(1))
    head = audit_head()
    if first is None:
        return b"", 0, (head[0] + 1, head[1]), head
    lines, start = [], None
    query = select(AuditEvent).where(AuditEvent.seq >= first, AuditEvent.seq <= head[0]) \
        .order_by(AuditEvent.seq).execution_options(yield_per=1000)
    for event in db.session.scalars(query):
        start = start or (event.seq, event.prev_hash)
        line = {"seq": event.seq, "prev_hash": event.prev_hash, "hash": event.hash, "scheme": event.scheme,
                "mac": event.mac}
        content = event.content()
        if event.meeting_id == meeting.id:
            line["content"] = content
        elif event.scheme == chain.CANONICAL:
            line["digest"] = chain.content_digest(content)
        lines.append(json.dumps(line, ensure_ascii=False, sort_keys=True))
    assert start is not None  # the meeting's first event is in the range
    return ("\n".join(lines) + "\n").encode(), len(lines), start, head


def write_archive(meeting: Meeting, path: str | Path) -> Written:
    path = Path(path)
    read_snapshot()
    files: dict[str, bytes] = {
        "record/meeting.json": _json(meeting_record(meeting)),
        "record/polls.json": _json(polls_record(meeting)),
    }
    versions = []
    for version in db.session.scalars(select(MemorandumVersion).where(MemorandumVersion.meeting_id == meeting.id)
                                      .order_by(MemorandumVersion.version)):
        entry = {"version": version.version, "status": version.status, "created_at": _time(version.created_at),
                 "approved_at": _time(version.approved_at), "approved_by_motion_id": version.approved_by_motion_id}
        for edition, data in version.documents().items():  # full, public (and full_ru, public_ru)
            name = f"memorandum/v{version.version}-{edition.replace('_', '-')}.docx"
            files[name] = data
            entry[edition] = {"file": name, "sha256": hashlib.sha256(files[name]).hexdigest()}
        printed = printed_head(version.full_docx)
        entry["printed_audit_head"] = f"{printed[0]}:{printed[1]}" if printed else None
        versions.append(entry)
    files["memorandum/versions.json"] = _json(versions)
    events, count, start, head = _events(meeting)
    files["audit/events.jsonl"] = events
    files["README.md"] = README.read_bytes()
    manifest = {
        "format": FORMAT, "meeting_id": meeting.id, "meeting_title": meeting.title, "created_at": _time(utcnow()),
        "chain": {"first_seq": start[0], "first_prev_hash": start[1], "head_seq": head[0], "head": head[1],
                  "events": count},
        "files": {name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                  for name, data in sorted(files.items())},
    }
    files["manifest.json"] = _json(manifest)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(buffer.getvalue())
    partial.replace(path)
    return Written(path, len(files), count, head)
