"""A new meeting made from an earlier one: its sessions (moved by the same span as the start),
its agenda, its participants; never what happened in it (attendance, motions, votes, notes).
"""
import re
from datetime import datetime

from governance.audit.operations import record
from governance.auth.models import User
from governance.errors import ApiError
from governance.extensions import db
from governance.meetings import operations
from governance.meetings.models import Meeting


def copy_meeting(source: Meeting, *, actor: User, title: str, starts_at: datetime, venue: str | None = None,
                 timezone: str | None = None, reference: str | None = None, sessions: bool = True,
                 agenda: bool = True, participants: bool = True) -> Meeting:
    """The copy, through the same operations (and audit events) as a meeting set up by hand.
    People whose account was closed, or who no longer fit their group (a delegate whose city
    left the EXCOM), are left out and named in the `meeting.copied` event."""
    meeting = operations.create_meeting(
        actor=actor, title=title, starts_at=starts_at, venue=source.venue if venue is None else venue,
        timezone=timezone or source.timezone, kind=source.kind,
        reference=reference or _moved_reference(source, starts_at),
        quorum={"rule": source.quorum_rule, "count": source.quorum_count})
    shift = starts_at - source.starts_at
    for old in source.sessions if sessions else ():
        session = operations.add_session(
            meeting, actor=actor, title=old.title, kind=old.kind, position=old.position, venue=old.venue,
            starts_at=old.starts_at + shift if old.starts_at else None,
            ends_at=old.ends_at + shift if old.ends_at else None)
        for item in old.items if agenda else ():
            operations.add_item(session, actor=actor, number=item.number, title=item.title, kind=item.kind,
                                position=item.position)
    left_out = []
    for former in sorted(source.participants, key=lambda p: p.id) if participants else ():
        if not former.user.active:
            left_out.append({"user_id": former.user_id, "why": "account closed"})
            continue
        try:
            with db.session.begin_nested():
                operations.add_participant(meeting, actor=actor, user_id=former.user_id, group=former.group,
                                           chair=former.chair)
        except ApiError as refusal:
            left_out.append({"user_id": former.user_id, "why": refusal.message})
    record("meeting.copied", actor=actor, meeting=meeting, subject=meeting,
           after={"from_meeting_id": source.id, "sessions": sessions, "agenda": agenda and sessions,
                  "participants": participants, "left_out": left_out})
    return meeting


def _moved_reference(source: Meeting, starts_at: datetime) -> str:
    """"EXCOM 2024" copied to a meeting in 2025 is "EXCOM 2025"; a reference without its year stays."""
    old_year, new_year = source.local(source.starts_at).year, starts_at.astimezone(source.zone).year
    return re.sub(rf"\b{old_year}\b", str(new_year), source.reference or "") or ""
