"""The speakers' list through /api/v1 and Socket.IO: asking to speak in the room or online,
written questions, points of order at the head, one speaker at a time, the chair's controls,
closed-session lists heard by the members only, and the per-person rate limit."""
import pytest

from governance.extensions import db, socketio


@pytest.fixture
def scene(app, make, api):
    with app.app_context():
        meeting = make.meeting()
        desk = make.user("Desk", roles=["secretariat"])
        make.participant(meeting, desk, "secretariat")
        chair_member = make.member("Seoul")
        chair = make.user("Chair", member=chair_member)
        make.participant(meeting, chair, chair=True)
        first = make.delegate(meeting, "Almaty")
        second = make.delegate(meeting, "Chengdu")
        press = make.user("Press")
        make.participant(meeting, press, "observer_media")
        outsider = make.user("Outsider")
        open_item, closed_item = (session.items[0].id for session in meeting.sessions)
        ids = {"meeting": meeting.id, "open": open_item, "closed": closed_item,
               "first_id": first.id, "second_id": second.id, "press_id": press.id, "outsider_id": outsider.id}
        emails = {"desk": desk.email, "chair": chair.email, "first": first.email, "second": second.email,
                  "press": press.email}
    clients = {role: api.as_user(email) for role, email in emails.items()}
    clients["chair"].post(f"/meetings/{ids['meeting']}/attendance", {"user_id": ids["first_id"], "mode": "online"})
    return {**ids, **clients, "app": app}


def ask(client, item_id, **body):
    return client.post(f"/items/{item_id}/speakers", {"kind": "speech", **body})


def test_a_delegate_online_asks_to_speak_and_the_chair_gives_and_ends_the_floor(scene):
    chair, first = scene["chair"], scene["first"]
    answer = ask(first, scene["open"])
    assert answer.status_code == 201, answer.get_json()
    entry = answer.get_json()
    assert {k: entry[k] for k in ("user_id", "kind", "mode", "text", "status", "started_at", "ended_at")} == {
        "user_id": scene["first_id"], "kind": "speech", "mode": "online", "text": "", "status": "waiting",
        "started_at": None, "ended_at": None}
    assert entry["requested_at"]
    refused = chair.post(f"/speakers/{entry['id']}/start")
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "not_current_item"
    chair.post(f"/items/{scene['open']}/activate")
    started = chair.post(f"/speakers/{entry['id']}/start").get_json()
    assert started["status"] == "speaking" and started["started_at"]
    stopped = chair.post(f"/speakers/{entry['id']}/stop").get_json()
    assert stopped["status"] == "done" and stopped["ended_at"] >= stopped["started_at"]
    again = chair.post(f"/speakers/{entry['id']}/stop")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "not_speaking"


def test_points_of_order_go_to_the_head_and_second_timers_wait_behind_first_timers(scene):
    first, second, chair, press = scene["first"], scene["second"], scene["chair"], scene["press"]
    chair.post(f"/items/{scene['open']}/activate")
    spoke = ask(first, scene["open"]).get_json()
    chair.post(f"/speakers/{spoke['id']}/start")
    chair.post(f"/speakers/{spoke['id']}/stop")
    again = ask(first, scene["open"]).get_json()                       # Almaty again
    question = ask(press, scene["open"], kind="question", text="When is the report online?").get_json()
    newcomer = ask(second, scene["open"]).get_json()                   # Chengdu, first time
    order = ask(chair, scene["open"], kind="point_of_order").get_json()
    listed = press.get(f"/items/{scene['open']}/speakers").get_json()
    assert [e["id"] for e in listed] == [order["id"], question["id"], newcomer["id"], again["id"], spoke["id"]]
    assert listed[1]["text"] == "When is the report online?" and listed[1]["name"] == "Press"


