"""Reading the registry's past: a member's status history, from the audit trail.

The trail already holds every change of a member (who, when, before and after, and for a
decision of a meeting its motion and resolution), so the history is read from it rather than
kept twice.
"""
from governance.audit.models import AuditEvent
from governance.auth.models import User
from governance.extensions import db
from governance.registry.models import Member


def status_history(member: Member) -> list[dict]:
    """Oldest first: {"at", "source", "status_before", "status", "excom_before", "excom", "reason",
    "meeting_id", "motion_id", "resolution_number", "by"} for the member's entry in the registry
    and each later change of its status or EXCOM seat. `source`: entry (the member was entered),
    decision (a motion adopted at a meeting), import (a file), desk (edited by the secretariat)."""
    events = db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.subject_type == "Member", AuditEvent.subject_id == member.id,
        AuditEvent.action.in_(("member.created", "member.updated"))).order_by(AuditEvent.seq)).all()
    actors = {user.id: user.name for user in db.session.scalars(
        db.select(User).where(User.id.in_({e.actor_id for e in events if e.actor_id})))}
    history: list[dict] = []
    state: dict[str, object] = {}
    for event in events:
        after = event.after or {}
        previous = dict(state)
        state.update({key: after[key] for key in ("status", "excom") if key in after})
        if event.action == "member.updated" and not ({"status", "excom"} & set(after)):
            continue  # a new country or office is no change of standing
        history.append({
            "at": event.created_at, "status_before": previous.get("status"), "status": state.get("status"),
            "excom_before": previous.get("excom"), "excom": state.get("excom"),
            "source": _source(event),
            "reason": after.get("reason"),
            "meeting_id": event.meeting_id, "motion_id": after.get("motion_id"),
            "resolution_number": after.get("resolution_number"), "by": actors.get(event.actor_id)})
    return history


def _source(event: AuditEvent) -> str:
    after = event.after or {}
    if event.action == "member.created":
        return "entry"
    if after.get("motion_id") or (event.meeting_id and after.get("reason")):
        return "decision"
    if str(after.get("reason") or "").startswith("imported from"):
        return "import"
    return "desk"
