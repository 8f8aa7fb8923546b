"""A secretariat's script registers a delegate in five calls (`excom bench registration`):
the member, the account, its token, the participation, the check-in. The quorum's count reads
the whole assembly (its cost grows with every delegate registered), so it is run only where
the quorum may have moved: for the new voting member (the board grew) and at the check-in;
and each call reads what it needs once."""
from sqlalchemy import event

from governance.extensions import db


def test_registering_a_delegate_counts_the_quorum_twice_and_reads_the_member_once(app, make, api):
    from governance.extensions import socketio
    with app.app_context():
        meeting = make.meeting()
        make.delegate(meeting, "Almaty")
        make.user(email="desk@example.org", roles=["secretariat"])
        meeting_id, engine = meeting.id, db.engine
    desk = api.as_user("desk@example.org")
    chair = socketio.test_client(app, auth={"token": desk.token})
    assert chair.emit("join", {"meeting_id": meeting_id}, callback=True)["ok"] is True
    chair.get_received()
    statements: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    def call(path, body, status=201):
        statements.clear()
        answer = desk.post(path, json=body)
        assert answer.status_code == status, answer.get_json()
        heard = [message["args"][0]["voting_members"] for message in chair.get_received()
                 if message["name"] == "quorum.changed"]
        counts = sum("withheld_changes" in statement for statement in statements)  # the quorum's query
        members_read = sum(statement.lstrip().startswith("SELECT members.id") for statement in statements)
        return answer.get_json(), counts, members_read, heard

    event.listen(engine, "before_cursor_execute", note)
    try:
        member, counts, _, heard = call("/members", {"name": "Bishkek", "country": "Kyrgyzstan", "category": "city",
                                                     "status": "active", "excom": True})
        assert (counts, heard) == (1, [2])  # the board grew: every sitting meeting hears it
        user, counts, members_read, heard = call("/users", {"name": "Delegate of Bishkek",
                                                            "email": "delegate@bishkek.example.org",
                                                            "member_id": member["id"]})
        assert (counts, members_read, heard) == (0, 1, [])
        assert user["member"]["name"] == "Bishkek"
        _, counts, _, heard = call(f"/users/{user['id']}/token", {})
        assert (counts, heard) == (0, [])
        participant, counts, _, heard = call(f"/meetings/{meeting_id}/participants",
                                             {"user_id": user["id"], "group": "excom_member"})
        # not checked in yet: nothing moved, nothing to count or announce
        assert (counts, heard) == (0, [])
        assert (participant["affiliation"], participant["present"]) == ("Bishkek", False)
        checked_in, counts, _, heard = call(f"/meetings/{meeting_id}/attendance",
                                            {"user_id": user["id"], "mode": "in_person"}, status=200)
        assert (counts, heard) == (1, [2])
        assert checked_in["quorum"] == {"voting_members": 2, "present": 1, "required": 2, "quorate": False}
    finally:
        event.remove(engine, "before_cursor_execute", note)
        chair.disconnect()
