"""How often the room hears "N have voted": four times a second in a meeting of a few dozen
phones, less often in an assembly of thousands, where each count is a message to every phone
and would cost the server more than the votes themselves."""
from governance import realtime
from governance.extensions import db, socketio
from voting.progress import PROGRESS_INTERVAL, _listeners, pause_after


def test_a_meeting_of_a_few_dozen_phones_hears_the_count_four_times_a_second():
    assert pause_after(0) == pause_after(40) == pause_after(500) == PROGRESS_INTERVAL == 0.25


def test_an_assembly_of_two_thousand_phones_hears_it_once_a_second():
    assert pause_after(1_000) == 0.5
    assert pause_after(2_000) == 1.0


def test_the_listeners_are_the_phones_joined_to_the_rooms_of_the_audience(app, make, api):
    with app.app_context():
        meeting = make.meeting()
        delegates = [make.delegate(meeting) for _ in range(3)]
        press = make.user(email="press@example.org")
        make.participant(meeting, press, group="observer_media")
        meeting_id, emails = meeting.id, [user.email for user in delegates] + [press.email]
        db.session.remove()
    phones = [socketio.test_client(app, auth={"token": api.as_user(email).token}) for email in emails]
    try:
        for phone in phones:
            assert phone.emit("join", {"meeting_id": meeting_id}, callback=True)["ok"] is True
        assert _listeners(realtime.rooms(meeting_id, "open")) == 4  # three delegates and the press
        assert _listeners(realtime.rooms(meeting_id, "closed")) == 3  # the press does not hear a closed item
        assert _listeners(realtime.rooms(meeting_id + 1, "open")) == 0
    finally:
        for phone in phones:
            phone.disconnect()
