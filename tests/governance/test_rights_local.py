"""Changes of rights on the connections of the process that makes them (the message queue
carries them to the others: test_rights_everywhere.py)."""
from governance.extensions import db, socketio


def _heard(phone, name):
    return [event for event in phone.get_received() if event["name"] == name]


def test_a_person_removed_from_the_meeting_hears_nothing_more_of_it(app, make, api):
    """Removed from the meeting (DELETE /participants/{id}), an observer's open connection leaves
    the meeting's rooms: the next open-session event does not reach it."""
    with app.app_context():
        meeting = make.meeting()
        make.user(roles=["secretariat"], email="desk@example.org")
        press = make.user(email="press@example.org")
        place = make.participant(meeting, press, group="observer_media")
        delegate = make.delegate(meeting)
        meeting_id, place_id, delegate_id = meeting.id, place.id, delegate.id
        db.session.remove()
    desk = api.as_user("desk@example.org")
    phone = socketio.test_client(app, auth={"token": api.as_user("press@example.org").token})
    assert phone.emit("join", {"meeting_id": meeting_id}, callback=True)["ok"] is True
    phone.get_received()
    assert desk.post(f"/meetings/{meeting_id}/attendance", json={"user_id": delegate_id}).status_code == 200
    assert _heard(phone, "attendance.changed")  # the press hears the open session

    assert desk.delete(f"/participants/{place_id}").status_code == 204
    assert desk.post(f"/meetings/{meeting_id}/attendance",
                     json={"user_id": delegate_id, "present": False}).status_code == 200
    assert _heard(phone, "attendance.changed") == []
    phone.disconnect()
