"""The chair watches quorum move as delegates check in and out."""
DEMO_PASSWORD = "excom-demo"


def _delegate_ids(secretariat, meeting_id):
    participants = secretariat.get(f"/meetings/{meeting_id}/participants").get_json()
    return {p["affiliation"]: p["user_id"] for p in participants if p["group"] == "excom_member"}, participants


def test_quorum_follows_check_ins_and_check_outs(demo, api):
    desk = api.as_user("secretary-general@excom.example.org", DEMO_PASSWORD)
    delegates, _ = _delegate_ids(desk, demo)
    quorum = desk.get(f"/meetings/{demo}/quorum").get_json()
    assert quorum == {"voting_members": 12, "present": 0, "required": 7, "quorate": False}

    cities = sorted(delegates)
    for n, city in enumerate(cities[:6], start=1):
        answer = desk.post(f"/meetings/{demo}/attendance",
                           json={"user_id": delegates[city], "mode": "in_person" if n % 2 else "online"})
        assert answer.status_code == 200
        assert answer.get_json()["quorum"]["present"] == n
    assert desk.get(f"/meetings/{demo}/quorum").get_json()["quorate"] is False

    desk.post(f"/meetings/{demo}/attendance", json={"user_id": delegates[cities[6]], "mode": "online"})
    assert desk.get(f"/meetings/{demo}/quorum").get_json() == {
        "voting_members": 12, "present": 7, "required": 7, "quorate": True}

    desk.post(f"/meetings/{demo}/attendance", json={"user_id": delegates[cities[0]], "present": False})
    assert desk.get(f"/meetings/{demo}/quorum").get_json()["present"] == 6
    assert desk.get(f"/meetings/{demo}/quorum").get_json()["quorate"] is False


def test_checking_in_twice_or_switching_mode_counts_once(demo, api):
    desk = api.as_user("secretary-general@excom.example.org", DEMO_PASSWORD)
    delegates, _ = _delegate_ids(desk, demo)
    almaty = delegates["Almaty"]
    for mode in ("in_person", "in_person", "online", "online"):
        desk.post(f"/meetings/{demo}/attendance", json={"user_id": almaty, "mode": mode})
    assert desk.get(f"/meetings/{demo}/quorum").get_json()["present"] == 1
    participants = desk.get(f"/meetings/{demo}/participants").get_json()
    almaty_row = next(p for p in participants if p["user_id"] == almaty)
    assert (almaty_row["present"], almaty_row["mode"]) == (True, "online")


def test_observers_and_a_second_delegate_do_not_add_to_quorum(app, make, api):
    with app.app_context():
        meeting = make.meeting()
        seoul = make.member("Seoul")
        first = make.user(member=seoul, email="one@seoul.example.org")
        second = make.user(member=seoul, email="two@seoul.example.org")
        for user in (first, second):
            make.participant(meeting, user)
        make.delegate(meeting, "Almaty")
        make.delegate(meeting, "Abuja")
        press = make.user(email="press@example.org")
        make.participant(meeting, press, group="observer_media")
        desk_user = make.user(email="desk@example.org", roles=["secretariat"])
        ids = (meeting.id, first.id, second.id, press.id)
    meeting_id, first_id, second_id, press_id = ids
    desk = api.as_user("desk@example.org")
    for user_id in (first_id, second_id, press_id):
        desk.post(f"/meetings/{meeting_id}/attendance", json={"user_id": user_id})
    assert desk.get(f"/meetings/{meeting_id}/quorum").get_json() == {
        "voting_members": 3, "present": 1, "required": 2, "quorate": False}


def test_a_delegate_checks_themself_in_online_but_not_someone_else(demo, api):
    desk = api.as_user("secretary-general@excom.example.org", DEMO_PASSWORD)
    delegates, _ = _delegate_ids(desk, demo)
    cuenca = api.as_user("cuenca@excom.example.org", DEMO_PASSWORD)
    assert cuenca.post(f"/meetings/{demo}/attendance",
                       json={"user_id": delegates["Cuenca"], "mode": "online"}).status_code == 200
    refused = cuenca.post(f"/meetings/{demo}/attendance", json={"user_id": delegates["Makati"]})
    assert refused.status_code == 403
    assert desk.get(f"/meetings/{demo}/quorum").get_json()["present"] == 1


def test_a_two_thirds_or_fixed_quorum(app, make, api):
    with app.app_context():
        make.user(email="desk@example.org", roles=["secretariat"])
        two_thirds = make.meeting("Statutes", quorum={"rule": "two_thirds", "count": None})
        fixed = make.meeting("Assembly", quorum={"rule": "count", "count": 2})
        delegates = [make.delegate(two_thirds, f"Member {n}") for n in range(6)]
        make.participant(fixed, delegates[0])
        make.participant(fixed, delegates[1])
        make.participant(fixed, delegates[2])
        ids = two_thirds.id, fixed.id, [d.id for d in delegates]
    two_thirds_id, fixed_id, delegate_ids = ids
    desk = api.as_user("desk@example.org")
    assert desk.get(f"/meetings/{two_thirds_id}/quorum").get_json()["required"] == 4
    assert desk.get(f"/meetings/{fixed_id}/quorum").get_json()["required"] == 2
    desk.post(f"/meetings/{fixed_id}/attendance", json={"user_id": delegate_ids[0]})
    desk.post(f"/meetings/{fixed_id}/attendance", json={"user_id": delegate_ids[1]})
    assert desk.get(f"/meetings/{fixed_id}/quorum").get_json() == {
        "voting_members": 3, "present": 2, "required": 2, "quorate": True}
