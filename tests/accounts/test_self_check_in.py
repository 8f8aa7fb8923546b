"""A person toggling their own check-in many times in seconds is refused (429) after a few:
no broadcast to every phone and no audit row for the refused ones. The check-in desk checking
many people in is not limited."""
from governance.audit.models import AuditEvent
from governance.extensions import db


def _attendance_events(app, meeting_id):
    with app.app_context():
        actions = db.session.scalars(db.select(AuditEvent.action).where(
            AuditEvent.meeting_id == meeting_id, AuditEvent.action.like("attendance.%"))).all()
        db.session.rollback()
    return actions


def test_toggling_ones_own_check_in_is_limited_and_refusals_leave_no_trace(app, make, api):
    from governance.extensions import socketio
    with app.app_context():
        meeting = make.meeting()
        delegate = make.delegate(meeting, "Toggle City")
        staff = make.user("Sam", roles=["secretariat"])
        others = [make.delegate(meeting, f"Quiet City {n}") for n in range(8)]
        ids = {"meeting": meeting.id, "delegate": delegate.id, "staff": staff.email,
               "others": [o.id for o in others], "email": delegate.email}
    listener = socketio.test_client(app, auth={"token": api.as_user(ids["staff"]).token})
    listener.emit("join", {"meeting_id": ids["meeting"]}, callback=True)
    listener.get_received()
    phone = api.as_user(ids["email"])
    statuses = [phone.post(f"/meetings/{ids['meeting']}/attendance",
                           json={"user_id": ids["delegate"], "present": n % 2 == 0}).status_code for n in range(12)]
    assert statuses == [200] * 5 + [429] * 7
    refused = phone.post(f"/meetings/{ids['meeting']}/attendance", json={"user_id": ids["delegate"]})
    assert refused.get_json()["error"]["code"] == "too_many_requests"
    assert len(_attendance_events(app, ids["meeting"])) == 5
    heard = [m for m in listener.get_received() if m["name"].startswith("attendance")]
    assert len(heard) == 5
    listener.disconnect()
    # the desk checks everyone in at the door, quickly, unhindered
    desk = api.as_user(ids["staff"])
    for user_id in ids["others"]:
        assert desk.post(f"/meetings/{ids['meeting']}/attendance", json={"user_id": user_id}).status_code == 200


def test_toggling_ones_own_apologies_is_limited_too(app, make, api):
    """The same noise by another door: apologies sent and taken back, each an audit row."""
    with app.app_context():
        meeting = make.meeting()
        delegate = make.delegate(meeting, "Sorry City")
        ids = {"meeting": meeting.id, "email": delegate.email}
    phone = api.as_user(ids["email"])
    statuses = [phone.post(f"/meetings/{ids['meeting']}/apologies", json={"excused": n % 2 == 0}).status_code
                for n in range(12)]
    assert statuses == [200] * 5 + [429] * 7
    with app.app_context():
        rows = db.session.scalars(db.select(AuditEvent.action).where(
            AuditEvent.meeting_id == ids["meeting"], AuditEvent.action == "participant.apologies")).all()
        db.session.rollback()
    assert len(rows) == 5
