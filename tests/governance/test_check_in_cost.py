"""A check-in counts the quorum in the database, and that count reads every present delegate
(about a millisecond per thousand on SQLite): registering an assembly checks in each delegate
once, so the count must be run as few times as the answer needs. Whether the check-in moved
the quorum (and so is announced) is asked of the delegate's own member, not by counting the
assembly as it was before."""
import pytest
from sqlalchemy import event

from governance.extensions import db


def _statements_of(engine, words):
    """The statements the engine runs while the block runs, those holding `words`."""
    seen = []

    def note(conn, cursor, statement, parameters, context, executemany):
        if words in statement:
            seen.append(statement)
    return seen, note


def test_a_check_in_counts_the_quorum_once(app, make, api):
    with app.app_context():
        meeting = make.meeting()
        almaty = make.delegate(meeting, "Almaty")
        make.delegate(meeting, "Abuja")
        make.user(email="desk@example.org", roles=["secretariat"])
        meeting_id, almaty_id = meeting.id, almaty.id
        engine = db.engine
    desk = api.as_user("desk@example.org")
    counts, note = _statements_of(engine, "withheld_changes")  # the quorum's one query (meetings.queries)
    event.listen(engine, "before_cursor_execute", note)
    try:
        answer = desk.post(f"/meetings/{meeting_id}/attendance", json={"user_id": almaty_id, "mode": "in_person"})
    finally:
        event.remove(engine, "before_cursor_execute", note)

    assert answer.status_code == 200
    assert answer.get_json()["quorum"]["present"] == 1
    # after the change only: the answer and the announcement share it; whether it moved is
    # asked of Almaty's own delegates
    assert len(counts) == 1


@pytest.mark.both_databases
def test_the_room_hears_the_quorum_move_only_when_a_member_comes_or_goes(app, make, api):
    """A member is present while any of its delegates is checked in: the first in and the last
    out move the quorum and are announced; a second delegate of the same member, a change of
    mode, an observer or a delegate of a suspended member move nothing and are not."""
    from governance.extensions import socketio
    with app.app_context():
        meeting = make.meeting()
        seoul = make.member("Seoul")
        first, second = (make.user(member=seoul, email=f"{n}@seoul.example.org") for n in ("one", "two"))
        for person in (first, second):
            make.participant(meeting, person)
        make.delegate(meeting, "Almaty")
        suspended = make.delegate(meeting, "Kazan", status="suspended")
        press = make.user(email="press@example.org")
        make.participant(meeting, press, group="observer_media")
        make.user(email="desk@example.org", roles=["secretariat"])
        meeting_id = meeting.id
        ids = {"first": first.id, "second": second.id, "suspended": suspended.id, "press": press.id}
    desk = api.as_user("desk@example.org")
    chair = socketio.test_client(app, auth={"token": desk.token})
    assert chair.emit("join", {"meeting_id": meeting_id}, callback=True)["ok"] is True
    chair.get_received()

    def check(who, **body):
        answer = desk.post(f"/meetings/{meeting_id}/attendance", json={"user_id": ids[who], **body})
        assert answer.status_code == 200, answer.get_json()
        heard = [message["args"][0] for message in chair.get_received() if message["name"] == "quorum.changed"]
        return answer.get_json()["quorum"]["present"], heard

    def quorum(present):
        return {"voting_members": 2, "present": present, "required": 2, "quorate": present >= 2}

    assert check("first") == (1, [quorum(1)])
    assert check("second") == (1, [])
    assert check("second", mode="online") == (1, [])
    assert check("press") == (1, [])
    assert check("suspended") == (1, [])
    assert check("first", present=False) == (1, [])
    assert check("second", present=False) == (0, [quorum(0)])
    assert check("suspended", present=False) == (0, [])
    chair.disconnect()
