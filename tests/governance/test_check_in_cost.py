"""A check-in counts the quorum in the database, and that count reads every present delegate
(about a millisecond per thousand on SQLite): registering an assembly checks in each delegate
once, so the count must be run as few times as the answer needs."""
from sqlalchemy import event

from governance.extensions import db


def test_a_check_in_counts_the_quorum_before_and_after_and_no_more(app, make, api):
    with app.app_context():
        meeting = make.meeting()
        almaty = make.delegate(meeting, "Almaty")
        make.delegate(meeting, "Abuja")
        make.user(email="desk@example.org", roles=["secretariat"])
        meeting_id, almaty_id = meeting.id, almaty.id
        engine = db.engine
    desk = api.as_user("desk@example.org")
    counts = []

    def note_quorum_counts(conn, cursor, statement, parameters, context, executemany):
        if "withheld_changes" in statement:  # the quorum's one query (meetings.queries)
            counts.append(statement)

    event.listen(engine, "before_cursor_execute", note_quorum_counts)
    try:
        answer = desk.post(f"/meetings/{meeting_id}/attendance", json={"user_id": almaty_id, "mode": "in_person"})
    finally:
        event.remove(engine, "before_cursor_execute", note_quorum_counts)

    assert answer.status_code == 200
    assert answer.get_json()["quorum"]["present"] == 1
    # before the change (did it move?) and after it (the answer and the announcement share it)
    assert len(counts) == 2