def test_one_speaker_at_a_time_per_meeting(scene):
    chair, first, second = scene["chair"], scene["first"], scene["second"]
    chair.post(f"/items/{scene['open']}/activate")
    one, two = ask(first, scene["open"]).get_json(), ask(second, scene["open"]).get_json()
    chair.post(f"/speakers/{one['id']}/start")
    assert chair.post(f"/speakers/{two['id']}/start").get_json()["status"] == "speaking"
    listed = {e["id"]: e for e in chair.get(f"/items/{scene['open']}/speakers").get_json()}
    assert listed[one["id"]]["status"] == "done" and listed[one["id"]]["ended_at"]
    from governance.speakers.models import Speaker
    with scene["app"].app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Speaker).where(
            Speaker.meeting_id == scene["meeting"], Speaker.status == "speaking")) == 1


def test_questions_need_text_and_can_be_marked_answered(scene):
    chair, first = scene["chair"], scene["first"]
    empty = ask(first, scene["open"], kind="question", text="   ")
    assert empty.status_code == 422 and "text" in empty.get_json()["error"]["fields"]
    question = ask(first, scene["open"], kind="question", text="What about the budget?").get_json()
    speech = ask(first, scene["open"]).get_json()
    assert chair.post(f"/speakers/{speech['id']}/answered").get_json()["error"]["code"] == "not_a_question"
    assert first.post(f"/speakers/{question['id']}/answered").status_code == 403
    answered = chair.post(f"/speakers/{question['id']}/answered").get_json()
    assert answered["status"] == "done" and answered["answered_at"]
    assert chair.post(f"/speakers/{question['id']}/answered").status_code == 409


def test_who_may_do_what(scene):
    chair, first, second, press, desk = (scene[r] for r in ("chair", "first", "second", "press", "desk"))
    mine = ask(first, scene["open"]).get_json()
    # the press asks to speak and asks questions, but raises no point of order
    assert ask(press, scene["open"]).status_code == 201
    refused = ask(press, scene["open"], kind="point_of_order")
    assert refused.status_code == 403
    # nobody but the chair and the desk adds someone else, or gives the floor
    assert ask(second, scene["open"], user_id=scene["first_id"]).status_code == 403
    assert second.post(f"/speakers/{mine['id']}/start").status_code == 403
    assert second.delete(f"/speakers/{mine['id']}").status_code == 403
    added = ask(desk, scene["open"], user_id=scene["second_id"], mode="in_person")
    assert added.status_code == 201 and added.get_json()["user_id"] == scene["second_id"]
    outsider = ask(chair, scene["open"], user_id=scene["outsider_id"])
    assert outsider.status_code == 422 and "user_id" in outsider.get_json()["error"]["fields"]
    press_to_closed = ask(chair, scene["closed"], user_id=scene["press_id"])
    assert press_to_closed.status_code == 422
    # the speaker withdraws their own request; twice is a conflict
    assert first.delete(f"/speakers/{mine['id']}").status_code == 204
    assert first.delete(f"/speakers/{mine['id']}").status_code == 409
    assert ask(first, scene["open"]).status_code == 201  # and may ask again
    duplicate = ask(first, scene["open"])
    assert duplicate.status_code == 409 and duplicate.get_json()["error"]["code"] == "already_waiting"


