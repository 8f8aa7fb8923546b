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


def test_the_sweep_finds_what_another_process_changed_in_the_database(app, make, api):
    """Another process deactivated one delegate and suspended another's city (only the database
    changed here: no after-commit hook ran in this process). The next sweep cuts the deactivated
    delegate's phone, moves the suspended city's phone out of the members' room, and leaves the
    third delegate as it was."""
    from governance.auth.models import User
    from governance.realtime import ConnectionWatch
    from governance.registry.models import Member
    with app.app_context():
        meeting = make.meeting()
        delegates = [make.delegate(meeting) for _ in range(3)]
        meeting_id, emails = meeting.id, [user.email for user in delegates]
        gone, suspended = delegates[0].id, delegates[1].member_id
        db.session.remove()
    phones = [socketio.test_client(app, auth={"token": api.as_user(email).token}) for email in emails]
    for phone in phones:
        assert phone.emit("join", {"meeting_id": meeting_id}, callback=True)["ok"] is True
    members_room = f"meeting-{meeting_id}-members"
    in_members_room = socketio.server.manager.rooms["/"][members_room]
    assert len(in_members_room) == 3
    ConnectionWatch.of(app)._sweep_once()
    assert all(phone.is_connected() for phone in phones) and len(in_members_room) == 3  # nothing changed yet
    with app.app_context():
        db.session.get(User, gone).active = False
        db.session.get(Member, suspended).status = "suspended"
        db.session.commit()
    ConnectionWatch.of(app)._sweep_once()
    assert [phone.is_connected() for phone in phones] == [False, True, True]
    assert len(socketio.server.manager.rooms["/"].get(members_room, ())) == 1  # the third delegate's
    for phone in phones[1:]:
        phone.disconnect()