def test_a_closed_session_list_is_absent_for_the_press_everywhere(scene):
    chair, first, press = scene["chair"], scene["first"], scene["press"]
    press_socket = socketio.test_client(scene["app"], auth={"token": press.token})
    member_socket = socketio.test_client(scene["app"], auth={"token": first.token})
    for client in (press_socket, member_socket):
        assert client.emit("join", {"meeting_id": scene["meeting"]}, callback=True)["ok"]
        client.get_received()
    chair.post(f"/items/{scene['closed']}/activate")
    secret = ask(first, scene["closed"], kind="question", text="CLOSED-QUESTION about the reserve").get_json()
    chair.post(f"/speakers/{secret['id']}/start")
    chair.post(f"/items/{scene['open']}/activate")
    public = ask(first, scene["open"]).get_json()
    chair.post(f"/speakers/{public['id']}/start")  # ends the closed session's speaker too

    assert press.get(f"/items/{scene['closed']}/speakers").status_code == 404
    for call in ("start", "stop", "answered"):
        assert press.post(f"/speakers/{secret['id']}/{call}").status_code == 404
    assert press.delete(f"/speakers/{secret['id']}").status_code == 404
    heard = press_socket.get_received()
    assert "CLOSED-QUESTION" not in str(heard)
    changes = [packet["args"][0] for packet in heard if packet["name"] == "speakers.changed"]
    assert changes and {change["item_id"] for change in changes} == {scene["open"]}
    assert changes[-1]["current"]["id"] == public["id"] and changes[-1]["speaking_time"] == 180
    members_heard = [packet["args"][0] for packet in member_socket.get_received()
                     if packet["name"] == "speakers.changed"]
    closed_changes = [c for c in members_heard if c["item_id"] == scene["closed"]]
    assert closed_changes[0]["queue"][0]["text"] == "CLOSED-QUESTION about the reserve"
    assert closed_changes[-1]["current"] is None  # ended when the open session's speaker started
    press_socket.disconnect()
    member_socket.disconnect()


def test_the_speaking_time_is_the_meeting_s_and_checked(scene):
    desk = scene["desk"]
    assert desk.get(f"/meetings/{scene['meeting']}").get_json()["speaking_time"] == 180
    assert desk.patch(f"/meetings/{scene['meeting']}", {"speaking_time": 120}).get_json()["speaking_time"] == 120
    for bad in (0, 5, 100000, "3 minutes", True):
        answer = desk.patch(f"/meetings/{scene['meeting']}", {"speaking_time": bad})
        assert answer.status_code == 422 and "speaking_time" in answer.get_json()["error"]["fields"]
    assert scene["first"].patch(f"/meetings/{scene['meeting']}", {"speaking_time": 60}).status_code == 403


@pytest.mark.parametrize("body", [
    {"kind": "shout"}, {"mode": "telepathy"}, {"kind": "question"}, {"text": "x" * 2001},
    {"user_id": 0}, {"user_id": "me"}, {"kind": None}, [], "speech",
])
def test_bad_requests_change_nothing(scene, body):
    answer = scene["first"].post(f"/items/{scene['open']}/speakers", body)
    assert answer.status_code == 422, answer.get_json()
    assert scene["first"].get(f"/items/{scene['open']}/speakers").get_json() == []


def test_after_adjournment_nobody_asks_for_the_floor(scene):
    scene["chair"].post(f"/meetings/{scene['meeting']}/adjourn")
    answer = ask(scene["first"], scene["open"])
    assert answer.status_code == 409 and answer.get_json()["error"]["code"] == "adjourned"


@pytest.fixture
def tight_rate(app_config):
    app_config["EXCOM_SPEAKER_RATE_LIMIT"] = "3 per minute"
    return app_config


def test_requests_to_speak_are_rate_limited_per_person(tight_rate, scene):
    first, second, chair = scene["first"], scene["second"], scene["chair"]
    statuses = [ask(first, scene["open"], kind="question", text=f"Question {n}?").status_code for n in range(3)]
    statuses += [first.delete(f"/speakers/{e['id']}").status_code
                 for e in first.get(f"/items/{scene['open']}/speakers").get_json()]
    statuses.append(ask(first, scene["open"], kind="question", text="One more?").status_code)
    assert statuses == [201, 201, 201, 204, 204, 204, 429]
    assert ask(second, scene["open"]).status_code == 201  # another person is not held back
    for user in ("first_id", "second_id", "press_id"):  # nor is the chair adding people
        chair.post(f"/items/{scene['open']}/speakers", {"kind": "question", "text": "Added", "user_id": scene[user]})
    assert ask(chair, scene["open"]).status_code == 201
